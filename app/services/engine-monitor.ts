import { BerthError, type ErrorShape } from '../contract/errors';
import type { EngineStatus, EngineVersion } from '../contract/engines';
import type { ChangeEvent, ObjectChange } from '../contract/events';
import { Backoff, type BackoffOptions } from '../core/backoff';
import { toErrorShapeSafe } from '../core/error-shape';
import type { ContainerEngine } from '../ports/engine';
import type { EngineEvent } from '../ports/engine/events';
import type { Logger } from '../ports/logger';
import { VolumePoller } from './volume-poll';

/** What the monitor knows about one engine. */
export interface EngineState {
  status: EngineStatus;
  error?: ErrorShape;
  /** Read when the engine came up; absent while it is down. */
  version?: EngineVersion;
}

export interface MonitorOptions {
  log: Logger;
  /** Reconnect delays (default 250 ms doubling to 10 s, with jitter). */
  backoff?: BackoffOptions;
  random?: () => number;
  /** A stream that stayed open this long counts as healthy: the next reconnect starts fast again. */
  healthyAfterMs?: number;
  /** How often to list volumes of engines without volume events (default 10 s). */
  volumePollMs?: number;
  versionTimeoutMs?: number;
  /** Volume names, for engines whose capabilities say `volumeEvents: false` (default: the engine's volume list). */
  listVolumeNames?: (engine: ContainerEngine, signal: AbortSignal) => Promise<string[]>;
}

/** The engine's cheap names-only listing when it has one (nerdctl: no container list with it), else the names of its list. */
const engineVolumeNames = async (engine: ContainerEngine, signal: AbortSignal): Promise<string[]> =>
  engine.volumes.names ? engine.volumes.names(signal) : (await engine.volumes.list(signal)).volumes.map((v) => v.name);

const OBJECT_KINDS: ReadonlySet<string> = new Set(['container', 'image', 'volume', 'network']);

/**
 * Follows one engine: one event stream, reconnected with backoff when it breaks. Publishes
 * object changes as they arrive (synchronously, no timers on that path) and engine state changes:
 * `down` (with the error), then `up` followed by `resync` when the stream is back.
 */
export class EngineWatch {
  private current: EngineState = { status: 'connecting' };
  private readonly ctrl = new AbortController();
  private readonly backoff: Backoff;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wake: (() => void) | null = null;
  private openStreams = 0;
  private loop: Promise<void> | null = null;
  private versionReq: Promise<void> | null = null;
  private poller: VolumePoller | null = null;

  constructor(
    readonly engine: ContainerEngine,
    private readonly publish: (item: ChangeEvent) => void,
    private readonly opts: MonitorOptions,
  ) {
    this.backoff = new Backoff(opts.backoff, opts.random);
    this.ensurePoller();
  }

  /** A volume poller for an engine without volume events; capabilities may be known only after the first version read (Podman). */
  private ensurePoller(): VolumePoller | null {
    const engine = this.engine;
    if (engine.capabilities.volumeEvents || this.poller || this.ctrl.signal.aborted) return this.poller;
    const list = this.opts.listVolumeNames ?? engineVolumeNames;
    // The engine's stamp of its volumes says when its own listing would change (not a listing given in the options).
    const stamp = !this.opts.listVolumeNames && engine.volumes.namesStamp ? () => engine.volumes.namesStamp?.() ?? Promise.resolve(null) : undefined;
    this.poller = new VolumePoller(
      engine.id,
      (signal) => list(engine, signal),
      (item) => this.publish(item),
      this.opts.volumePollMs ?? 10_000,
      (err) => this.opts.log.warn(`Could not list the volumes of ${engine.id}`, { error: toErrorShapeSafe(err, 'list volumes').message }),
      stamp,
    );
    return this.poller;
  }

  get state(): EngineState {
    return this.current;
  }

  /** For diagnostics and tests: what this watch holds open right now. */
  get resources(): { streams: number; timers: number } {
    return { streams: this.openStreams, timers: (this.timer === null ? 0 : 1) + (this.poller?.pendingTimers ?? 0) };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops for good: closes the stream, clears every timer, waits for in-flight work. */
  async dispose(): Promise<void> {
    this.ctrl.abort();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.wake?.();
    await Promise.allSettled([this.loop, this.poller?.stop(), this.versionReq]);
  }

  /** Reads the version now (also done on every `up`). */
  refreshVersion(): Promise<void> {
    if (this.versionReq) return this.versionReq;
    const signal = AbortSignal.any([this.ctrl.signal, AbortSignal.timeout(this.opts.versionTimeoutMs ?? 3000)]);
    const req = this.engine.system
      .version(signal)
      .then((version) => {
        if (this.current.status === 'up') this.current = { ...this.current, version };
        if (!this.poller && !this.engine.capabilities.volumeEvents) {
          const started = this.ensurePoller();
          if (started && this.current.status === 'up') started.start();
        }
      })
      .catch((err: unknown) => {
        if (!this.ctrl.signal.aborted) this.opts.log.warn(`Could not read the version of ${this.engine.id}`, { error: toErrorShapeSafe(err, 'read the version').message });
      })
      .finally(() => {
        this.versionReq = null;
      });
    this.versionReq = req;
    return req;
  }

  private async run(): Promise<void> {
    const signal = this.ctrl.signal;
    while (!signal.aborted) {
      let openedAt = 0;
      let failure: unknown = null;
      this.openStreams++;
      try {
        await this.engine.events.stream(signal, {
          onOpen: () => {
            openedAt = Date.now();
            this.setUp();
          },
          onEvent: (e) => this.onEvent(e),
        });
      } catch (err) {
        failure = err;
      } finally {
        this.openStreams--;
      }
      if (signal.aborted) break;
      if (openedAt && Date.now() - openedAt >= (this.opts.healthyAfterMs ?? 5000)) this.backoff.reset();
      this.setDown(
        failure ??
          new BerthError('ENGINE_UNREACHABLE', `The event stream of the engine at ${this.engine.endpoint} ended.`, { details: { endpoint: this.engine.endpoint } }),
      );
      await this.sleep(this.backoff.next());
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.ctrl.signal.aborted) return resolve();
      this.wake = () => {
        this.wake = null;
        resolve();
      };
      this.timer = setTimeout(() => {
        this.timer = null;
        this.wake?.();
      }, ms);
    });
  }

  private onEvent(e: EngineEvent): void {
    if (!OBJECT_KINDS.has(e.kind)) return;
    const item: ObjectChange = { engineId: this.engine.id, kind: e.kind as ObjectChange['kind'], action: e.action, id: e.id };
    if (e.name !== undefined) item.name = e.name;
    this.publish(item);
  }

  private setUp(): void {
    const was = this.current.status;
    this.current = { status: 'up' };
    if (was !== 'up') this.opts.log.info(`Engine ${this.engine.id} is up (${this.engine.endpoint})`);
    this.publish({ engineId: this.engine.id, kind: 'engine', action: 'up' });
    // Events may have been missed while the stream was away: every list must be fetched again.
    this.publish({ engineId: this.engine.id, kind: 'engine', action: 'resync' });
    void this.refreshVersion();
    this.poller?.start();
  }

  private setDown(err: unknown): void {
    const error = toErrorShapeSafe(err, `reach the engine at ${this.engine.endpoint}`);
    const was = this.current.status;
    this.current = { status: 'down', error };
    void this.poller?.stop();
    if (was === 'down') return;
    this.opts.log.warn(`Engine ${this.engine.id} is down`, { error: error.message });
    this.publish({ engineId: this.engine.id, kind: 'engine', action: 'down', error });
  }
}

/** One EngineWatch per registered engine. */
export class EngineMonitor {
  private readonly watches = new Map<string, EngineWatch>();
  private disposed = false;

  constructor(
    private readonly publish: (item: ChangeEvent) => void,
    private readonly opts: MonitorOptions,
  ) {}

  add(engine: ContainerEngine): void {
    if (this.disposed || this.watches.has(engine.id)) return;
    const w = new EngineWatch(engine, this.publish, this.opts);
    this.watches.set(engine.id, w);
    w.start();
  }

  async remove(engineId: string): Promise<void> {
    const w = this.watches.get(engineId);
    if (!w) return;
    this.watches.delete(engineId);
    await w.dispose();
  }

  /** The known state, or undefined for an engine this monitor does not follow. */
  state(engineId: string): EngineState | undefined {
    return this.watches.get(engineId)?.state;
  }

  refreshVersion(engineId: string): Promise<void> {
    return this.watches.get(engineId)?.refreshVersion() ?? Promise.resolve();
  }

  states(): Array<{ engineId: string; state: EngineState }> {
    return [...this.watches.entries()].map(([engineId, w]) => ({ engineId, state: w.state }));
  }

  /** Open event streams and pending timers across all engines (0 and 0 after dispose). */
  resources(): { streams: number; timers: number } {
    let streams = 0;
    let timers = 0;
    for (const w of this.watches.values()) {
      const r = w.resources;
      streams += r.streams;
      timers += r.timers;
    }
    return { streams, timers };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.watches.values()];
    await Promise.allSettled(all.map((w) => w.dispose()));
    this.watches.clear();
  }
}
