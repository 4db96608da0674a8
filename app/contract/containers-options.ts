import type { ContainerDetails, MountSpec, RestartPolicy, RunChanges, RunOptions } from './containers';

const RESTART_NAMES: readonly string[] = ['no', 'always', 'unless-stopped', 'on-failure'];

/**
 * Pure and engine-neutral, so both the core (recreate) and the renderer (the Edit form) use it.
 *
 * A container's details as run options: what a "duplicate" or "edit and recreate" dialog starts
 * from, and what recreate checks the merged options against. Settings run options do not model
 * (devices, DNS, extra hosts, log driver...) are not here; recreate keeps them from the engine's config.
 */
export function detailsToRunOptions(d: ContainerDetails): RunOptions {
  const hc = d.hostConfig;
  const o: RunOptions = { image: d.config.image, name: d.name };
  if (d.config.cmd) o.command = [...d.config.cmd];
  if (d.config.entrypoint) o.entrypoint = [...d.config.entrypoint];
  if (d.config.workingDir) o.workingDir = d.config.workingDir;
  if (d.config.user) o.user = d.config.user;
  if (d.config.env.length) o.env = d.config.env.map((v) => ({ ...v }));
  if (hc.portBindings.length) o.ports = hc.portBindings.map((p) => ({ ...p }));
  const mounts = d.mounts.filter((m): m is typeof m & { type: MountSpec['type'] } => m.type === 'bind' || m.type === 'volume' || m.type === 'tmpfs');
  if (mounts.length) {
    o.mounts = mounts.map((m) => ({ type: m.type, source: m.type === 'volume' ? (m.name ?? '') : m.type === 'bind' ? m.source : '', target: m.target, readOnly: m.readOnly }));
  }
  if (RESTART_NAMES.includes(hc.restartPolicy.name) && hc.restartPolicy.name !== 'no') {
    const rp: RestartPolicy = { name: hc.restartPolicy.name as RestartPolicy['name'] };
    if (rp.name === 'on-failure' && hc.restartPolicy.maximumRetryCount > 0) rp.maximumRetryCount = hc.restartPolicy.maximumRetryCount;
    o.restartPolicy = rp;
  }
  if (hc.autoRemove) o.autoRemove = true;
  const l = hc.limits;
  if (l.cpus !== null || l.memoryBytes !== null || l.pidsLimit !== null) {
    o.limits = {};
    if (l.cpus !== null) o.limits.cpus = l.cpus;
    if (l.memoryBytes !== null) o.limits.memoryBytes = l.memoryBytes;
    if (l.pidsLimit !== null) o.limits.pidsLimit = l.pidsLimit;
  }
  const s = hc.security;
  const sec: NonNullable<RunOptions['security']> = {};
  if (s.readonlyRootfs) sec.readonlyRootfs = true;
  if (s.capAdd.length) sec.capAdd = [...s.capAdd];
  if (s.capDrop.length) sec.capDrop = [...s.capDrop];
  if (s.noNewPrivileges) sec.noNewPrivileges = true;
  if (s.seccompProfile === 'unconfined') sec.seccompProfile = 'unconfined';
  if (s.apparmorProfile === 'unconfined') sec.apparmorProfile = 'unconfined';
  if (s.privileged) sec.privileged = true;
  if (Object.keys(sec).length) o.security = sec;
  if (hc.networkMode && hc.networkMode !== 'default') o.network = hc.networkMode;
  const autoHostname = d.config.hostname === d.id.slice(0, 12);
  if (d.config.hostname && !autoHostname && hc.networkMode !== 'host') o.hostname = d.config.hostname;
  if (Object.keys(d.config.labels).length) o.labels = { ...d.config.labels };
  if (hc.runtime && hc.runtime !== 'runc') o.runtime = hc.runtime;
  if (hc.sysctls && Object.keys(hc.sysctls).length) o.sysctls = { ...hc.sysctls };
  if (d.config.tty) o.tty = true;
  if (d.config.openStdin) o.openStdin = true;
  return o;
}

/** Run options with changes applied as recreate applies them: fields replace, limits and security merge key by key. */
export function mergeRunChanges(base: RunOptions, changes: RunChanges): RunOptions {
  const out: RunOptions = { ...base, ...changes } as RunOptions;
  if (changes.limits) out.limits = { ...base.limits, ...changes.limits };
  if (changes.security) out.security = { ...base.security, ...changes.security };
  return out;
}
