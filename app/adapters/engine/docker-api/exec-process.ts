import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { BerthError } from '../../../contract/errors';
import { FrameDemuxer } from '../../../core/log-demux';
import type { ExecOutput, ExecProcess } from '../../../ports/engine/exec';
import type { DockerContext } from './context';

/** Ctrl-C: interrupts what runs in the terminal's foreground. */
const INTERRUPT = '\x03';
/** Ctrl-D: end of input for a shell at its prompt. */
const EOT = '\x04';

const sleep = (ms: number) =>
  new Promise<void>((r) => {
    setTimeout(r, ms).unref?.();
  });

/**
 * One exec attached over a hijacked connection: output in, input out.
 *
 * Closing: the engine gives no way to kill an exec, and for a TTY exec neither closing the
 * input nor dropping the connection ends the process (the engine keeps the terminal open).
 * So close() types Ctrl-C and then Ctrl-D into a TTY (a program that stops on SIGINT ends,
 * then a shell back at its prompt ends), half-closes the input (ends a non-TTY process that reads it),
 * closes the connection and checks a little later whether the process is gone, logging a
 * warning when it is not (e.g. a program that ignores SIGINT and never reads its input).
 */
export class DockerExecProcess implements ExecProcess {
  private closed = false;
  /** The engine ended the output: the process is done, nothing to wind down. */
  private outputEnded = false;

  constructor(
    private readonly ctx: DockerContext,
    private readonly exec: Docker.Exec,
    private readonly sock: Duplex,
    readonly tty: boolean,
    private readonly container: string,
  ) {
    // Errors surface through output(); an 'error' with no listener would crash the process.
    sock.on('error', (err) => ctx.log.debug('Exec connection error', { error: String(err) }));
  }

  async *output(): AsyncGenerator<ExecOutput, void, undefined> {
    const demux = this.tty ? null : new FrameDemuxer();
    const dec = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    try {
      for await (const chunk of this.sock as AsyncIterable<Buffer>) {
        if (!demux) {
          const data = dec.stdout.decode(chunk, { stream: true });
          if (data) yield { data };
          continue;
        }
        let cur: ExecOutput | null = null;
        const out: ExecOutput[] = [];
        for (const f of demux.push(chunk)) {
          const stream = f.stream === 'stderr' ? 'stderr' : 'stdout';
          const data = dec[stream].decode(f.data, { stream: true });
          if (!data) continue;
          if (cur && cur.stream === stream) cur.data += data;
          else out.push((cur = { data, stream }));
        }
        for (const o of out) yield o;
      }
    } catch (err) {
      if (this.closed) return;
      throw this.ctx.fail(err, 'read the output of a command in', this.container);
    }
    this.outputEnded = true;
    const rest = dec.stdout.decode();
    if (rest) yield this.tty ? { data: rest } : { data: rest, stream: 'stdout' };
    const restErr = dec.stderr.decode();
    if (restErr) yield { data: restErr, stream: 'stderr' };
  }

  write(data: string): Promise<void> {
    if (this.closed || !this.sock.writable) {
      return Promise.reject(new BerthError('CONFLICT', 'The command no longer accepts input: its session has ended or its input was closed.'));
    }
    return new Promise((resolve, reject) =>
      this.sock.write(data, 'utf8', (err) => (err ? reject(this.ctx.fail(err, 'send input to a command in', this.container)) : resolve())),
    );
  }

  closeInput(): void {
    if (this.closed || !this.sock.writable) return;
    if (this.tty) this.sock.write(EOT);
    else this.sock.end();
  }

  resize(cols: number, rows: number): Promise<void> {
    return this.ctx.call('resize the terminal of a command in', this.container, () => this.exec.resize({ h: rows, w: cols }) as Promise<unknown>).then(() => undefined);
  }

  async exitCode(): Promise<number | null> {
    // The connection can end a moment before the engine records the exit.
    for (let i = 0; i < 20; i++) {
      const info = await this.exec.inspect().catch(() => null);
      if (!info) return null;
      if (!info.Running) return typeof info.ExitCode === 'number' ? info.ExitCode : null;
      await sleep(100);
    }
    return null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const s = this.sock;
    if (s.destroyed) return;
    if (this.outputEnded) {
      s.destroy();
      return;
    }
    const destroy = () => s.destroy();
    const guard = setTimeout(destroy, 1500);
    guard.unref?.();
    s.once('close', () => clearTimeout(guard));
    const endInput = () => {
      if (!s.writable) return destroy();
      if (this.tty) s.write(EOT);
      s.end(destroy);
    };
    if (this.tty && s.writable) {
      // The terminal drops pending input on Ctrl-C, so Ctrl-D must come once the shell is back.
      s.write(INTERRUPT);
      setTimeout(endInput, 300).unref?.();
    } else endInput();
    void this.checkGone();
  }

  private async checkGone(): Promise<void> {
    await sleep(2000);
    const info = await this.exec.inspect().catch(() => null);
    if (info?.Running) {
      this.ctx.log.warn('A command kept running in a container after its session closed (it ignores Ctrl-C and its input)', {
        container: this.container,
        exec: this.exec.id,
        pid: info.Pid,
      });
    }
  }
}
