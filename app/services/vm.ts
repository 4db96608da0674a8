import { BerthError, type ErrorShape } from '../contract/errors';
import type { VmStatus } from '../contract/vm';
import type { SettingsStore } from '../ports/settings-store';
import type { Logger } from '../ports/logger';
import type { DeletionStatement, VmCheck, VmHostIntegration } from '../contract/vm';
import type { SettingsPatch } from '../contract/settings';
import type { DiagnosticsStore, HostIntegration, LimactlLocation, LimaInstance, StartOutput, VmDriver, VmLogName } from '../ports/vm';
import { toErrorShapeSafe } from '../core/error-shape';
import { allowedActions, transition, type VmEvent, type VmMachine } from '../core/lima-state';
import { applyHostAgentEvent, applyLogLine, initialProgress, type StartProgress } from '../core/lima-stages';
import {
  changesNeedingRecreate,
  limaEditExpression,
  resolveVm,
  resolvedFromConfig,
  settingsNeedingRestart,
  type HostFacts,
  type ResolvedVm,
} from '../core/lima-template';
import { VmEngineLink, waitForPing, type VmEngineFactory } from './vm-engine';
import { collectDiagnostics, deletionStatement, runChecks } from './vm-troubleshoot';
import type { EngineRegistry } from './engine-registry';
import { watchStatus } from './watch-status';

export interface VmServiceOptions {
  /** null: this platform or these settings run without a VM (native mode). */
  driver: VmDriver | null;
  settings: SettingsStore;
  engines: EngineRegistry;
  engineFactory: VmEngineFactory;
  /** Renders the instance's lima.yaml (the adapter owns the template files). */
  renderTemplate(vm: ResolvedVm): Promise<string>;
  host: HostFacts;
  log: Logger;
  diagnostics: DiagnosticsStore;
  /** The berth docker context and the PATH block (absent: not offered). */
  hostIntegration?: HostIntegration;
  /** The bundled CLIs' folder "Configure PATH" adds. */
  cliDir?: string;
  /** Graceful stop, then forced (default 90 s). */
  stopTimeoutMs?: number;
  /** How long the engine may take to answer after limactl says READY (default 120 s). */
  engineTimeoutMs?: number;
  /** Crash watch period while running (default 2 s: a crash is seen within 5 s). */
  watchMs?: number;
  /** Runs before every start, before the instance is created or edited (Kubernetes: the k3s release in the host cache). */
  beforeStart?(vm: ResolvedVm, signal: AbortSignal): Promise<void>;
}

type Listener = (s: VmStatus) => void;

const tail = (s: string, n = 20) => s.trimEnd().split('\n').slice(-n).join('\n');

/** The VM's lifecycle over a VmDriver: the state machine, start stages, readiness by engine ping, crash watch. */
export class VmService {
  private machine: VmMachine = { state: 'absent' };
  private limactl: LimactlLocation | undefined;
  private limactlError: ErrorShape | undefined;
  private instance: LimaInstance | null = null;
  private diskUsage: number | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly link: VmEngineLink;
  private busy: Promise<unknown> = Promise.resolve();
  private watchTimer: NodeJS.Timeout | null = null;
  private disposed = false;
  private startAbort: AbortController | null = null;

  constructor(private readonly o: VmServiceOptions) {
    this.link = new VmEngineLink(o.engines, o.engineFactory, o.log);
  }

  get driver(): VmDriver | null {
    return this.nativeReason() === undefined ? this.o.driver : null;
  }

  private nativeReason(): string | undefined {
    const s = this.o.settings.get().vm;
    if (!this.o.driver) return 'This platform runs containers without a VM.';
    if (s.mode === 'native' && this.o.host.platform === 'linux') return 'Native mode is chosen in the VM settings: Berth uses this machine’s own engine socket.';
    if (this.limactlError && this.o.host.platform === 'linux') return `No limactl was found, so Berth uses this machine’s own engine socket. ${this.limactlError.hint ?? ''}`.trim();
    return undefined;
  }

  private wanted(): ResolvedVm {
    const s = this.o.settings.get();
    return resolveVm(s.vm, s.engine.runtime, this.o.host);
  }

  private applied(): ResolvedVm | null {
    return this.instance?.config ? resolvedFromConfig(this.instance.config, this.o.host.home) : null;
  }

  status(): VmStatus {
    const native = this.nativeReason();
    const m = this.machine;
    const s = this.o.settings.get();
    const st: VmStatus = {
      mode: native ? 'native' : 'vm',
      state: native ? 'absent' : m.state,
      actions: native ? { start: false, stop: false, restart: false, delete: false } : allowedActions(m),
      runtime: s.engine.runtime,
      pendingRestart: [],
      needsRecreate: [],
    };
    if (native) st.nativeReason = native;
    if (!native) {
      if (m.stage) st.stage = m.stage;
      if (m.detail) st.detail = m.detail;
      if (m.reason) st.reason = m.reason;
      if (m.logTail) st.logTail = m.logTail;
      if (m.crashed) st.crashed = true;
    }
    if (this.limactl) st.limactl = this.limactl;
    if (this.limactlError) st.limactlError = this.limactlError;
    const d = this.o.driver;
    if (d) {
      st.limaHome = d.paths.limaHome;
      if (s.engine.runtime === 'moby') st.socketPath = d.paths.dockerSocket;
    }
    const i = this.instance;
    if (i) {
      st.instance = { name: i.name, dir: i.dir, vmType: i.vmType, arch: i.arch, cpus: i.cpus, memoryBytes: i.memoryBytes, diskBytes: i.diskBytes, limaVersion: i.limaVersion };
      if (this.diskUsage !== undefined) st.instance.diskUsageBytes = this.diskUsage;
    }
    if (this.link.registered()) st.engineId = this.link.registered()?.id;
    const applied = this.applied();
    if (applied) {
      try {
        const wanted = this.wanted();
        st.pendingRestart = settingsNeedingRestart(applied, wanted);
        st.needsRecreate = changesNeedingRecreate(applied, wanted);
      } catch {
        // Settings this host cannot use are refused when saved; older files may still hold them: nothing to compare.
        st.pendingRestart = [];
      }
    }
    return st;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    l(this.status());
    return () => this.listeners.delete(l);
  }

  watch(emit: (s: VmStatus) => Promise<void>, signal: AbortSignal): Promise<void> {
    return watchStatus((l) => this.subscribe(l), emit, signal);
  }

  private emit(): void {
    const s = this.status();
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (err) {
        this.o.log.error('A VM status listener failed', { error: String(err) });
      }
    }
  }

  private apply(e: VmEvent): void {
    const before = this.machine.state;
    this.machine = transition(this.machine, e);
    if (this.machine.state !== before) this.o.log.info(`VM ${before} → ${this.machine.state}`, { event: e.type });
    this.emit();
  }

  /** One action at a time; a second one while one runs is a CONFLICT. */
  private exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.machine.state === 'starting' || this.machine.state === 'stopping') {
      return Promise.reject(new BerthError('CONFLICT', `The VM is ${this.machine.state}: wait for it before you ${what}.`));
    }
    const p = this.busy.then(fn, fn);
    this.busy = p.catch(() => undefined);
    return p;
  }

  private requireDriver(): VmDriver {
    const d = this.driver;
    if (!d) throw new BerthError('NOT_SUPPORTED', this.nativeReason() ?? 'There is no VM here.');
    return d;
  }

  /** Finds limactl and reads the instance; follows a running VM (Berth restarted while it ran). */
  async refresh(): Promise<VmStatus> {
    const d = this.o.driver;
    if (!d) return this.status();
    try {
      this.limactl = await d.locate();
      this.limactlError = undefined;
    } catch (err) {
      this.limactl = undefined;
      this.limactlError = toErrorShapeSafe(err, 'find limactl');
      this.emit();
      return this.status();
    }
    if (!this.driver) return this.status();
    await this.observe();
    if (this.machine.state === 'starting' && this.machine.stage === 'engine' && !this.startAbort) await this.confirmEngine('');
    return this.status();
  }

  private async observe(): Promise<void> {
    const d = this.requireDriver();
    try {
      this.instance = await d.inspect();
    } catch (err) {
      this.apply({ type: 'failed', reason: toErrorShapeSafe(err, 'read the VM state').message, logTail: '' });
      return;
    }
    this.diskUsage = this.instance ? await d.diskUsage().catch(() => undefined) : undefined;
    const i = this.instance;
    const lima = !i ? 'absent' : i.status === 'Running' || i.status === 'Stopped' || i.status === 'Broken' ? i.status : 'other';
    this.apply({ type: 'observed', lima, ...(i && i.errors.length ? { reason: i.errors.join('; ') } : {}) });
    if (this.machine.state === 'running' || this.machine.state === 'degraded') this.startWatch();
  }

  start(): Promise<VmStatus> {
    return this.exclusive('start it', () => this.doStart());
  }

  private async doStart(): Promise<VmStatus> {
    const d = this.requireDriver();
    if (!this.limactl) await this.refresh();
    if (this.limactlError) throw BerthError.fromShape(this.limactlError);
    const wanted = this.wanted();
    this.instance = await d.inspect();
    if (this.instance?.status === 'Running') {
      await this.observe();
      return this.status();
    }
    this.apply({ type: 'start' });
    const abort = new AbortController();
    this.startAbort = abort;
    try {
      await this.o.beforeStart?.(wanted, abort.signal);
      if (!this.instance) {
        await d.create(await this.o.renderTemplate(wanted));
        this.instance = await d.inspect();
      } else {
        const applied = this.applied();
        if (applied && settingsNeedingRestart(applied, wanted).length && !changesNeedingRecreate(applied, wanted).length) {
          await d.edit(limaEditExpression(wanted, applied));
          this.instance = await d.inspect();
        }
      }
      let progress: StartProgress = initialProgress();
      const onOutput = (out: StartOutput) => {
        progress = out.source === 'event' ? applyHostAgentEvent(progress, out.event) : applyLogLine(progress, out.line);
        if (!abort.signal.aborted && (progress.stage !== this.machine.stage || progress.detail !== this.machine.detail)) {
          this.apply({ type: 'progress', stage: progress.stage, detail: progress.detail });
        }
      };
      const r = await d.start(onOutput, abort.signal);
      if (r.exitCode !== 0 || !progress.ready) {
        this.instance = await d.inspect();
        const haTail = await d.readLog('ha.stderr.log', 8 * 1024).catch(() => '');
        const logTail = [tail(r.stderr, 15), tail(haTail, 10)].filter(Boolean).join('\n');
        if (progress.degraded && this.instance?.status === 'Running') {
          await this.link.ensure(wanted.runtime, { socketPath: d.paths.dockerSocket, rootful: wanted.rootful });
          this.apply({ type: 'degraded', reason: progress.degraded, logTail });
          this.startWatch();
        } else {
          this.apply({ type: 'failed', reason: progress.failed ?? progress.degraded ?? `limactl start exited with code ${r.exitCode}`, logTail });
        }
        return this.status();
      }
      await this.confirmEngine(r.stderr);
      // The instance's details (ports, pids) matter less than claiming "running" as soon as the engine answers.
      void d.inspect().then(
        (i) => {
          this.instance = i;
          this.emit();
        },
        (err: unknown) => this.o.log.warn('Could not read the VM after it started', { error: String(err) }),
      );
      return this.status();
    } catch (err) {
      if (this.machine.state === 'starting') {
        const e = toErrorShapeSafe(err, 'start the VM');
        this.apply({ type: 'failed', reason: e.message, logTail: typeof e.details?.stderr === 'string' ? e.details.stderr : '' });
      }
      throw err;
    } finally {
      this.startAbort = null;
    }
  }

  /** "Running" only once the engine inside answers a ping. */
  private async confirmEngine(stderr: string): Promise<void> {
    const d = this.requireDriver();
    const wanted = this.applied() ?? this.wanted();
    this.apply({ type: 'progress', stage: 'engine', detail: 'Waiting for the engine to answer' });
    const opts = { socketPath: d.paths.dockerSocket, rootful: wanted.rootful };
    // Ping an engine of its own first, and register the VM's engine only once it answers: a registered engine sets the
    // change feed going (events, lists, version), which on a slow guest would only delay the first answer.
    const probe = this.link.probe(wanted.runtime, opts);
    const failure = await waitForPing(probe, this.o.engineTimeoutMs ?? 120_000).finally(() => probe.dispose().catch(() => undefined));
    const engine = await this.link.ensure(wanted.runtime, opts);
    if (failure === null) {
      this.apply({ type: 'ready' });
      this.diskUsage = await d.diskUsage().catch(() => this.diskUsage);
      this.startWatch();
      return;
    }
    const haTail = await d.readLog('ha.stderr.log', 8 * 1024).catch(() => '');
    this.apply({
      type: 'degraded',
      reason: `The VM runs, but its engine does not answer at ${engine.endpoint}: ${toErrorShapeSafe(failure, 'ping the engine').message}`,
      logTail: [tail(stderr, 10), tail(haTail, 10)].filter(Boolean).join('\n'),
    });
    this.startWatch();
  }

  stop(): Promise<VmStatus> {
    return this.exclusive('stop it', () => this.doStop());
  }

  private async doStop(): Promise<VmStatus> {
    const d = this.requireDriver();
    this.stopWatch();
    this.apply({ type: 'stop' });
    try {
      const r = await d.stop({ timeoutMs: this.o.stopTimeoutMs ?? 90_000 });
      if (r.forced) this.o.log.warn('The VM was stopped by force after the graceful stop timed out');
      this.instance = await d.inspect();
      this.apply({ type: 'stopped' });
    } catch (err) {
      const e = toErrorShapeSafe(err, 'stop the VM');
      this.apply({ type: 'failed', reason: e.message, logTail: typeof e.details?.stderr === 'string' ? e.details.stderr : '' });
      throw err;
    }
    return this.status();
  }

  async restart(): Promise<VmStatus> {
    if (this.machine.state === 'running' || this.machine.state === 'degraded' || this.machine.state === 'error') {
      const i = await this.requireDriver().inspect();
      if (i?.status === 'Running') await this.stop();
    }
    return this.start();
  }

  delete(): Promise<VmStatus> {
    return this.exclusive('delete it', async () => {
      const d = this.requireDriver();
      if (this.machine.state === 'running') throw new BerthError('CONFLICT', 'Stop the VM before you delete it.');
      this.stopWatch();
      await d.delete();
      await this.link.remove();
      this.instance = null;
      this.diskUsage = undefined;
      this.apply({ type: 'deleted' });
      return this.status();
    });
  }

  factoryReset(): Promise<VmStatus> {
    return this.exclusive('reset it', async () => {
      const d = this.requireDriver();
      this.stopWatch();
      await d.factoryReset();
      await this.link.remove();
      this.instance = null;
      this.diskUsage = undefined;
      this.machine = { state: 'absent' };
      this.o.log.info('VM factory reset done');
      this.emit();
      return this.status();
    });
  }

  /** Saves VM settings after checking they can work here; they apply at the next start. */
  async updateSettings(vm: NonNullable<SettingsPatch['vm']>, runtime?: 'containerd' | 'moby'): Promise<VmStatus> {
    const cur = this.o.settings.get();
    resolveVm({ ...cur.vm, ...vm }, runtime ?? cur.engine.runtime, this.o.host); // INVALID_INPUT with every problem
    await this.o.settings.update({ vm, ...(runtime ? { engine: { runtime } } : {}) });
    this.limactl = undefined; // the limactl path or the mode may have changed
    this.limactlError = undefined;
    await this.refresh().catch((err: unknown) => this.o.log.warn('VM refresh after a settings change failed', { error: String(err) }));
    this.emit();
    return this.status();
  }

  settingsView(): { vm: ReturnType<SettingsStore['get']>['vm']; runtime: 'containerd' | 'moby'; hostCpus: number; platform: string } {
    const s = this.o.settings.get();
    return { vm: s.vm, runtime: s.engine.runtime, hostCpus: this.o.host.cpus, platform: this.o.host.platform };
  }

  deletion(action: DeletionStatement['action']): Promise<DeletionStatement> {
    return deletionStatement(this.requireDriver(), action);
  }

  async checks(): Promise<VmCheck[]> {
    const out = await runChecks(this.driver, this.status(), this.o.engines);
    const hi = this.o.hostIntegration ? await this.hostIntegration().catch(() => null) : null;
    if (hi?.dockerContext.available) {
      const dc = hi.dockerContext;
      out.push({
        id: 'docker-context',
        label: 'Docker context',
        ok: dc.host === null || dc.enabled,
        detail: dc.host === null ? 'No berth context (optional)' : dc.enabled ? `berth → ${dc.host}` : `berth points elsewhere: ${dc.host}`,
        ...(dc.host !== null && !dc.enabled ? { hint: 'Turn the docker context off and on again in Host integration.' } : {}),
      });
    }
    return out;
  }

  private hostIntegrationOrFail(): HostIntegration {
    if (!this.o.hostIntegration) throw new BerthError('NOT_SUPPORTED', 'Host integration is not available here.');
    return this.o.hostIntegration;
  }

  async hostIntegration(): Promise<VmHostIntegration> {
    const h = this.hostIntegrationOrFail();
    const d = this.o.driver;
    const socket = d ? `unix://${d.paths.dockerSocket}` : null;
    const [dc, pc] = await Promise.all([h.dockerContext(), h.pathConfig()]);
    return {
      dockerContext: { available: this.o.settings.get().engine.runtime === 'moby' && d !== null, enabled: dc.host !== null && dc.host === socket, host: dc.host, file: dc.file },
      path: { supported: pc.supported && Boolean(this.o.cliDir), enabled: pc.files.length > 0, files: pc.files, cliDir: this.o.cliDir ?? '' },
    };
  }

  async setHostIntegration(want: { dockerContext?: boolean | undefined; path?: boolean | undefined }): Promise<VmHostIntegration> {
    const h = this.hostIntegrationOrFail();
    if (want.dockerContext !== undefined) {
      const cur = await this.hostIntegration();
      if (want.dockerContext && !cur.dockerContext.available) {
        throw new BerthError('INVALID_INPUT', 'The berth docker context needs the moby runtime: containerd forwards no Docker socket.', { hint: 'Choose moby in the VM settings.' });
      }
      await h.setDockerContext(want.dockerContext ? this.requireDriver().paths.dockerSocket : null);
      this.o.log.info(want.dockerContext ? 'Created the berth docker context' : 'Removed the berth docker context');
    }
    if (want.path !== undefined) {
      if (want.path && !this.o.cliDir) throw new BerthError('NOT_SUPPORTED', 'Berth has no bundled CLIs to put on PATH here.');
      const changed = await h.setPathConfig(want.path ? (this.o.cliDir ?? null) : null);
      this.o.log.info(want.path ? 'Added the bundled CLIs to PATH' : 'Removed the bundled CLIs from PATH', { files: changed });
    }
    return this.hostIntegration();
  }

  async logs(): Promise<string[]> {
    const d = this.driver;
    return ['berth.log', ...(d ? await d.logNames() : [])];
  }

  readLog(name: string, maxBytes: number): Promise<string> {
    if (name === 'berth.log') return this.o.diagnostics.readAppLog(maxBytes);
    return this.requireDriver().readLog(name as VmLogName, maxBytes);
  }

  async diagnostics(): Promise<{ path: string; bytes: number }> {
    return collectDiagnostics(this.driver, this.status(), await this.checks(), this.o.diagnostics);
  }

  private startWatch(): void {
    if (this.watchTimer || this.disposed) return;
    const tick = async () => {
      this.watchTimer = null;
      const d = this.driver;
      if (!d || this.disposed) return;
      const st = this.machine.state;
      if (st !== 'running' && st !== 'degraded') return;
      if (!(await d.hostAgentAlive())) {
        this.o.log.warn('The VM host agent is gone: reading the VM state');
        await this.observe();
        if (this.machine.state !== 'running' && this.machine.state !== 'degraded') return;
      }
      this.watchTimer = setTimeout(() => void tick(), this.o.watchMs ?? 2000);
    };
    this.watchTimer = setTimeout(() => void tick(), this.o.watchMs ?? 2000);
  }

  private stopWatch(): void {
    if (this.watchTimer) clearTimeout(this.watchTimer);
    this.watchTimer = null;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopWatch();
    this.startAbort?.abort();
    this.listeners.clear();
    await this.busy;
  }
}
