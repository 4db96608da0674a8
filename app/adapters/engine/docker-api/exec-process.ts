import type { Duplex } from 'node:stream';
import { podmanLacks } from './flavor';
import type Docker from 'dockerode';
import { BerthError } from '../../../contract/errors';
import { FrameDemuxer } from '../../../core/log-demux';
import type { ExecOutput, ExecProcess } from '../../../ports/engine/exec';
import type { DockerContext } from './context';

/** Ctrl-C: interrupts what runs in the terminal's foreground. */
const INTERRUPT = '\x03';
/** Ctrl-D: end of input for a shell at its prompt. */
const EOT = '\x04';
/** Output chunks held for a slow reader before the connection is paused. */
const HIGH_WATER = 64;

const sleep = (ms: number) =>
  new Promise<void>((r) => {
    setTimeout(r, ms).unref?.();
  });

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await sleep(20);
}

/**
 * One exec attached over a hijacked connection: output in, input out.
 *
 * Closing: the engine gives no way to kill an exec, and for a TTY exec neither closing the
 * input nor dropping the connection ends the process (the engine keeps the terminal open).
 * So close() types Ctrl-C, waits for the terminal to answer, then types Ctrl-D (a program
 * that stops on SIGINT ends, then a shell back at its prompt ends), up to twice; without a
 * TTY it closes the input (a process that reads it ends). Then the connection is closed, and
 * a little later a warning is logged if the process is still running (a program that ignores
 * SIGINT and its input).
 */
export class DockerExecProcess implements ExecProcess {
  private closed = false;
  private ended = false;
  private failure: unknown = null;
  private readonly queue: ExecOutput[] = [];
  private wake: (() => void) | null = null;
  private chunksSeen = 0;
  private readonly demux: FrameDemuxer | null;
  private readonly dec = { stdout: new TextDecoder(), stderr: new TextDecoder() };

  constructor(
    private readonly ctx: DockerContext,
    private readonly exec: Docker.Exec,
    private readonly sock: Duplex,
    readonly tty: boolean,
    private readonly container: string,
  ) {
    this.demux = tty ? null : new FrameDemuxer();
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('end', () => this.onEnd());
    sock.on('close', () => this.onEnd());
    sock.on('error', (err) => {
      this.failure ??= err;
      this.notify();
    });
  }

  async *output(): AsyncGenerator<ExecOutput, void, undefined> {
    for (;;) {
      const o = this.queue.shift();
      if (o) {
        if (this.queue.length < HIGH_WATER / 4 && this.sock.isPaused()) this.sock.resume();
        yield o;
        continue;
      }
      if (this.closed) return;
      if (this.failure) throw this.ctx.fail(this.failure, 'read the output of a command in', this.container);
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
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
    if (this.ctx.flavor === 'podman') {
      return Promise.reject(podmanLacks('resize the terminal of a running command (Podman 4 fails the exec resize call)', 'The terminal keeps the size it started with; open a new terminal after resizing the window.', 'execResize'));
    }
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
    this.queue.length = 0;
    this.notify();
    if (this.sock.isPaused()) this.sock.resume();
    if (this.ended || this.sock.destroyed) {
      this.sock.destroy();
      return;
    }
    void this.windDown();
  }

  private async windDown(): Promise<void> {
    const s = this.sock;
    const gone = () => this.ended || s.destroyed || !s.writable;
    if (this.tty) {
      for (let attempt = 0; attempt < 2 && !gone(); attempt++) {
        const seen = this.chunksSeen;
        s.write(INTERRUPT);
        // The terminal drops pending input on Ctrl-C: Ctrl-D must come once the shell is back.
        await waitFor(() => gone() || this.chunksSeen > seen, 600);
        await sleep(100);
        if (gone()) break;
        s.write(EOT);
        await waitFor(gone, 600);
      }
    }
    if (!s.destroyed) {
      setTimeout(() => s.destroy(), 500).unref?.();
      if (s.writable) s.end(() => s.destroy());
      else s.destroy();
    }
    if (!this.ended) void this.checkGone();
  }

  private onData(chunk: Buffer): void {
    this.chunksSeen++;
    if (this.closed) return;
    try {
      this.decode(chunk);
    } catch (err) {
      this.failure ??= err;
    }
    if (this.queue.length >= HIGH_WATER) this.sock.pause();
    this.notify();
  }

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.closed) {
      const out = this.dec.stdout.decode();
      if (out) this.queue.push(this.tty ? { data: out } : { data: out, stream: 'stdout' });
      const err = this.dec.stderr.decode();
      if (err) this.queue.push({ data: err, stream: 'stderr' });
    }
    this.notify();
  }

  private decode(chunk: Buffer): void {
    if (!this.demux) {
      const data = this.dec.stdout.decode(chunk, { stream: true });
      if (data) this.queue.push({ data });
      return;
    }
    let cur: ExecOutput | null = null;
    for (const f of this.demux.push(chunk)) {
      const stream = f.stream === 'stderr' ? 'stderr' : 'stdout';
      const data = this.dec[stream].decode(f.data, { stream: true });
      if (!data) continue;
      if (cur && cur.stream === stream) cur.data += data;
      else this.queue.push((cur = { data, stream }));
    }
  }

  private notify(): void {
    this.wake?.();
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
