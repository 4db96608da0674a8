import { BerthError } from '../contract/errors';
import type { TerminalEvent, TerminalInfo, TerminalOpenInput, TerminalTarget } from '../contract/terminals';
import type { ExecProcess } from '../ports/engine/exec';
import type { Logger } from '../ports/logger';
import type { SpawnedProcess } from '../ports/process';
import type { HostShellSpec, PtyFactory } from '../ports/pty';
import type { EngineRegistry } from './engine-registry';
import { execBackend, ptyBackend, spawnedBackend, type TerminalBackend } from './terminals-backend';
import { DEFAULT_LIMITS, TerminalSession, type FlowLimits } from './terminals-session';
import { pickContainerShell } from './terminals-shell';

export interface TerminalServiceOptions {
  pty: PtyFactory;
  engines: EngineRegistry;
  log: Logger;
  /** How to start the user's shell; `dockerHost` is the active engine's Docker API address, when it has one. */
  hostShell(dockerHost: string | null): HostShellSpec;
  /**
   * Starts a shell in Berth's VM (`limactl shell` through the VM executor) in a pty of this size;
   * resolves to null in native mode (no VM: a VM shell is then a host shell). Absent: no VM support.
   */
  vmShell?: (cols: number, rows: number) => Promise<{ proc: SpawnedProcess; command: string[] } | null>;
  /** Starts a command with a TTY in a pod's container (the pods service); absent: no Kubernetes. */
  podExec?: (target: Extract<TerminalTarget, { kind: 'pod' }>, cols: number, rows: number) => Promise<{ proc: ExecProcess; command: string[] }>;
  /** Without `vmShell`: native Linux mode, where a VM shell is a host shell. */
  nativeHost: boolean;
  limits?: Partial<FlowLimits>;
  /** Most sessions open at once. */
  maxSessions?: number;
}

const newId = (): string => globalThis.crypto.randomUUID();

/**
 * Terminal sessions by id: host shells, container shells and VM shells. A session lives on its
 * own, apart from any view: views attach and detach (reload, navigation) while its output
 * keeps flowing into its scrollback; it ends when closed, when the core stops, or, unless
 * opened with `keep`, when the client that opened it goes away.
 */
export class TerminalService {
  private readonly sessions = new Map<string, TerminalSession>();
  private order: string[] = [];
  private readonly limits: FlowLimits;
  /** Unregisters the client-gone hook of a session that ends first. */
  private readonly unhook = new Map<string, () => void>();

  constructor(private readonly o: TerminalServiceOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
  }

  list(): TerminalInfo[] {
    return this.order.map((id) => this.get(id).info);
  }

  /** The session itself (tests and benchmarks look at its buffers). */
  session(id: string): TerminalSession {
    return this.get(id);
  }

  /**
   * `signal` cancels the opening; `onClientGone` registers what to do when the opening client's
   * connection closes (a session without `keep` ends then).
   */
  async open(input: TerminalOpenInput, signal: AbortSignal, onClientGone?: (cb: () => void) => () => void): Promise<TerminalInfo> {
    if (this.sessions.size >= (this.o.maxSessions ?? 64)) {
      throw new BerthError('CONFLICT', 'Too many terminals are open.', { hint: 'Close some terminal tabs, then try again.' });
    }
    const id = newId();
    const { backend, command } = await this.start(input.target, input.cols, input.rows, signal);
    if (signal.aborted) {
      backend.kill();
      throw new BerthError('CANCELLED', 'Opening the terminal was cancelled.');
    }
    const info: TerminalInfo = {
      id,
      title: input.title ?? defaultTitle(input.target, command),
      target: input.target,
      command,
      state: 'running',
      exitCode: null,
      cols: input.cols,
      rows: input.rows,
      keep: input.keep,
      createdAt: new Date().toISOString(),
    };
    const s = new TerminalSession(info, this.limits);
    s.run(backend, info);
    this.sessions.set(id, s);
    this.order.push(id);
    if (!input.keep && onClientGone) {
      const off = onClientGone(() => this.closeQuietly(id));
      this.unhook.set(id, off);
    }
    this.o.log.info('Terminal opened', { id, kind: input.target.kind, command });
    return s.info;
  }

  attach(id: string, from: number | undefined, emit: (e: TerminalEvent) => Promise<void>, signal: AbortSignal, withAcks = false): Promise<void> {
    return this.get(id).attach(from, emit, signal, withAcks);
  }

  ack(id: string, view: string, end: number): void {
    this.get(id).ack(view, end);
  }

  async input(id: string, data: string): Promise<void> {
    const s = this.get(id);
    if (s.info.state !== 'running') throw new BerthError('CONFLICT', 'This terminal\'s program has ended.', { hint: 'Restart it, or close the tab.' });
    await s.write(data);
  }

  resize(id: string, cols: number, rows: number): Promise<void> {
    return this.get(id).resize(cols, rows);
  }

  rename(id: string, title: string): TerminalInfo {
    const s = this.get(id);
    s.info = { ...s.info, title };
    return s.info;
  }

  move(id: string, index: number): TerminalInfo[] {
    this.get(id);
    const rest = this.order.filter((x) => x !== id);
    rest.splice(Math.min(index, rest.length), 0, id);
    this.order = rest;
    return this.list();
  }

  async restart(id: string): Promise<TerminalInfo> {
    const s = this.get(id);
    if (s.info.state === 'running') throw new BerthError('CONFLICT', 'This terminal is still running.', { hint: 'Close it first, or keep using it.' });
    const { cols, rows, target } = s.info;
    const ctrl = new AbortController();
    const { backend, command } = await this.start(target, cols, rows, ctrl.signal);
    s.run(backend, { ...s.info, command, state: 'running', exitCode: null });
    this.o.log.info('Terminal restarted', { id, command });
    return s.info;
  }

  close(id: string): void {
    const s = this.get(id);
    s.close();
    this.unhook.get(id)?.();
    this.unhook.delete(id);
    this.sessions.delete(id);
    this.order = this.order.filter((x) => x !== id);
    this.o.log.info('Terminal closed', { id });
  }

  /** Ends every session (the core stops). */
  closeAll(): void {
    for (const id of [...this.order]) this.close(id);
  }

  count(): number {
    return this.sessions.size;
  }

  private closeQuietly(id: string): void {
    if (this.sessions.has(id)) this.close(id);
  }

  private get(id: string): TerminalSession {
    const s = this.sessions.get(id);
    if (!s) throw new BerthError('NOT_FOUND', 'That terminal does not exist (it was closed, or Berth restarted).', { hint: 'Open a new one.' });
    return s;
  }

  private activeDockerHost(): string | null {
    const active = this.o.engines.activeEngineId();
    if (!active) return null;
    const e = this.o.engines.resolve(active);
    return e.kind === 'docker-api' ? e.endpoint : null;
  }

  private async start(target: TerminalTarget, cols: number, rows: number, signal: AbortSignal): Promise<{ backend: TerminalBackend; command: string[] }> {
    if (target.kind === 'container') {
      const engine = this.o.engines.resolve(target.engineId);
      const cmd = target.cmd ?? [await pickContainerShell(engine, target.container, signal)];
      const opts = { container: target.container, cmd, tty: true, cols, rows, env: { TERM: 'xterm-256color' }, ...(target.user ? { user: target.user } : {}) };
      // Not tied to the opening call: the session outlives it.
      const proc = await engine.exec.start(opts, new AbortController().signal);
      return { backend: execBackend(proc, this.o.log), command: cmd };
    }
    if (target.kind === 'pod') {
      if (!this.o.podExec) throw new BerthError('NOT_SUPPORTED', 'This build of Berth has no Kubernetes support.');
      const { proc, command } = await this.o.podExec(target, cols, rows);
      return { backend: execBackend(proc, this.o.log), command };
    }
    if (target.kind === 'vm') {
      const vm = this.o.vmShell ? await this.o.vmShell(cols, rows) : null;
      if (vm) return { backend: spawnedBackend(vm.proc, this.o.log), command: vm.command };
      if (this.o.vmShell === undefined && !this.o.nativeHost) {
        throw new BerthError('NOT_SUPPORTED', 'This build of Berth has no VM.', { hint: 'Open a host terminal instead.' });
      }
    }
    const spec: HostShellSpec = this.o.hostShell(this.activeDockerHost());
    const p = this.o.pty.spawn({ file: spec.file, args: spec.args, env: spec.env, cwd: spec.cwd, cols, rows });
    return { backend: ptyBackend(p), command: [spec.file, ...spec.args] };
  }
}

function defaultTitle(target: TerminalTarget, command: string[]): string {
  const prog = (command[0] ?? 'shell').split('/').pop() ?? 'shell';
  if (target.kind === 'container') return `${target.container}: ${prog}`;
  if (target.kind === 'vm') return 'VM';
  if (target.kind === 'pod') return `${target.pod}: ${prog}`;
  return prog;
}
