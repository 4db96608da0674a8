import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makePeerFolder, removePeerFolder } from './peer-folder';
import { TOOLS_INSTALL, testTools, testToolsUnavailable } from './tools';

/** limactl refuses to run as root ("must not run as the root user"): the harness runs it as `nobody`. */
export const LIMA_USER = { uid: 65534, gid: 65534 };

export interface LimaHome {
  /** The peer's temp folder (`/tmp/berth-l-…`), owned by LIMA_USER. */
  readonly dir: string;
  /** limactl's HOME (owned by LIMA_USER): a place for templates and images of a test. */
  readonly home: string;
  /** A private LIMA_HOME inside it. */
  readonly limaHome: string;
  /** limactl linked into the folder (with share/lima/ beside its bin/, where limactl looks for guest agents). */
  readonly limactl: string;
  /** HOME, LIMA_HOME and PATH for limactl. */
  readonly env: Record<string, string>;
  readonly uid: number;
  readonly gid: number;
  /** Runs limactl as LIMA_USER with this LIMA_HOME; never throws on a non-zero exit. */
  limactlRun(args: string[], opts?: { timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>;
  dispose(): Promise<void>;
}

export function limaUnavailable(): string | null {
  if (process.getuid?.() !== 0) return null;
  return testToolsUnavailable(['limactl']);
}

/** Hard-links (or copies, across file systems) `src` to `dest`. */
function linkOrCopy(src: string, dest: string) {
  try {
    fs.linkSync(src, dest);
  } catch {
    fs.copyFileSync(src, dest);
  }
}

/**
 * A private LIMA_HOME with the built limactl. Run as root (as the harness is), limactl is started
 * as `nobody`, so the tools are linked into the folder: the tools cache under /root is not
 * readable by other users.
 */
export async function startLimaHome(): Promise<LimaHome> {
  const why = limaUnavailable();
  const tools = testTools();
  if (why || !tools) throw new Error(`Cannot set up a private LIMA_HOME: ${why ?? `the test tools are not built (run ${TOOLS_INSTALL})`}`);
  const folder = await makePeerFolder('berth-l-');
  const dir = folder.dir;
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? LIMA_USER : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  for (const sub of ['bin', 'share/lima', 'home', 'lima']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  linkOrCopy(tools.path('limactl'), path.join(dir, 'bin', 'limactl'));
  const share = path.join(tools.dir, 'share', 'lima');
  for (const f of fs.readdirSync(share)) linkOrCopy(path.join(share, f), path.join(dir, 'share', 'lima', f));
  if (asRoot) {
    for (const p of [dir, ...['bin', 'share', 'share/lima', 'home', 'lima'].map((s) => path.join(dir, s))]) fs.chownSync(p, user.uid, user.gid);
  }
  const limactl = path.join(dir, 'bin', 'limactl');
  const env = {
    HOME: path.join(dir, 'home'),
    LIMA_HOME: path.join(dir, 'lima'),
    PATH: `${path.join(dir, 'bin')}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`,
  };
  return {
    dir,
    home: env.HOME,
    limaHome: env.LIMA_HOME,
    limactl,
    env,
    uid: user.uid,
    gid: user.gid,
    limactlRun(args, opts = {}) {
      return new Promise((resolve) => {
        execFile(
          limactl,
          args,
          { env, uid: user.uid, gid: user.gid, cwd: env.HOME, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 << 20 },
          (err, stdout, stderr) => {
            const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
            resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code === -1 ? String(err) : '') });
          },
        );
      });
    },
    async dispose() {
      removePeerFolder(dir);
      await folder.release();
    },
  };
}
