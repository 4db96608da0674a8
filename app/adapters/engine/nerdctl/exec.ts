import type { ExecOps, ExecOutput, ExecProcess, ExecStartOptions } from '../../../ports/engine/exec';
import type { SpawnedProcess } from '../../../ports/engine/command-runner';
import type { NerdctlContext } from './context';

const EOT = '\x04';
/** nerdctl exits 1 and logs the command's real exit code: `exec failed with exit code N` (plain, or coloured in a TTY). */
// eslint-disable-next-line no-control-regex -- the terminal's colour codes around nerdctl's FATA line
const EXIT_LINE = /(?:time="[^"]*" level=fatal msg="|(?:\x1b\[\d+m)?FATA(?:\x1b\[0m)?\[\d+\] )exec failed with exit code (\d+)"?[ \t]*\r?\n?/;
const INTERRUPT = '\x03';

/** `nerdctl exec` flags: `-i` always (Berth writes to it), `-t` in a pseudo-terminal. */
export function execArgs(o: ExecStartOptions): string[] {
  const a = ['exec', '-i'];
  if (o.tty) a.push('-t');
  for (const [k, v] of Object.entries(o.env ?? {})) a.push('-e', `${k}=${v}`);
  if (o.user) a.push('--user', o.user);
  if (o.workingDir) a.push('--workdir', o.workingDir);
  a.push(o.container, ...o.cmd);
  return a;
}

/** A running `nerdctl exec`: with a TTY inside a pty (resizable); without, stdout and stderr apart. */
class NerdctlExecProcess implements ExecProcess {
  private readonly queue: ExecOutput[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private closed = false;
  private code: number | null = null;

  constructor(
    private readonly proc: SpawnedProcess,
    readonly tty: boolean,
  ) {
    void this.pump();
  }

  private realCode: number | null = null;

  /** Takes nerdctl's own `exec failed with exit code N` line out of the output, keeping N. */
  private strip(text: string): string {
    const m = EXIT_LINE.exec(text);
    if (!m) return text;
    this.realCode = Number(m[1]);
    return text.replace(EXIT_LINE, '');
  }

  pushErr(text: string): void {
    const t = this.strip(text);
    if (t) this.push({ data: t, stream: 'stderr' });
  }

  private push(o: ExecOutput): void {
    this.queue.push(o);
    this.wake?.();
    this.wake = null;
  }

  private async pump(): Promise<void> {
    const dec = new TextDecoder();
    for await (const chunk of this.proc.stdout) {
      const data = this.tty ? this.strip(dec.decode(chunk, { stream: true })) : dec.decode(chunk, { stream: true });
      if (data) this.push(this.tty ? { data } : { data, stream: 'stdout' });
    }
    const rest = dec.decode();
    if (rest) this.push(this.tty ? { data: rest } : { data: rest, stream: 'stdout' });
    const exit = await this.proc.exit;
    this.code = exit.exitCode === 1 && this.realCode !== null ? this.realCode : exit.exitCode;
    this.ended = true;
    this.wake?.();
    this.wake = null;
  }

  async *output(): AsyncGenerator<ExecOutput, void, undefined> {
    for (;;) {
      const o = this.queue.shift();
      if (o) {
        yield o;
        continue;
      }
      if (this.ended || this.closed) return;
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  write(data: string): Promise<void> {
    if (!this.closed && !this.ended) this.proc.write(data);
    return Promise.resolve();
  }

  closeInput(): void {
    if (this.tty) this.proc.write(EOT);
    else this.proc.closeInput();
  }

  resize(cols: number, rows: number): Promise<void> {
    this.proc.resize(cols, rows);
    return Promise.resolve();
  }

  async exitCode(): Promise<number | null> {
    if (this.ended) return this.code;
    if (this.closed) return null;
    const exit = await this.proc.exit;
    return exit.exitCode === 1 && this.realCode !== null ? this.realCode : exit.exitCode;
  }

  /** Types Ctrl-C then Ctrl-D in a terminal (a shell at its prompt ends), closes the input, then ends the process. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.ended) {
      // Killing `nerdctl exec` leaves the process in the container running: end it from its terminal
      // instead (Ctrl-C stops the foreground command, then Ctrl-D ends a shell at its prompt), twice.
      const steps = this.tty ? [INTERRUPT, EOT, INTERRUPT, EOT] : [];
      let i = 0;
      const tick = () => {
        if (this.ended) return;
        const key = steps[i++];
        if (key !== undefined) {
          this.proc.write(key);
          setTimeout(tick, 250).unref?.();
          return;
        }
        this.proc.closeInput();
        setTimeout(() => this.proc.kill(), 1000).unref?.();
      };
      tick();
    }
    this.wake?.();
    this.wake = null;
  }
}

export class NerdctlExec implements ExecOps {
  constructor(private readonly ctx: NerdctlContext) {}

  async start(opts: ExecStartOptions, signal: AbortSignal): Promise<ExecProcess> {
    // The container must be running: ask first so a stopped one is a typed error, not a dead terminal.
    await this.ctx.exec('open a terminal in', opts.container, ['container', 'inspect', '--format', '{{.State.Running}}', opts.container]).then((out) => {
      if (out.trim() !== 'true') throw this.ctx.failure('open a terminal in', opts.container, [], { exitCode: 1, stderr: `level=fatal msg="container ${opts.container} is not running"` });
    });
    const dec = new TextDecoder();
    let target: NerdctlExecProcess | null = null;
    const early: string[] = [];
    // No abort signal on the process itself: killing `nerdctl exec` would leave the command running in
    // the container; close() (on abort) ends it from its terminal first.
    const proc = await this.ctx.spawn(execArgs(opts), {
      ...(opts.tty ? { pty: { cols: opts.cols ?? 80, rows: opts.rows ?? 24 } } : {}),
      onStderr: (chunk) => {
        const text = dec.decode(chunk, { stream: true });
        if (target) target.pushErr(text);
        else early.push(text);
      },
    });
    target = new NerdctlExecProcess(proc, opts.tty);
    for (const t of early) target.pushErr(t);
    const p = target;
    signal.addEventListener('abort', () => p.close(), { once: true });
    return p;
  }
}
