import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { FatalWait, isAlive, sleep, waitFor } from './proc';
import { logTail } from './peer-folder';

export interface Daemon {
  readonly pid: number;
  readonly logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface DaemonSpec {
  /** For messages: `containerd`, `buildkitd`, … */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  logFile: string;
  /** Resolves truthy once the daemon serves. */
  ready: () => Promise<boolean>;
  timeoutMs?: number;
}

/** Starts a long-running process with its output in `logFile` and waits until `ready`; a daemon that exits first fails with its log's tail. */
export async function startDaemon(spec: DaemonSpec): Promise<Daemon> {
  const log = fs.openSync(spec.logFile, 'a');
  const child: ChildProcess = spawn(spec.command, spec.args, { stdio: ['ignore', log, log], env: spec.env ?? process.env });
  fs.closeSync(log);
  let exited: string | null = null;
  let spawnError: Error | null = null;
  child.once('error', (err) => (spawnError = err));
  child.once('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `code ${code}`));
  const daemon: Daemon = {
    pid: child.pid ?? 0,
    logFile: spec.logFile,
    async stop(graceMs = 15_000) {
      const pid = child.pid;
      if (!pid || exited) return;
      child.kill('SIGTERM');
      const deadline = Date.now() + graceMs;
      while (isAlive(pid) && !exited && Date.now() < deadline) await sleep(100);
      if (!exited) child.kill('SIGKILL');
      while (!exited && isAlive(pid)) await sleep(50);
    },
  };
  try {
    await waitFor(
      `${spec.name} (log: ${spec.logFile})`,
      async () => {
        if (spawnError) throw new FatalWait(`${spec.name} could not start: ${String(spawnError)}`);
        if (exited) throw new FatalWait(`${spec.name} exited (${exited}): ${logTail(spec.logFile)}`);
        return spec.ready();
      },
      spec.timeoutMs ?? 60_000,
      150,
    );
  } catch (err) {
    await daemon.stop(2_000);
    throw err;
  }
  return daemon;
}
