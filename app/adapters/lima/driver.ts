import fs from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../contract/errors';
import { parseLimaList } from '../../core/lima-list';
import { parseLimaLogLine } from '../../core/lima-log';
import { parseHostAgentEvents } from '../../core/lima-events';
import type { Logger } from '../../ports/logger';
import type { ProcessRunner, RunResult } from '../../ports/process';
import type { LimactlLocation, StartOutput, VmDriver, VmLogName, VmPaths } from '../../ports/vm';
import { locateLimactl, type LocateOptions } from './locate';
import { fileSize, folderUsage, followLines, readTail } from './files';

export interface LimaDriverOptions extends LocateOptions {
  /** The private LIMA_HOME (in the app's data folder). */
  limaHome: string;
  /** The fixed instance name. */
  instance: string;
  runner: ProcessRunner;
  log: Logger;
}

export const limaPaths = (limaHome: string, instance: string): VmPaths => {
  const instanceDir = path.join(limaHome, instance);
  return {
    limaHome,
    instanceDir,
    haStdoutLog: path.join(instanceDir, 'ha.stdout.log'),
    haStderrLog: path.join(instanceDir, 'ha.stderr.log'),
    sockDir: path.join(instanceDir, 'sock'),
    dockerSocket: path.join(instanceDir, 'sock', 'docker.sock'),
  };
};

const tailOf = (s: string, lines = 20) => s.trimEnd().split('\n').slice(-lines).join('\n');

/** The fatal message of a failed limactl run, names unquoted, or its last line. */
function failureOf(r: RunResult): string {
  const lines = r.stderr.split('\n').map(parseLimaLogLine);
  const fatal = lines.filter((l) => l && (l.level === 'fatal' || l.level === 'error')).pop();
  return fatal?.msg ?? (r.stderr.trim().split('\n').pop() || `exit code ${r.exitCode}`);
}

/** The Lima adapter: the only code that runs limactl. */
export function createLimaDriver(o: LimaDriverOptions): VmDriver {
  const paths = limaPaths(o.limaHome, o.instance);
  const log = o.log;
  let located: LimactlLocation | null = null;

  const locate = async () => (located ??= await locateLimactl(o, o.runner));
  const env = () => ({ LIMA_HOME: o.limaHome });

  const limactl = async (args: string[], opts: { signal?: AbortSignal; timeoutMs?: number; input?: string } = {}): Promise<RunResult> => {
    const l = await locate();
    return o.runner.run(l.path, ['--tty=false', ...args], { env: env(), ...opts });
  };
  const ok = async (what: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> => {
    const r = await limactl(args, opts);
    if (r.exitCode !== 0) {
      throw new BerthError('COMMAND_FAILED', `Could not ${what}: ${failureOf(r)}`, {
        details: { command: `limactl ${args.join(' ')}`, exitCode: r.exitCode, stderr: tailOf(r.stderr) },
      });
    }
    return r;
  };

  const exists = (p: string) =>
    fs.stat(p).then(
      () => true,
      () => false,
    );

  const inspect = async (signal?: AbortSignal) => {
    // No LIMA_HOME (never created, or after a factory reset): no instance, and nothing is created by looking.
    if (!(await exists(path.join(o.limaHome, o.instance)))) return null;
    const r = await limactl(['list', '--format', 'json', o.instance], { signal, timeoutMs: 30_000 });
    if (r.exitCode !== 0) {
      // limactl exits 1 with "No instance matching berth found." when it does not exist.
      if (/No instance matching|not found/i.test(r.stderr)) return null;
      throw new BerthError('COMMAND_FAILED', `Could not read the VM's state: ${failureOf(r)}`, { details: { exitCode: r.exitCode, stderr: tailOf(r.stderr) } });
    }
    return parseLimaList(r.stdout).find((i) => i.name === o.instance) ?? null;
  };

  return {
    instance: o.instance,
    paths,
    locate,
    inspect,

    async create(templateYaml) {
      await fs.mkdir(o.limaHome, { recursive: true });
      const file = path.join(o.limaHome, `${o.instance}.berth-template.yaml`);
      await fs.writeFile(file, templateYaml, { mode: 0o644 });
      try {
        await ok('create the VM', ['create', '--name', o.instance, file], { timeoutMs: 30 * 60_000 });
      } finally {
        await fs.rm(file, { force: true });
      }
    },

    async edit(expression) {
      await ok('apply the VM settings', ['edit', '--set', expression, o.instance], { timeoutMs: 60_000 });
    },

    async start(onOutput: (o: StartOutput) => void, signal?: AbortSignal) {
      const l = await locate();
      const [outAt, errAt] = await Promise.all([fileSize(paths.haStdoutLog), fileSize(paths.haStderrLog)]);
      const events = followLines(paths.haStdoutLog, outAt, (line) => {
        for (const event of parseHostAgentEvents(line)) onOutput({ source: 'event', event });
      });
      const haLog = followLines(paths.haStderrLog, errAt, (raw) => {
        const line = parseLimaLogLine(raw);
        if (line) onOutput({ source: 'hostagent', line });
      });
      let r: RunResult;
      try {
        r = await o.runner.run(l.path, ['--tty=false', 'start', o.instance], { env: env(), signal, timeoutMs: 30 * 60_000 });
      } finally {
        await Promise.all([events.stop(), haLog.stop()]);
      }
      for (const raw of r.stderr.split('\n')) {
        const line = parseLimaLogLine(raw);
        if (line) onOutput({ source: 'limactl', line });
      }
      log.info(`limactl start exited ${r.exitCode}`);
      return { exitCode: r.exitCode, stderr: r.stderr };
    },

    async stop({ timeoutMs }) {
      const inst = await inspect();
      if (!inst || inst.status === 'Stopped') return { forced: false };
      if (inst.status === 'Running') {
        const r = await limactl(['stop', o.instance], { timeoutMs }).catch((e: unknown) => {
          log.warn('Graceful stop failed', { error: String(e) });
          return null;
        });
        if (r && r.exitCode === 0) return { forced: false };
        log.warn('The VM did not stop gracefully in time: forcing it', { stderr: r ? tailOf(r.stderr, 5) : 'timeout' });
      }
      await ok('force the VM to stop', ['stop', '--force', o.instance], { timeoutMs: 60_000 });
      return { forced: true };
    },

    async delete() {
      const inst = await inspect();
      if (!inst) return;
      await ok('delete the VM', ['delete', '--force', o.instance], { timeoutMs: 120_000 });
    },

    async factoryReset() {
      const inst = await inspect().catch(() => null);
      if (inst) await ok('delete the VM', ['delete', '--force', o.instance], { timeoutMs: 120_000 });
      // The private LIMA_HOME holds nothing of the user's: its keys, networks and disks are Berth's alone.
      await fs.rm(o.limaHome, { recursive: true, force: true });
    },

    async readLog(name: VmLogName, maxBytes: number) {
      if (!/^(ha\.stderr\.log|ha\.stdout\.log|serial[\w.-]*\.log)$/.test(name)) throw new BerthError('INVALID_INPUT', `"${name}" is not a VM log.`);
      return readTail(path.join(paths.instanceDir, name), maxBytes);
    },

    async logNames() {
      let names: string[];
      try {
        names = await fs.readdir(paths.instanceDir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      return names.filter((n): n is VmLogName => /^(ha\.stderr\.log|ha\.stdout\.log|serial[\w.-]*\.log)$/.test(n)).sort();
    },

    async hostAgentAlive() {
      let pid: number;
      try {
        pid = Number((await fs.readFile(path.join(paths.instanceDir, 'ha.pid'), 'utf8')).trim());
      } catch {
        return false;
      }
      if (!Number.isInteger(pid) || pid <= 0) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        // EPERM: it exists, owned by someone else.
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    },

    async freeSpace() {
      let dir = o.limaHome;
      while (!(await exists(dir)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
      const st = await fs.statfs(dir);
      return st.bavail * st.bsize;
    },

    diskUsage: () => folderUsage(paths.instanceDir),
  };
}
