import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLimaHome, limaUnavailable, type LimaHome } from './lima';
import { which } from './proc';

/**
 * A real Lima guest for the VM suite (test/vm): Berth's guest image (scripts/guest-image.sh), booted by the real
 * limactl under QEMU's software emulation, with no route out of this machine. Never shipped.
 */

/** The command that builds (or reuses) the guest image; every skip reason names it. */
export const GUEST_IMAGE_INSTALL = 'bash scripts/test-tools.sh && bash scripts/guest-image.sh';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface GuestImage {
  dir: string;
  kernel: string;
  initrd: string;
  rootfs: string;
  /** The containerd archive the template names (its nerdctl is older than the image's: Lima keeps what is installed). */
  archive: string;
  /** info.txt of the build: packages, size, build time. */
  info: string;
}

let image: { image: GuestImage | null; why: string | null } | null = null;

function loadImage() {
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/guest-image.sh'), '--print'], { encoding: 'utf8' });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  if (!dir) return { image: null, why: `the guest image is not built (run ${GUEST_IMAGE_INSTALL})` };
  const f = (n: string) => path.join(dir, n);
  return { why: null, image: { dir, kernel: f('vmlinuz'), initrd: f('initrd.img'), rootfs: f('rootfs.img'), archive: f('nerdctl-archive.tar.gz'), info: fs.readFileSync(f('info.txt'), 'utf8') } };
}

export function guestImage(): GuestImage | null {
  image ??= loadImage();
  return image.image;
}

/** Why no guest can boot here, or null. */
export function guestUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'the VM suite runs limactl as an unprivileged user and needs root to set that up';
  if (!which('qemu-system-x86_64')) return 'qemu-system-x86_64 (Debian qemu-system-x86) is missing';
  if (!which('setpriv')) return 'setpriv (util-linux) is missing';
  if (process.arch !== 'x64') return 'the guest image is built for x86_64 only';
  image ??= loadImage();
  return limaUnavailable() ?? image.why;
}

export interface GuestLima {
  readonly home: LimaHome;
  readonly limaHome: string;
  /** The limactl Berth is given (settings vm.limactlPath): the real limactl as the unprivileged user, QEMU restricted. */
  readonly limactl: string;
  /** The test template (lima.yaml) for Berth's VM service. */
  readonly template: string;
  /** The QEMU wrapper, which records each command line it was given in qemu-args.log beside it. */
  readonly qemuWrapper: string;
  readonly image: GuestImage;
  /** QEMU's pid from the instance folder, or null. */
  qemuPid(instance: string): number | null;
  dispose(): Promise<void>;
}

/**
 * The QEMU wrapper Lima runs (through QEMU_SYSTEM_X86_64, which Lima honours): software emulation where KVM
 * cannot be used (this machine has none), and the user network restricted (`restrict=on`): the guest reaches
 * nothing but the forwards Lima asks for (ssh), neither the host nor any other address.
 */
function qemuWrapperScript(log: string): string {
  return [
    '#!/bin/bash',
    '# Test QEMU wrapper (never shipped): TCG instead of KVM, and a restricted user network.',
    'args=(); prev=""',
    'for a in "$@"; do',
    '  case "$a" in user,id=net0,*) a="$a,restrict=on" ;; esac',
    '  if [ "$prev" = "-cpu" ] && [[ "$a" == host* ]]; then a=max; fi',
    '  if [ "$prev" = "-machine" ]; then a=${a/accel=kvm/accel=tcg}; fi',
    '  args+=("$a"); prev=$a',
    'done',
    `case " \${args[*]} " in *" -netdev "*) printf '%s\\n' "\${args[*]}" >> ${JSON.stringify(log)} ;; esac`,
    'exec /usr/bin/qemu-system-x86_64 "${args[@]}"',
    '',
  ].join('\n');
}

/** The test template: Berth's guest image booted from its kernel, containerd preinstalled (Lima's own download off). */
export function guestTemplate(img: { kernel: string; initrd: string; rootfs: string; archive: string }): string {
  return `# Berth's VM suite: the guest image of scripts/guest-image.sh under QEMU (software emulation), offline.
vmType: qemu
arch: x86_64
cpus: 2
memory: 1536MiB
disk: 4GiB
firmware:
  legacyBIOS: true
images:
- location: ${JSON.stringify(img.rootfs)}
  arch: x86_64
  kernel:
    location: ${JSON.stringify(img.kernel)}
    cmdline: "root=LABEL=berth-root rw console=ttyS0 quiet"
  initrd:
    location: ${JSON.stringify(img.initrd)}
mounts: []
# Rootful containerd, as Berth's own template renders it. containerd, nerdctl, BuildKit, the stargz snapshotter and the
# CNI plugins are in the image with the units and configuration Lima's set-up expects; the archive named here is a local
# file whose nerdctl is older than the image's, so Lima unpacks nothing and downloads nothing.
containerd:
  system: true
  user: false
  archives:
  - location: ${JSON.stringify(img.archive)}
    arch: x86_64
# The guest has no route out: no host resolver, no package installs (everything is preinstalled).
hostResolver:
  enabled: false
user:
  name: berth
  uid: 1000
ssh:
  loadDotSSHPubKeys: false
provision:
- mode: dependency
  skipDefaultDependencyResolution: true
  script: |
    #!/bin/sh
    true
`;
}

const linkOrCopy = (src: string, dest: string) => {
  try {
    fs.linkSync(src, dest);
  } catch {
    fs.copyFileSync(src, dest);
  }
};

/** A private LIMA_HOME with the guest image, the restricted QEMU and a limactl for Berth. */
export async function startGuestLima(): Promise<GuestLima> {
  const why = guestUnavailable();
  const img = guestImage();
  if (why || !img) throw new Error(`Cannot boot a guest here: ${why}`);
  const home = await startLimaHome();
  const own = (p: string) => fs.chownSync(p, home.uid, home.gid);
  const imgDir = path.join(home.dir, 'guest');
  fs.mkdirSync(imgDir);
  own(imgDir);
  const local = {
    kernel: path.join(imgDir, 'vmlinuz'),
    initrd: path.join(imgDir, 'initrd.img'),
    rootfs: path.join(imgDir, 'rootfs.img'),
    archive: path.join(imgDir, 'nerdctl-archive.tar.gz'),
  };
  linkOrCopy(img.kernel, local.kernel);
  linkOrCopy(img.initrd, local.initrd);
  linkOrCopy(img.rootfs, local.rootfs);
  linkOrCopy(img.archive, local.archive);
  for (const p of Object.values(local)) own(p);
  const qemuLog = path.join(imgDir, 'qemu-args.log');
  fs.writeFileSync(qemuLog, '');
  own(qemuLog);
  const qemuWrapper = path.join(imgDir, 'qemu-system-x86_64');
  fs.writeFileSync(qemuWrapper, qemuWrapperScript(qemuLog), { mode: 0o755 });
  const limactl = path.join(home.dir, 'berth-limactl');
  const env = `HOME=${JSON.stringify(home.env.HOME)} PATH=${JSON.stringify(home.env.PATH)} QEMU_SYSTEM_X86_64=${JSON.stringify(qemuWrapper)}`;
  fs.writeFileSync(
    limactl,
    [
      '#!/bin/bash',
      '# Test wrapper (never shipped): the real limactl as an unprivileged user (limactl refuses root), QEMU restricted.',
      `[ -n "$LIMA_HOME" ] && [ -d "$LIMA_HOME" ] && chown ${home.uid}:${home.gid} "$LIMA_HOME"`,
      `cd ${JSON.stringify(home.env.HOME)}`,
      `exec setpriv --reuid=${home.uid} --regid=${home.gid} --clear-groups env ${env} LIMA_HOME="\${LIMA_HOME:-${home.limaHome}}" ${JSON.stringify(home.limactl)} "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return {
    home,
    limaHome: home.limaHome,
    limactl,
    template: guestTemplate(local),
    qemuWrapper,
    image: img,
    qemuPid(instance) {
      try {
        return Number(fs.readFileSync(path.join(home.limaHome, instance, 'qemu.pid'), 'utf8').trim()) || null;
      } catch {
        return null;
      }
    },
    async dispose() {
      // A guest left running by a failed test: stop it hard before its folder goes.
      for (const inst of fs.existsSync(home.limaHome) ? fs.readdirSync(home.limaHome) : []) {
        if (inst.startsWith('_')) continue;
        await home.limactlRun(['stop', '--force', inst], { timeoutMs: 60_000 });
      }
      await home.dispose();
    },
  };
}
