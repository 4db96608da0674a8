import { spawn, type ChildProcess } from 'node:child_process';
import { BerthError } from '../../contract/errors';
import type { Logger } from '../../ports/logger';
import type { ProcessRunner, ProcessSpawner, RunOptions, RunResult } from '../../ports/process';
import { createProcessSpawner } from './spawn';

const MAX_OUTPUT = 16 * 1024 * 1024;

export interface DisposableRunner extends ProcessRunner, ProcessSpawner {
  /**
   * The core is stopping: the commands still running (`run`) are ended (SIGTERM) and fail with CANCELLED, and any later
   * `run` fails with CANCELLED without starting. Without it, a core stopped while it read a cold Containers page's badges
   * left their fallback's `nerdctl container inspect` processes (two per row, ~50) running for seconds after it exited.
   * Long-lived processes (`spawn`: event streams, logs, terminals) are their owners' to end.
   */
  dispose(): void;
}

/** Spawns with an argument array (never a shell), logs `> cmd args` with secrets masked. */
export function createProcessRunner(log: Logger): DisposableRunner {
  const running = new Set<ChildProcess>();
  let disposed = false;
  const cancelled = (cmd: string) => new BerthError('CANCELLED', `Cancelled: ${cmd} (Berth is stopping)`);
  return {
    dispose() {
      disposed = true;
      for (const child of running) child.kill('SIGTERM');
    },
    // Long-lived processes (events, logs -f, terminals): same logging, argument arrays only.
    spawn: createProcessSpawner(log).spawn,
    run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
      if (disposed) return Promise.reject(cancelled(cmd));
      log.command(cmd, args);
      return new Promise((resolve, reject) => {
        const child = spawn(cmd, [...args], {
          shell: false,
          cwd: opts.cwd,
          env: opts.env ? { ...process.env, ...opts.env } : process.env,
          stdio: ['pipe', 'pipe', 'pipe'],
          signal: opts.signal,
          timeout: opts.timeoutMs,
          windowsHide: true,
        });
        running.add(child);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let size = 0;
        const collect = (into: Buffer[]) => (b: Buffer) => {
          size += b.length;
          if (size <= MAX_OUTPUT) into.push(b);
        };
        child.stdout.on('data', collect(out));
        child.stderr.on('data', collect(err));
        child.on('error', (e: NodeJS.ErrnoException) => {
          running.delete(child);
          if (e.name === 'AbortError') {
            reject(new BerthError('CANCELLED', `Cancelled: ${cmd}`));
            return;
          }
          reject(
            new BerthError('COMMAND_FAILED', e.code === 'ENOENT' ? `The program "${cmd}" was not found.` : `Could not run ${cmd}: ${e.message}`, {
              details: { command: cmd, errno: e.code },
            }),
          );
        });
        child.on('close', (code, signal) => {
          running.delete(child);
          // Ended by dispose(): not the command's own result.
          if (disposed && signal) {
            reject(cancelled(cmd));
            return;
          }
          resolve({
            exitCode: code ?? (signal ? 128 : 1),
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
          });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(opts.input ?? '');
      });
    },
  };
}
