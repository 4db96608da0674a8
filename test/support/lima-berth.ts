import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLimaHome, limaUnavailable, type LimaHome } from './lima';
import { which } from './proc';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface BerthLima {
  readonly home: LimaHome;
  /** The LIMA_HOME Berth is given (owned by the unprivileged user limactl runs as). */
  readonly limaHome: string;
  /** The HOME limactl runs with (it expands `~` to it). */
  readonly homeDir: string;
  /** The limactl Berth is given (settings vm.limactlPath): the real one run as that user, or the stand-in for start/shell. */
  readonly limactl: string;
  /** A local qcow2 image and nerdctl archive, so `create` never touches the network. */
  readonly images: { location: string; arch: string }[];
  readonly containerdArchives: { location: string; arch: string }[];
  dispose(): Promise<void>;
}

export function berthLimaUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'the Lima harness runs limactl as nobody and needs root';
  if (!which('setpriv')) return 'setpriv (util-linux) is missing';
  if (!which('qemu-img')) return 'qemu-img (qemu-utils) is missing';
  return limaUnavailable();
}

const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';

/**
 * A private LIMA_HOME and a `limactl` for Berth. Every verb runs the real limactl (as `nobody`: it refuses
 * root); with `standin`, `start` and `shell` run test/support/lima-standin instead (no guest boots here).
 */
export async function startBerthLima(opts: { standin?: boolean } = {}): Promise<BerthLima> {
  const home = await startLimaHome();
  const own = (p: string) => fs.chownSync(p, home.uid, home.gid);
  const image = path.join(home.dir, 'image.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '64M']);
  own(image);
  // An (empty) nerdctl-full archive: create only copies it to the cache; a real start would unpack it.
  const archive = path.join(home.dir, 'nerdctl-full.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', home.dir, 'home']);
  own(archive);
  const wrapperDir = path.join(home.dir, 'berth-bin');
  fs.mkdirSync(wrapperDir);
  const wrapper = path.join(wrapperDir, 'limactl');
  const standin = path.join(HERE, 'lima-standin', 'standin.mjs');
  const lines = [
    '#!/bin/bash',
    '# Test wrapper (never shipped): the real limactl as an unprivileged user; start/shell through the stand-in when enabled.',
    'verb=""; for a in "$@"; do case "$a" in -*) ;; *) verb=$a; break;; esac; done',
  ];
  if (opts.standin) {
    lines.push(
      `if [ "$verb" = start ] || [ "$verb" = shell ]; then`,
      `  exec ${JSON.stringify(process.execPath)} ${JSON.stringify(standin)} --uid ${home.uid} --gid ${home.gid} "$@"`,
      'fi',
    );
  }
  lines.push(
    `[ -n "$LIMA_HOME" ] && [ -d "$LIMA_HOME" ] && chown ${home.uid}:${home.gid} "$LIMA_HOME"`,
    `cd ${JSON.stringify(home.env.HOME)}`,
    `exec setpriv --reuid=${home.uid} --regid=${home.gid} --clear-groups env HOME=${JSON.stringify(home.env.HOME)} PATH=${JSON.stringify(home.env.PATH)} LIMA_HOME="\${LIMA_HOME:-${home.limaHome}}" ${JSON.stringify(home.limactl)} "$@"`,
  );
  fs.writeFileSync(wrapper, `${lines.join('\n')}\n`, { mode: 0o755 });
  return {
    home,
    limaHome: home.limaHome,
    homeDir: home.env.HOME ?? home.dir,
    limactl: wrapper,
    images: [{ location: image, arch }],
    containerdArchives: [{ location: archive, arch }],
    dispose: () => home.dispose(),
  };
}
