import { BerthError } from '../../../contract/errors';
import { LineSplitter } from '../../../core/nerdctl-json';
import { parseEventLine } from '../../../core/nerdctl-events';
import type { EventsOps, EventStreamHandlers } from '../../../ports/engine/events';
import type { NerdctlContext } from './context';
import { ContainerdApiError, type ContainerdApi } from './containerd-api';
import { envelopeEvent } from './containerd-events';

/**
 * The engine's change feed. Where the core can reach containerd's socket (a local nerdctl: `api` given), containerd's own
 * Events/Subscribe through the API's client, filtered to the namespace (no process; issue 11: cold start, where the
 * stream and its `nerdctl version` check were two Go processes before the first list). Elsewhere (nerdctl in the VM), or
 * while the API cannot be used, one long-lived `nerdctl events --format json` process per stream. Both give the same
 * events (core/nerdctl-events.ts's containerdEvent). Volumes and networks have no containerd events: what Berth itself
 * changes there is announced by the adapter and merged in here. The EngineMonitor restarts a stream that ends, with backoff.
 */
export class NerdctlEvents implements EventsOps {
  private path: 'api' | 'cli' | undefined;

  constructor(
    private readonly ctx: NerdctlContext,
    private readonly api?: ContainerdApi,
  ) {}

  async stream(signal: AbortSignal, handlers: EventStreamHandlers): Promise<void> {
    if (signal.aborted) return;
    if (this.api && (await this.viaApi(this.api, signal, handlers))) return;
    if (signal.aborted) return;
    return this.viaCli(signal, handlers);
  }

  /** Which path the stream takes, logged once and again whenever it changes. */
  private use(p: 'api' | 'cli', why?: string): void {
    if (this.path === p) return;
    this.path = p;
    const address = this.api ? this.api.address : '';
    if (p === 'api') this.ctx.log.info(`Engine events come from containerd's API at ${address}`);
    else this.ctx.log.info(`Engine events come from nerdctl events: containerd's API at ${address} is not usable (${why ?? 'unknown'})`);
  }

  /**
   * containerd's Events/Subscribe. Open once containerd proved it serves the subscription: a Version call made on the same
   * connection after the Subscribe request was sent has answered, or an event came. containerd serves each request in its
   * own goroutine, so the answer shows the subscription's request was read and handled first in all but a narrow race
   * (its handler registers the subscriber at once, before it waits for events); nerdctl's process gave no such order.
   * False when the API could not be used before the stream opened (the caller falls back to nerdctl); after it opened, a
   * failure or an end is the stream's (thrown), as with nerdctl's process.
   */
  private async viaApi(api: ContainerdApi, signal: AbortSignal, handlers: EventStreamHandlers): Promise<boolean> {
    const namespace = this.ctx.namespace;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let opened = false;
    let ended = false;
    let confirmFailure: unknown = null;
    const open = () => {
      if (opened || ended || signal.aborted) return;
      opened = true;
      this.use('api');
      handlers.onOpen?.();
    };
    const offAnnounce = this.ctx.onAnnounce((e) => handlers.onEvent(e));
    try {
      await api.subscribe(
        [`namespace==${JSON.stringify(namespace)}`],
        (b) => {
          open();
          const e = envelopeEvent(b, namespace);
          if (e) handlers.onEvent(e);
        },
        stop.signal,
        () => {
          void api.version(stop.signal).then(open, (err: unknown) => {
            if (opened || stop.signal.aborted) return;
            confirmFailure = err;
            stop.abort();
          });
        },
      );
    } catch (err) {
      if (signal.aborted) return true;
      const failure = confirmFailure ?? err;
      if (!opened && failure instanceof ContainerdApiError) {
        this.use('cli', failure.message);
        return false;
      }
      if (failure instanceof ContainerdApiError) throw new BerthError('ENGINE_UNREACHABLE', `The event stream of ${this.ctx.endpoint} failed: ${failure.message}`, { details: { endpoint: this.ctx.endpoint } });
      throw failure;
    } finally {
      ended = true;
      offAnnounce();
      signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
    if (signal.aborted) return true;
    throw new BerthError('ENGINE_UNREACHABLE', `The event stream of ${this.ctx.endpoint} ended.`, { details: { endpoint: this.ctx.endpoint } });
  }

  /** One `nerdctl events --format json` process. containerd reports every namespace: lines of other namespaces are dropped. */
  private async viaCli(signal: AbortSignal, handlers: EventStreamHandlers): Promise<void> {
    const namespace = this.ctx.namespace;
    const args = ['events', '--format', 'json'];
    const proc = await this.ctx.spawn(args, { signal });
    const offAnnounce = this.ctx.onAnnounce((e) => handlers.onEvent(e));
    let opened = false;
    let ended = false;
    const open = () => {
      if (opened || ended || signal.aborted) return;
      opened = true;
      handlers.onOpen?.();
    };
    // `nerdctl events` prints nothing on subscribe, and a process that started proves nothing: through `limactl shell`
    // it starts even while the VM is down and fails seconds later. The stream counts as open once the engine has
    // answered a version request (or sent an event), so an engine that is down never flaps up and down.
    let confirmFailure: unknown = null;
    void this.ctx
      .exec('read the engine version', undefined, ['version', '--format', '{{json .}}'], { signal, timeoutMs: 30_000 })
      .then(open, (err: unknown) => {
        if (signal.aborted || opened) return;
        confirmFailure = err;
        proc.kill();
      });
    const split = new LineSplitter();
    try {
      for await (const chunk of proc.stdout) {
        open();
        for (const line of split.push(chunk)) {
          const e = parseEventLine(line, namespace);
          if (e) handlers.onEvent(e);
        }
      }
      const exit = await proc.exit;
      if (signal.aborted) return;
      if (confirmFailure) throw confirmFailure;
      if (exit.exitCode !== 0) throw this.ctx.failure('follow the events of', undefined, args, exit);
      throw new BerthError('ENGINE_UNREACHABLE', `The event stream of ${this.ctx.endpoint} ended.`, { details: { endpoint: this.ctx.endpoint } });
    } finally {
      ended = true;
      offAnnounce();
      proc.kill();
    }
  }
}
