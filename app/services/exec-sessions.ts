import { BerthError } from '../contract/errors';
import type { ExecEvent, ExecSessionInput } from '../contract/exec';
import type { ContainerEngine } from '../ports/engine';
import type { ExecProcess, ExecStartOptions } from '../ports/engine/exec';
import type { Logger } from '../ports/logger';

/** A random, unguessable session id (122 bits). */
const newSessionId = (): string => globalThis.crypto.randomUUID();

/**
 * Exec sessions keyed by a random id, so input and resizes (separate calls) reach the right
 * process. A session lives exactly as long as its subscription: it is closed and forgotten
 * when the process ends, when the subscription is cancelled and when the client goes away.
 */
export class ExecSessions {
  private readonly sessions = new Map<string, ExecProcess>();

  constructor(private readonly log: Logger) {}

  /** Open sessions (for tests and diagnostics). */
  count(): number {
    return this.sessions.size;
  }

  /**
   * Runs one session; `emit` is awaited, so output is read from the process only as fast as the
   * client takes it (the adapter pauses the connection meanwhile), and memory stays bounded.
   */
  async run(engine: ContainerEngine, input: ExecSessionInput, emit: (e: ExecEvent) => Promise<void>, signal: AbortSignal): Promise<void> {
    const opts: ExecStartOptions = { container: input.container, cmd: input.cmd, tty: input.tty };
    if (input.cols !== undefined) opts.cols = input.cols;
    if (input.rows !== undefined) opts.rows = input.rows;
    if (input.env) opts.env = input.env;
    if (input.user) opts.user = input.user;
    if (input.workingDir) opts.workingDir = input.workingDir;
    const proc = await engine.exec.start(opts, signal);
    const id = newSessionId();
    this.sessions.set(id, proc);
    const onAbort = () => proc.close();
    signal.addEventListener('abort', onAbort, { once: true });
    this.log.debug('Exec session started', { session: id, container: input.container, tty: input.tty });
    try {
      if (signal.aborted) return;
      await emit({ type: 'started', sessionId: id });
      for await (const o of proc.output()) {
        if (signal.aborted) return;
        await emit(o.stream ? { type: 'output', data: o.data, stream: o.stream } : { type: 'output', data: o.data });
      }
      if (signal.aborted) return;
      await emit({ type: 'exit', exitCode: await proc.exitCode() });
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.sessions.delete(id);
      proc.close();
      this.log.debug('Exec session closed', { session: id });
    }
  }

  async input(sessionId: string, data: string, eof = false): Promise<void> {
    const p = this.get(sessionId);
    if (data.length > 0) await p.write(data);
    if (eof) p.closeInput();
  }

  resize(sessionId: string, cols: number, rows: number): Promise<void> {
    return this.get(sessionId).resize(cols, rows);
  }

  /** Closes every session (core shutdown). */
  closeAll(): void {
    for (const p of this.sessions.values()) p.close();
    this.sessions.clear();
  }

  private get(sessionId: string): ExecProcess {
    const p = this.sessions.get(sessionId);
    if (!p) throw new BerthError('NOT_FOUND', 'That terminal session does not exist or has ended.', { hint: 'Open a new one.' });
    return p;
  }
}
