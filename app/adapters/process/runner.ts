import { spawn } from 'node:child_process';
import { BerthError } from '../../contract/errors';
import type { Logger } from '../../ports/logger';
import type { ProcessRunner, ProcessSpawner, RunOptions, RunResult } from '../../ports/process';
import { createProcessSpawner } from './spawn';

const MAX_OUTPUT = 16 * 1024 * 1024;

/** Spawns with an argument array (never a shell), logs `> cmd args` with secrets masked. */
export function createProcessRunner(log: Logger): ProcessRunner & ProcessSpawner {
  return {
    // Long-lived processes (events, logs -f, terminals): same logging, argument arrays only.
    spawn: createProcessSpawner(log).spawn,
    run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
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
