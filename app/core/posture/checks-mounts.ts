import type { Check } from './check';
import { hit, list } from './check';
import type { SecurityView } from './view';

type Mount = SecurityView['mounts'][number];

const SOCKET = /(?:^|\/)(?:docker|containerd|podman|crio|buildkitd?|dockershim|containerd-shim)\.sock$/;
const SOCKET_DIRS = new Set(['/var/run', '/run', '/run/containerd', '/var/run/docker', '/run/docker', '/run/podman', '/run/user']);
/** Host paths whose contents are the host: writing there is owning it. */
const SENSITIVE = ['/', '/etc', '/boot', '/dev', '/proc', '/sys', '/usr', '/lib', '/lib64', '/bin', '/sbin', '/root', '/var/lib/docker', '/var/lib/containerd', '/var/lib/kubelet', '/var/log', '/var', '/opt', '/home', '/Users', '/private/etc', '/mnt/c', '/mnt/wsl'];

const clean = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
export const isSocketMount = (m: Mount) => m.type === 'bind' && (SOCKET.test(m.source) || SOCKET_DIRS.has(clean(m.source)));
/** A host path that is (or holds) a sensitive folder itself; project folders under /home are not. */
export const isSensitiveMount = (m: Mount) => m.type === 'bind' && !isSocketMount(m) && SENSITIVE.includes(clean(m.source));
const isSensitiveBelow = (m: Mount) =>
  m.type === 'bind' && !isSocketMount(m) && !isSensitiveMount(m) && /^\/(?:etc|boot|proc|sys|dev|usr|lib|lib64|bin|sbin|root|var\/lib\/(?:docker|containerd|kubelet))\//.test(clean(m.source));

const names = (ms: Mount[]) => list(ms.map((m) => `${m.source} → ${m.target}${m.readOnly ? ' (read-only)' : ''}`), 3);

export const mountChecks: Check[] = [
  {
    id: 'engine-socket',
    group: 'mounts',
    title: 'Engine socket mounted',
    level: 'baseline',
    fix: 'remove the socket mount (use a socket proxy with a narrow allow-list if it must talk to the engine)',
    fixId: null,
    cis: '5.31',
    pss: 'Baseline: HostPath Volumes',
    evaluate: (v) => {
      const ms = v.mounts.filter(isSocketMount);
      return ms.length ? hit(`The engine's socket is mounted (${names(ms)}): whoever controls the container can start a privileged one, which is root on the host. Read-only does not help.`, 'critical') : null;
    },
  },
  {
    id: 'sensitive-mount-rw',
    group: 'mounts',
    title: 'Host system folder mounted writable',
    level: 'baseline',
    fix: 'mount only the project folder it needs, or add :ro',
    fixId: 'sensitive-mounts-ro',
    cis: '5.5',
    pss: 'Baseline: HostPath Volumes',
    evaluate: (v) => {
      const ms = v.mounts.filter((m) => !m.readOnly && (isSensitiveMount(m) || isSensitiveBelow(m)));
      return ms.length ? hit(`Host system folders are mounted writable: ${names(ms)}.`, ms.some((m) => ['/', '/etc', '/root', '/boot', '/usr'].includes(clean(m.source))) ? 'critical' : 'high') : null;
    },
  },
  {
    id: 'sensitive-mount-ro',
    group: 'mounts',
    title: 'Host system folder mounted',
    level: 'restricted',
    fix: 'mount only what it needs',
    fixId: null,
    cis: '5.5',
    pss: 'Baseline: HostPath Volumes',
    evaluate: (v) => {
      const ms = v.mounts.filter((m) => m.readOnly && (isSensitiveMount(m) || isSensitiveBelow(m)));
      return ms.length ? hit(`Host system folders are readable inside: ${names(ms)} (secrets and keys may be among them).`, 'medium') : null;
    },
  },
  {
    id: 'bind-mount-rw',
    group: 'mounts',
    title: 'Writable bind mounts',
    level: 'hardened',
    fix: 'add :ro to bind mounts it only reads',
    fixId: null,
    cis: '5.5',
    pss: null,
    evaluate: (v) => {
      const ms = v.mounts.filter((m) => m.type === 'bind' && !m.readOnly && !isSocketMount(m) && !isSensitiveMount(m) && !isSensitiveBelow(m));
      return ms.length ? hit(`Host folders it can write to (fine for development): ${names(ms)}.`, 'info') : null;
    },
  },
  {
    id: 'mount-propagation',
    group: 'mounts',
    title: 'Shared mount propagation',
    level: 'baseline',
    fix: 'use the default (rprivate) propagation',
    fixId: null,
    cis: '5.19',
    pss: null,
    evaluate: (v) => {
      const ms = v.mounts.filter((m) => /shared/.test(m.propagation));
      return ms.length ? hit(`Mounts with shared propagation (${names(ms)}): mounts made inside appear on the host.`, 'medium') : null;
    },
  },
  {
    id: 'devices',
    group: 'mounts',
    title: 'Host devices',
    level: 'baseline',
    fix: 'remove --device flags it does not need',
    fixId: null,
    cis: '5.17',
    pss: null,
    evaluate: (v) => (!v.privileged && v.devices.length ? hit(`Host devices are passed in: ${list(v.devices)}.`, 'medium') : null),
  },
  {
    id: 'writable-rootfs',
    group: 'mounts',
    title: 'Writable root filesystem',
    level: 'hardened',
    fix: '--read-only with --tmpfs for the paths it writes',
    fixId: 'read-only-rootfs',
    cis: '5.12',
    pss: null,
    evaluate: (v) => (v.readonlyRootfs ? null : hit('The root filesystem is writable: an intruder can change binaries and drop tools.', 'low')),
  },
];
