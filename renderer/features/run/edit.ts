import type { ContainerDetails, RunChanges, RunOptionsIn } from '../../../app/contract/containers';
import { detailsToRunOptions } from '../../../app/contract/containers-options';

/**
 * "Edit and recreate": a container's settings as run options (what the Edit form starts from),
 * and the changes between that start and what the user made of it (what `containers.recreate`
 * receives: every field given replaces the container's, limits and security merge key by key).
 */
export function optionsFromDetails(d: ContainerDetails): RunOptionsIn {
  const o: RunOptionsIn = detailsToRunOptions({ ...d, name: d.name.replace(/^\//, '') });
  // The form leaves out what says nothing: an empty command or entrypoint, a pids limit of 0 or less (unlimited).
  if (!o.command?.length) delete o.command;
  if (!o.entrypoint?.length) delete o.entrypoint;
  if (o.limits?.pidsLimit !== undefined && o.limits.pidsLimit <= 0) delete o.limits.pidsLimit;
  if (o.limits && Object.keys(o.limits).length === 0) delete o.limits;
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
