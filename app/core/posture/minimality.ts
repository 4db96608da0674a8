import type { ImageMinimality } from '../../contract/security';

/** What an adapter learned about an image's filesystem, to classify it. */
export interface ImageProbe {
  imageId: string;
  user: string;
  sizeBytes: number;
  /** `ID` (or `NAME`) from /etc/os-release, or null without one. */
  distro: string | null;
  /** Paths that exist among {@link PROBE_PATHS}. */
  present: string[];
}

export const SHELLS = ['/bin/bash', '/bin/sh', '/bin/ash', '/usr/bin/bash', '/bin/busybox'];
export const PACKAGE_MANAGERS: Array<[string, string]> = [
  ['/usr/bin/apt-get', 'apt'],
  ['/usr/bin/dpkg', 'dpkg'],
  ['/sbin/apk', 'apk'],
  ['/usr/bin/dnf', 'dnf'],
  ['/usr/bin/yum', 'yum'],
  ['/usr/bin/microdnf', 'microdnf'],
  ['/usr/bin/rpm', 'rpm'],
  ['/usr/bin/zypper', 'zypper'],
  ['/usr/bin/pacman', 'pacman'],
];
/** The paths an adapter checks in an image. */
export const PROBE_PATHS = [...SHELLS, ...PACKAGE_MANAGERS.map(([p]) => p), '/etc/os-release', '/usr/lib/os-release'];

const MiB = 1024 * 1024;
export function sizeBand(bytes: number): ImageMinimality['sizeBand'] {
  if (bytes < 10 * MiB) return 'tiny';
  if (bytes < 100 * MiB) return 'small';
  if (bytes < 400 * MiB) return 'medium';
  if (bytes < 1024 * MiB) return 'large';
  return 'huge';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

const SLIM_DISTROS = /^(?:alpine|wolfi|chainguard|distroless|busybox)$/i;

/**
 * distroless: no shell and no package manager; slim: a small distribution (alpine, or any under
 * 100 MiB without a full package toolchain); full: a general-purpose distribution.
 */
export function classifyImage(p: ImageProbe): ImageMinimality {
  const shell = SHELLS.find((s) => p.present.includes(s)) ?? null;
  const pm = PACKAGE_MANAGERS.find(([path]) => p.present.includes(path))?.[1] ?? null;
  const band = sizeBand(p.sizeBytes);
  let cls: ImageMinimality['class'];
  if (!shell && !pm) cls = 'distroless';
  else if ((p.distro && SLIM_DISTROS.test(p.distro)) || (!pm && band !== 'large' && band !== 'huge') || (band === 'tiny' || band === 'small')) cls = 'slim';
  else cls = 'full';
  const user = p.user;
  const u = user.split(':')[0] ?? '';
  return {
    imageId: p.imageId,
    class: cls,
    distro: p.distro,
    shell,
    packageManager: pm,
    user,
    nonRootUser: u !== '' && u !== '0' && u !== 'root',
    sizeBytes: p.sizeBytes,
    sizeBand: band,
  };
}

/** `ID=debian` (or NAME) from an os-release file. */
export function parseOsRelease(text: string): string | null {
  const get = (k: string) => {
    const m = new RegExp(`^${k}=(.*)$`, 'm').exec(text);
    return m?.[1] ? m[1].trim().replace(/^["']|["']$/g, '') : null;
  };
  return get('ID') ?? get('NAME');
}

/** One entry of an exported root filesystem (a tar of the container): its path, kind and link target. */
export interface RootfsEntry {
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  linkTarget?: string;
}

const normalise = (p: string) => `/${p.split('/').filter((x) => x && x !== '.').join('/')}`;

/**
 * The filesystem of an exported root (entries by path) answering "does this path exist", following
 * symlinked folders on the way as the engine does (`/bin` → `usr/bin` on merged-/usr distributions).
 * The last component is not followed: a dangling `/bin/sh` link still counts, as Docker's archive stat says.
 */
export class RootfsIndex {
  private readonly entries = new Map<string, RootfsEntry>();

  add(e: RootfsEntry): void {
    const path = normalise(e.path);
    this.entries.set(path, { ...e, path });
  }

  /** The path with symlinked parent folders resolved (at most 40 links), or null when a part is missing. */
  resolve(path: string): string | null {
    let parts = normalise(path).split('/').filter(Boolean);
    let hops = 0;
    let at = '';
    for (let i = 0; i < parts.length; i++) {
      const next = `${at}/${parts[i]}`;
      const e = this.entries.get(next);
      if (!e) return null;
      if (e.type === 'symlink' && i < parts.length - 1) {
        if (++hops > 40) return null;
        const target = e.linkTarget ?? '';
        const base = target.startsWith('/') ? target : `${at}/${target}`;
        const resolved: string[] = [];
        for (const p of base.split('/')) {
          if (!p || p === '.') continue;
          if (p === '..') resolved.pop();
          else resolved.push(p);
        }
        parts = [...resolved, ...parts.slice(i + 1)];
        at = '';
        i = -1;
        continue;
      }
      at = next;
    }
    return at || '/';
  }

  exists(path: string): boolean {
    return this.resolve(path) !== null;
  }

  /** The resolved path when `path` is a regular file (a symlink at the end is not followed, as Docker's archive read). */
  regularFile(path: string): string | null {
    const p = this.resolve(path);
    return p && this.entries.get(p)?.type === 'file' ? p : null;
  }
}
