import { spawn as spawnChild } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { Logger } from '../../ports/logger';
import type { ProcessSpawner, SpawnedProcess, SpawnExit, SpawnOptions } from '../../ports/process';

const STDERR_TAIL = 64 * 1024;
const KILL_GRACE_MS = 3000;
/** How long a pipe may stay open, quiet, after its program exited (a grandchild holding it) before its output ends. */
const EXIT_GRACE_MS = 1000;
/** Chunks a pty may queue for a slow reader before it is paused. */
const PTY_HIGH_WATER = 64;

const signalNumber = (name: string | null): number => (name ? ((osConstants.signals as Record<string, number>)[name] ?? 0) : 0);

function tailAppend(prev: string, chunk: string): string {
  const s = prev + chunk;
  return s.length > STDERR_TAIL ? s.slice(s.length - STDERR_TAIL) : s;
}

/** A child process with pipes (never a shell): stdout stays a Node stream, so iteration applies backpressure. */
function spawnPiped(cmd: string, args: readonly string[], opts: SpawnOptions): SpawnedProcess {
  const child = spawnChild(cmd, [...args], {
    shell: false,
    cwd: opts.cwd,
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  let killTimer: NodeJS.Timeout | null = null;
  let exited = false;
  let reading = false;
  let wakeOnExit: (() => void) | null = null;
  /**
   * stdout as it comes, however slowly it is read: everything the program wrote before it exited is
   * handed on. Only once it has exited and the pipe has stayed quiet for a while *while waiting for
   * more* (a grandchild holds it open) does the output end, cleanly.
   */
  async function* output(): AsyncGenerator<Uint8Array, void, undefined> {
    reading = true;
    const it = (child.stdout as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        const next = it.next();
        const r = await new Promise<IteratorResult<Uint8Array> | 'quiet'>((resolve, reject) => {
          let timer: NodeJS.Timeout | undefined;
          const quiet = () => (timer = setTimeout(() => resolve('quiet'), EXIT_GRACE_MS));
          if (exited) quiet();
          else wakeOnExit = quiet;
          next.then(
            (v) => {
              clearTimeout(timer);
              wakeOnExit = null;
              resolve(v);
            },
            (e: unknown) => {
              clearTimeout(timer);
              wakeOnExit = null;
              reject(e instanceof Error ? e : new Error(String(e)));
            },
          );
        });
        if (r === 'quiet') {
          next.catch(() => undefined);
          child.stdout.destroy();
          finished = true;
          return;
        }
        if (r.done) {
          finished = true;
          return;
        }
        yield r.value;
      }
    } finally {
      // A reader that stops early lets the pipe go.
      if (!finished) await it.return?.();
    }
  }
  const dec = new TextDecoder();
  child.stderr.on('data', (b: Buffer) => {
    opts.onStderr?.(b);
    stderr = tailAppend(stderr, dec.decode(b, { stream: true }));
  });
  child.stdin.on('error', () => undefined);
  const exit = new Promise<SpawnExit>((resolve) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      stderr = tailAppend(stderr, e.code === 'ENOENT' ? `The program "${cmd}" was not found.` : `Could not run ${cmd}: ${e.message}`);
      resolve({ exitCode: 127, stderr });
    });
    const done = (code: number | null, sig: NodeJS.Signals | null) => {
      if (killTimer) clearTimeout(killTimer);
      resolve({ exitCode: code ?? 128 + signalNumber(sig), stderr });
    };
    child.on('close', done);
    // A grandchild that keeps our pipes open (`tail -f` under `logs -f`) must not keep the process "running".
    child.on('exit', (code, sig) => {
      exited = true;
      wakeOnExit?.();
      setTimeout(() => {
        // Output nobody reads is let go; output being read ends in `output()` once it goes quiet.
        if (!reading) child.stdout.destroy();
        child.stderr.destroy();
        done(code, sig);
      }, EXIT_GRACE_MS).unref();
    });
  });
  const kill = (sig = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig as NodeJS.Signals);
    killTimer ??= setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    killTimer.unref();
  };
  opts.signal?.addEventListener('abort', () => kill(), { once: true });
  if (opts.signal?.aborted) kill();
  return {
    pid: child.pid,
    stdout: output(),
    write(data) {
      if (child.stdin.writable) child.stdin.write(data);
    },
    drain() {
      const input = child.stdin;
      if (!input.writable || !input.writableNeedDrain) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          for (const e of ['drain', 'close', 'error'] as const) input.off(e, done);
          resolve();
        };
        for (const e of ['drain', 'close', 'error'] as const) input.once(e, done);
      });
    },
    closeInput() {
      child.stdin.end();
    },
    resize() {
      /* no terminal */
    },
    kill,
    exit,
  };
}

/** A child in a pseudo-terminal (node-pty): a queue with a high-water mark that pauses the pty. */
async function spawnPty(cmd: string, args: readonly string[], opts: SpawnOptions & { pty: { cols: number; rows: number } }): Promise<SpawnedProcess> {
  const pty = await import('@lydell/node-pty');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ? { ...process.env, ...opts.env } : process.env)) if (v !== undefined) env[k] = v;
  const term = pty.spawn(cmd, [...args], { name: 'xterm-256color', cols: opts.pty.cols, rows: opts.pty.rows, cwd: opts.cwd ?? process.cwd(), env });
  const enc = new TextEncoder();
  const queue: Uint8Array[] = [];
  let ended = false;
  let paused = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  term.onData((d) => {
    queue.push(enc.encode(d));
    if (queue.length >= PTY_HIGH_WATER && !paused) {
      paused = true;
      term.pause();
    }
    notify();
  });
  let killTimer: NodeJS.Timeout | null = null;
  const exit = new Promise<SpawnExit>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      ended = true;
      if (killTimer) clearTimeout(killTimer);
      notify();
      resolve({ exitCode: signal ? 128 + signal : exitCode, stderr: '' });
    });
  });
  const kill = (sig = 'SIGTERM') => {
    if (ended) return;
    term.kill(sig);
    killTimer ??= setTimeout(() => {
      if (!ended) term.kill('SIGKILL');
    }, KILL_GRACE_MS);
    killTimer.unref();
  };
  opts.signal?.addEventListener('abort', () => kill(), { once: true });
  if (opts.signal?.aborted) kill();
  async function* stdout(): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const c = queue.shift();
      if (c) {
        if (paused && queue.length < PTY_HIGH_WATER / 4) {
          paused = false;
          term.resume();
        }
        yield c;
        continue;
      }
      if (ended) return;
      await new Promise<void>((r) => (wake = r));
    }
  }
  return {
    pid: term.pid,
    stdout: stdout(),
    write(data) {
      if (!ended) term.write(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    },
    drain() {
      // node-pty writes through its own queue; typed input is small.
      return Promise.resolve();
    },
    closeInput() {
      /* a terminal has no EOF of its own: the caller types Ctrl-D */
    },
    resize(cols, rows) {
      if (!ended) term.resize(cols, rows);
    },
    kill,
    exit,
  };
}

/** Long-lived processes alive now, with their arguments (tests check that streams close their process). */
const live = new Set<readonly string[]>();
export function openSpawnedProcesses(filter: (args: readonly string[]) => boolean = () => true): number {
  let n = 0;
  for (const a of live) if (filter(a)) n++;
  return n;
}

function tracked(args: readonly string[], p: SpawnedProcess): SpawnedProcess {
  live.add(args);
  void p.exit.then(() => live.delete(args));
  return p;
}

/** Spawns long-lived processes with argument arrays, logging each as `> cmd args`. */
export function createProcessSpawner(log: Logger): ProcessSpawner {
  return {
    spawn(cmd, args, opts = {}) {
      log.command(cmd, args);
      const { pty } = opts;
      return pty ? spawnPty(cmd, args, { ...opts, pty }).then((p) => tracked(args, p)) : Promise.resolve(tracked(args, spawnPiped(cmd, args, opts)));
    },
  };
}
