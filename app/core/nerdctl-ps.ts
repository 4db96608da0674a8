import type { ContainerState, ContainerSummary, Health, MountInfo } from '../contract/containers';
import { composeFromLabels } from './containers-labels';
import { goUnquote } from './go-quote';
import { labelsObject, obj, str, strMap } from './nerdctl-json';
import { parseNerdctlPorts } from './nerdctl-ports';
import { parseNerdctlTime } from './nerdctl-units';

/**
 * `nerdctl ps` asks for each row as `{"item":{{json .}},"labels":{{json .LabelsMap}}}` so labels
 * come as a map (its `Labels` text cannot be split on commas: nerdctl's own labels hold JSON).
 */
export const PS_FORMAT = '{"item":{{json .}},"labels":{{json .LabelsMap}}}';

/** Labels nerdctl keeps for itself (name, networks, mounts, state dir...) and Berth's run record: read here, not shown as user labels. */
export const isInternalLabel = (k: string) => k.startsWith('nerdctl/') || k === 'berth/run-config';

/**
 * Best effort for a bare `Labels` text (output that did not use PS_FORMAT): splits only on commas
 * that start a new `key=`, so JSON values with commas stay whole.
 */
export function splitLabelsText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === '') return out;
  for (const part of text.split(/,(?=[A-Za-z0-9][A-Za-z0-9._/-]*=)/)) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/**
 * State and health from nerdctl's status text: `Up`, `Up (healthy)`, `Up (health: starting)`,
 * `Exited (137) 3 seconds ago`, `Created` (also: the task is gone, e.g. after a VM restart),
 * `Paused`, `Pausing`, `Restarting (1) …`, `Unknown`.
 */
export function stateFromStatus(status: string): { state: ContainerState; health: Health | null; exitCode: number | null } {
  const s = status.trim();
  const health = /\((healthy|unhealthy|health: starting|starting)\)/.exec(s);
  const h: Health | null = health ? (health[1] === 'healthy' ? 'healthy' : health[1] === 'unhealthy' ? 'unhealthy' : 'starting') : null;
  const code = /^(?:Exited|Restarting) \((-?\d+)\)/.exec(s);
  const exitCode = code ? Number(code[1]) : null;
  const word = (/^[A-Za-z]+/.exec(s)?.[0] ?? '').toLowerCase();
  const state: ContainerState =
    word === 'up' || word === 'running'
      ? 'running'
      : word === 'exited' || word === 'stopped'
        ? 'exited'
        : word === 'paused' || word === 'pausing'
          ? 'paused'
          : word === 'restarting'
            ? 'restarting'
            : word === 'removing'
              ? 'removing'
              : word === 'dead'
                ? 'dead'
                : 'created';
  return { state, health: state === 'running' ? h : null, exitCode };
}

/** Network names from the `nerdctl/networks` label (a JSON array). */
export function networksFromLabels(labels: Record<string, string>): string[] {
  const v = labels['nerdctl/networks'];
  if (!v) return [];
  try {
    const a: unknown = JSON.parse(v);
    return Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    // An unreadable label says nothing about the networks; inspect has them.
    return [];
  }
}

const MOUNTS_PREFIX = 'nerdctl/mounts.';

/**
 * Mounts from the `nerdctl/mounts` label (a JSON array of Docker-style mount points), or, since nerdctl 2
 * (one label would outgrow containerd's label size limit), from `nerdctl/mounts.0`, `nerdctl/mounts.1`...
 * (one mount point each), in index order.
 */
export function mountsFromLabels(labels: Record<string, string>): MountInfo[] {
  const parse = (v: string): unknown[] => {
    try {
      const a: unknown = JSON.parse(v);
      return Array.isArray(a) ? a : [a];
    } catch {
      return [];
    }
  };
  const whole = labels['nerdctl/mounts'];
  if (whole) return parse(whole).map(toMount);
  // Only keys with the prefix are matched (a list reads ~20 labels per container, most of them not mounts).
  const parts: [string, string][] = [];
  for (const k of Object.keys(labels)) {
    const n = k.startsWith(MOUNTS_PREFIX) ? /^nerdctl\/mounts\.(\d+)$/.exec(k)?.[1] : undefined;
    if (n !== undefined) parts.push([n, labels[k] as string]);
  }
  if (parts.length === 0) return [];
  return parts.sort((x, y) => Number(x[0]) - Number(y[0])).flatMap(([, v]) => parse(v).map(toMount));
}

export function toMount(m: unknown): MountInfo {
  const o = obj(m);
  const t = str(o.Type);
  const type: MountInfo['type'] = t === 'bind' || t === 'volume' || t === 'tmpfs' || t === 'npipe' ? t : 'other';
  const out: MountInfo = { type, source: str(o.Source), target: str(o.Destination), readOnly: o.RW === false };
  if (str(o.Name)) out.name = str(o.Name);
  if (str(o.Driver)) out.driver = str(o.Driver);
  return out;
}

/** The image as Docker shows it: `docker.io/library/nginx:alpine` → `nginx:alpine`, `docker.io/team/app:1` → `team/app:1`. */
export function familiarImage(ref: string): string {
  return ref.replace(/^docker\.io\/library\/(?=[^/]+$)/, '').replace(/^docker\.io\//, '');
}

/** Only user labels: nerdctl's own are dropped. */
export function userLabels(labels: Record<string, string>): Record<string, string> {
  const out = labelsObject();
  // Keys, not entries: no [key, value] array per label (2,000 containers × ~20 labels in a list).
  for (const k of Object.keys(labels)) if (!isInternalLabel(k)) out[k] = labels[k] as string;
  return out;
}

/** One row of `nerdctl ps -a --no-trunc --format PS_FORMAT` (or a bare `--format json` row). */
export function parsePsRow(row: Record<string, unknown>): ContainerSummary {
  const item = row.item !== undefined ? obj(row.item) : row;
  const labels = row.labels !== undefined ? strMap(row.labels) : splitLabelsText(str(item.Labels));
  const status = str(item.Status);
  const { state, health } = stateFromStatus(status);
  // nerdctl prints the command Go-quoted (strconv.Quote): `sh -c "echo hi"` arrives as `"sh -c \"echo hi\""`.
  const command = goUnquote(str(item.Command));
  return {
    id: str(item.ID),
    name: str(item.Names) || labels['nerdctl/name'] || str(item.ID).slice(0, 12),
    image: familiarImage(str(item.Image)),
    // `ps` does not say which image id; inspect and the images list do.
    imageId: '',
    command,
    created: parseNerdctlTime(str(item.CreatedAt)) ?? new Date(0).toISOString(),
    state,
    status,
    health,
    ports: parseNerdctlPorts(str(item.Ports)),
    labels: userLabels(labels),
    compose: composeFromLabels(labels),
    mounts: mountsFromLabels(labels),
    networks: networksFromLabels(labels),
  };
}
