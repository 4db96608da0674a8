import type { ContainerDetails, MountSpec, RunChanges, RunOptionsIn } from '../../../app/contract/containers';

/**
 * "Edit and recreate": a container's settings as run options (what the Edit form starts from),
 * and the changes between that start and what the user made of it (what `containers.recreate`
 * receives: every field given replaces the container's, limits and security merge key by key).
 */
const RESTART = ['always', 'unless-stopped', 'on-failure'] as const;

export function optionsFromDetails(d: ContainerDetails): RunOptionsIn {
  const hc = d.hostConfig;
  const o: RunOptionsIn = { image: d.config.image, name: d.name.replace(/^\//, '') };
  if (d.config.cmd?.length) o.command = [...d.config.cmd];
  if (d.config.entrypoint?.length) o.entrypoint = [...d.config.entrypoint];
  if (d.config.workingDir) o.workingDir = d.config.workingDir;
  if (d.config.user) o.user = d.config.user;
  if (d.config.tty) o.tty = true;
  if (d.config.openStdin) o.openStdin = true;
  if (d.config.env.length) o.env = d.config.env.map((e) => ({ name: e.name, value: e.value }));
  if (hc.portBindings.length) o.ports = hc.portBindings.map((p) => ({ ...p }));
  const mounts: MountSpec[] = [];
  for (const m of d.mounts) {
    if (m.type === 'volume') mounts.push({ type: 'volume', source: m.name ?? '', target: m.target, readOnly: m.readOnly });
    else if (m.type === 'bind') mounts.push({ type: 'bind', source: m.source, target: m.target, readOnly: m.readOnly });
    else if (m.type === 'tmpfs') mounts.push({ type: 'tmpfs', source: '', target: m.target, readOnly: m.readOnly });
  }
  if (mounts.length) o.mounts = mounts;
  const rp = hc.restartPolicy;
  const name = RESTART.find((n) => n === rp.name);
  if (name) o.restartPolicy = name === 'on-failure' && rp.maximumRetryCount > 0 ? { name, maximumRetryCount: rp.maximumRetryCount } : { name };
  if (hc.autoRemove) o.autoRemove = true;
  const l = hc.limits;
  const limits: NonNullable<RunOptionsIn['limits']> = {};
  if (l.cpus !== null) limits.cpus = l.cpus;
  if (l.memoryBytes !== null) limits.memoryBytes = l.memoryBytes;
  if (l.pidsLimit !== null && l.pidsLimit > 0) limits.pidsLimit = l.pidsLimit;
  if (Object.keys(limits).length) o.limits = limits;
  const s = hc.security;
  const sec: NonNullable<RunOptionsIn['security']> = {};
  if (s.readonlyRootfs) sec.readonlyRootfs = true;
  if (s.capAdd.length) sec.capAdd = [...s.capAdd];
  if (s.capDrop.length) sec.capDrop = [...s.capDrop];
  if (s.noNewPrivileges) sec.noNewPrivileges = true;
  if (s.seccompProfile === 'unconfined') sec.seccompProfile = 'unconfined';
  if (s.apparmorProfile === 'unconfined') sec.apparmorProfile = 'unconfined';
  if (s.privileged) sec.privileged = true;
  if (Object.keys(sec).length) o.security = sec;
  if (hc.networkMode && hc.networkMode !== 'default') o.network = hc.networkMode;
  // The engine names a container's host after its short id unless told otherwise.
  if (d.config.hostname && d.config.hostname !== d.id.slice(0, 12) && hc.networkMode !== 'host') o.hostname = d.config.hostname;
  if (Object.keys(d.config.labels).length) o.labels = { ...d.config.labels };
  return o;
}

/** JSON with object keys sorted, so equal settings compare equal whatever order they were built in. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

export interface ChangeSet {
  changes: RunChanges;
  /** Edits recreate cannot express (clearing a field that has no "empty" value). */
  unsupported: { field: string; message: string }[];
}

/** What changed between the container's options and the edited ones. */
export function changesBetween(base: RunOptionsIn, next: RunOptionsIn): ChangeSet {
  const changes: Record<string, unknown> = {};
  const unsupported: ChangeSet['unsupported'] = [];
  const keys = new Set([...Object.keys(base), ...Object.keys(next)] as (keyof RunOptionsIn)[]);
  for (const k of keys) {
    const a = base[k];
    const b = next[k];
    if (same(a, b)) continue;
    if (b !== undefined) {
      if (k === 'limits' || k === 'security') {
        const diff: Record<string, unknown> = {};
        const bo = b as Record<string, unknown>;
        const ao = (a ?? {}) as Record<string, unknown>;
        for (const kk of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
          if (same(ao[kk], bo[kk])) continue;
          if (bo[kk] !== undefined) diff[kk] = bo[kk];
          else clearSub(k, kk, diff, unsupported);
        }
        if (Object.keys(diff).length) changes[k] = diff;
      } else changes[k] = b;
      continue;
    }
    // Cleared: say so with the field's empty value where it has one.
    switch (k) {
      case 'command':
      case 'ports':
      case 'mounts':
      case 'env':
        changes[k] = [];
        break;
      case 'labels':
        changes[k] = {};
        break;
      case 'restartPolicy':
        changes[k] = { name: 'no' };
        break;
      case 'autoRemove':
      case 'tty':
      case 'openStdin':
        changes[k] = false;
        break;
      case 'security': {
        const diff: Record<string, unknown> = {};
        for (const kk of Object.keys(a as object)) clearSub('security', kk, diff, unsupported);
        if (Object.keys(diff).length) changes.security = diff;
        break;
      }
      default:
        unsupported.push({ field: k, message: `Clearing "${k}" is not possible when recreating; give it a value instead.` });
    }
  }
  return { changes: changes as RunChanges, unsupported };
}

function clearSub(area: 'limits' | 'security', key: string, diff: Record<string, unknown>, unsupported: ChangeSet['unsupported']) {
  if (area === 'security' && ['readonlyRootfs', 'noNewPrivileges', 'privileged'].includes(key)) diff[key] = false;
  else if (area === 'security' && (key === 'capAdd' || key === 'capDrop')) diff[key] = [];
  else unsupported.push({ field: key, message: `Removing "${key}" is not possible when recreating; set another value instead.` });
}
