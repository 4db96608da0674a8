import type { ExecProcess } from '../ports/engine/exec';
import type { Logger } from '../ports/logger';
import type { SpawnedProcess } from '../ports/process';
import type { PtyProcess } from '../ports/pty';

/** What a terminal session drives: a local pty (host or VM shell) or an engine exec with a TTY. */
export interface TerminalBackend {
  onData(cb: (data: string) => void): void;
  /** Called once, after the last output; null when the exit code is unknown. */
  onExit(cb: (exitCode: number | null) => void): void;
  write(data: string): Promise<void>;
  resize(cols: number, rows: number): Promise<void>;
  /** Stop taking output (the program is held back by its terminal) until resume(). */
  pause(): void;
  resume(): void;
  kill(): void;
}

export function ptyBackend(p: PtyProcess): TerminalBackend {
  return {
    onData: (cb) => p.onData(cb),
    onExit: (cb) => p.onExit((e) => cb(e.exitCode)),
    write: (data) => {
      p.write(data);
      return Promise.resolve();
    },
    resize: (cols, rows) => {
      p.resize(cols, rows);
      return Promise.resolve();
    },
    pause: () => p.pause(),
    resume: () => p.resume(),
    kill: () => p.kill(),
  };
}

/**
 * An engine exec as a backend: its output is pulled, so pausing is simply not pulling
 * (the exec's connection then stops reading and the program blocks on its terminal).
 */
export function execBackend(proc: ExecProcess, log: Logger): TerminalBackend {
  let dataCb: (d: string) => void = () => undefined;
  let exitCb: (code: number | null) => void = () => undefined;
  let resumed: (() => void) | null = null;
  let paused = false;
  let killed = false;
  const pump = async () => {
    // Wait for the session to hook its callbacks (they are set synchronously after creation).
    await Promise.resolve();
    try {
      for await (const o of proc.output()) {
        dataCb(o.data);
        if (paused) await new Promise<void>((r) => (resumed = r));
      }
    } catch (err) {
      log.warn('A container terminal stopped with an error', { error: err instanceof Error ? err.message : String(err) });
    }
    exitCb(killed ? null : await proc.exitCode().catch(() => null));
  };
  void pump();
  return {
    onData: (cb) => (dataCb = cb),
    onExit: (cb) => (exitCb = cb),
    write: (data) => proc.write(data),
    resize: (cols, rows) => proc.resize(cols, rows),
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      resumed?.();
      resumed = null;
    },
    kill: () => {
      killed = true;
      paused = false;
      resumed?.();
      proc.close();
    },
  };
}

/**
 * A process from the one process spawner (the VM shell: `limactl shell` in a pty). Its output is
 * pulled as bytes and decoded as a stream; pausing is not pulling (the spawner then pauses its pty).
 */
export function spawnedBackend(proc: SpawnedProcess, log: Logger): TerminalBackend {
  let dataCb: (d: string) => void = () => undefined;
  let exitCb: (code: number | null) => void = () => undefined;
  let resumed: (() => void) | null = null;
  let paused = false;
  const dec = new TextDecoder();
  const pump = async () => {
    await Promise.resolve();
    try {
      for await (const chunk of proc.stdout) {
        const text = dec.decode(chunk, { stream: true });
        if (text) dataCb(text);
        if (paused) await new Promise<void>((r) => (resumed = r));
      }
      const rest = dec.decode();
      if (rest) dataCb(rest);
    } catch (err) {
      log.warn('A VM terminal stopped with an error', { error: err instanceof Error ? err.message : String(err) });
    }
    const exit = await proc.exit;
    if (exit.exitCode !== 0 && exit.stderr) log.warn('A VM terminal ended with an error', { exitCode: exit.exitCode, stderr: exit.stderr.slice(-2000) });
    exitCb(exit.exitCode);
  };
  void pump();
  return {
    onData: (cb) => (dataCb = cb),
    onExit: (cb) => (exitCb = cb),
    write: (data) => {
      proc.write(data);
      return Promise.resolve();
    },
    resize: (cols, rows) => {
      proc.resize(cols, rows);
      return Promise.resolve();
    },
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      resumed?.();
      resumed = null;
    },
    kill: () => {
      paused = false;
      resumed?.();
      proc.kill('SIGHUP');
    },
  };
}
