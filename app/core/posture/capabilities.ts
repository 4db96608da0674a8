/** Linux capability names: normalization and the effective set a container gets. */

/** Every capability of current kernels (capability.h, 6.x), without the CAP_ prefix. */
export const ALL_CAPABILITIES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT',
  'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE',
  'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ',
  'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
];

/** The set dockerd and containerd (nerdctl) both grant by default (moby oci/caps/defaults.go, containerd oci/spec.go). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** `NET_ADMIN`, `CAP_NET_ADMIN` and `net_admin` are one capability: `NET_ADMIN`. `all` is `ALL`. */
export function normalizeCapability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, '');
}

const sorted = (s: Iterable<string>) => [...new Set(s)].sort();

/**
 * The bounding set a container gets, as dockerd computes it (moby oci/caps TweakCapabilities):
 * privileged → all; else the defaults (or nothing with drop ALL) minus the dropped, plus the
 * added (add ALL → all, minus what is dropped by name).
 */
export function effectiveCapabilities(opts: { privileged: boolean; add: readonly string[]; drop: readonly string[]; defaults?: readonly string[] }): string[] {
  if (opts.privileged) return sorted(ALL_CAPABILITIES);
  const add = opts.add.map(normalizeCapability);
  const drop = opts.drop.map(normalizeCapability);
  const out = new Set(drop.includes('ALL') ? [] : (opts.defaults ?? DEFAULT_CAPABILITIES));
  for (const d of drop) out.delete(d);
  if (add.includes('ALL')) {
    for (const c of ALL_CAPABILITIES) if (!drop.includes(c)) out.add(c);
  }
  for (const a of add) if (a !== 'ALL') out.add(a);
  return sorted(out);
}

/** Capabilities in `effective` that the engine would not grant by default. */
export function addedCapabilities(effective: readonly string[], defaults: readonly string[] = DEFAULT_CAPABILITIES): string[] {
  const d = new Set(defaults);
  return sorted(effective.filter((c) => !d.has(c)));
}

/** From an OCI spec's capability list (`CAP_NET_RAW`...). */
export function normalizeCapabilityList(list: readonly string[] | null | undefined): string[] {
  return sorted((list ?? []).map(normalizeCapability));
}
