import type { ContainerState, ContainerSummary, Health, PortMapping } from '../contract/containers';
import { composeFromLabels } from './containers-labels';
import { familiarImage, mountsFromLabels, networksFromLabels, userLabels } from './nerdctl-ps';
import { parseNerdctlPorts } from './nerdctl-ports';

/**
 * A container list read from containerd's own API (Containers/List + Tasks/List), as the CLI path reads the rows
 * `nerdctl ps -a --no-trunc --format PS_FORMAT` prints for it (nerdctl 2.3: pkg/cmd/container/list.go,
 * pkg/formatter) through `parsePsRow`: each summary is made from the record itself, not from that row's text, and is
 * the same (the unit tests hold the two equal, field by field, on varied records).
 */

/** The parts of containerd's container record a row needs. */
export interface ContainerdContainer {
  id: string;
  labels: Record<string, string>;
  /** The image reference as containerd keeps it (`docker.io/library/busybox:latest`). */
  image: string;
  /** Milliseconds since the epoch (created_at truncated to ms, as Berth reads nerdctl's time); null when unset. */
  createdMs: number | null;
  /** The OCI spec's `process.commandLine + process.args.join(' ')`; '' without a spec or process. */
  command: string;
}

/** containerd's task status (containerd.v1.types.Status). */
export const TaskStatus = { UNKNOWN: 0, CREATED: 1, RUNNING: 2, STOPPED: 3, PAUSED: 4, PAUSING: 5 } as const;

/** The container's task (its main process) as Tasks/List or Tasks/Get report it. */
export interface ContainerdTask {
  status: number;
  exitStatus: number;
  /** Milliseconds since the epoch; null when unset (Go's zero time). */
  exitedMs: number | null;
}

/** go-cni's PortMapping as nerdctl stores it (network-config.json, or the legacy `nerdctl/ports` label). */
export interface CniPortMapping {
  HostPort: number;
  ContainerPort: number;
  Protocol: string;
  HostIP: string;
}

const RESTART = { status: 'containerd.io/restart.status', policy: 'containerd.io/restart.policy', count: 'containerd.io/restart.count', stopped: 'containerd.io/restart.explicitly-stopped' };

/** Go's `units.HumanDuration` (what `Exited (0) 3 minutes ago` says). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** Go's time.Since of the zero time saturates at the largest Duration (about 292 years). */
const MAX_DURATION_MS = 9_223_372_036_854;

const goBool = (v: string | undefined) => v !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);

/** Go's strconv.Atoi: an optional sign and decimal digits, else null. */
const goAtoi = (s: string) => (/^[+-]?\d+$/.test(s) ? Number(s) : null);

/** containerd's `restart.Reconcile`: whether its restart monitor will start a stopped task again. */
export function restartReconciles(exitStatus: number, labels: Record<string, string>): boolean {
  if (goBool(labels[RESTART.stopped])) return false;
  const [name = '', ...rest] = (labels[RESTART.policy] ?? '').split(':');
  if (name === '' || name === 'always' || name === 'unless-stopped') return rest.length === 0;
  if (name !== 'on-failure') return false;
  const max = rest.length ? goAtoi(rest[0] ?? '') : 0;
  if (max === null) return false;
  const countText = labels[RESTART.count] ?? '';
  const count = countText === '' ? 0 : goAtoi(countText);
  if (count === null) return false;
  return exitStatus !== 0 && (max === 0 || count < max);
}

/** A task's status text as nerdctl prints it, with the state and health the CLI path reads from that text. */
export interface ContainerdState {
  status: string;
  state: ContainerState;
  health: Health | null;
}

const created = (): ContainerdState => ({ status: 'Created', state: 'created', health: null });

/** nerdctl's `formatter.ContainerStatus` plus the health suffix `ps` adds. */
export function containerdState(task: ContainerdTask | undefined, labels: Record<string, string>, nowMs: number): ContainerdState {
  if (!task) return created();
  switch (task.status) {
    case TaskStatus.STOPPED: {
      const ago = `${humanDuration(task.exitedMs === null ? MAX_DURATION_MS : nowMs - task.exitedMs)} ago`;
      const restarting = labels[RESTART.status] === 'running' && restartReconciles(task.exitStatus, labels);
      return { status: `${restarting ? 'Restarting' : 'Exited'} (${task.exitStatus}) ${ago}`, state: restarting ? 'restarting' : 'exited', health: null };
    }
    case TaskStatus.RUNNING:
      break;
    case TaskStatus.CREATED:
      return created();
    case TaskStatus.PAUSED:
      return { status: 'Paused', state: 'paused', health: null };
    case TaskStatus.PAUSING:
      return { status: 'Pausing', state: 'paused', health: null };
    default:
      // `Unknown` reads as created (stateFromStatus).
      return { status: 'Unknown', state: 'created', health: null };
  }
  const health = healthStatus(labels['nerdctl/healthstate']);
  if (health === 'healthy' || health === 'unhealthy') return { status: `Up (${health})`, state: 'running', health };
  if (health === 'starting') return { status: 'Up (health: starting)', state: 'running', health };
  return { status: 'Up', state: 'running', health: null };
}

/** `Status` of nerdctl's health state label (Go's JSON matches keys without regard to case). */
function healthStatus(json: string | undefined): string | null {
  if (!json) return null;
  try {
    const v: unknown = JSON.parse(json);
    if (v === null || typeof v !== 'object') return null;
    const entry = Object.entries(v).find(([k]) => k.toLowerCase() === 'status');
    return typeof entry?.[1] === 'string' ? entry[1] : null;
  } catch {
    // nerdctl logs and shows the plain status for an unreadable label; so does Berth.
    return null;
  }
}

/** nerdctl's `containerutil.GetContainerName`. */
export function containerName(labels: Record<string, string>): string {
  const name = labels['nerdctl/name'];
  if (name !== undefined) return name;
  const ns = labels['io.kubernetes.pod.namespace'];
  const pod = labels['io.kubernetes.pod.name'];
  if (ns === undefined || pod === undefined) return '';
  const c = labels['io.kubernetes.container.name'];
  return c !== undefined ? `k8s://${ns}/${pod}/${c}` : `k8s://${ns}/${pod}`;
}

/** nerdctl's `formatter.FormatPorts`. */
export function formatPorts(ports: readonly CniPortMapping[]): string {
  return portGroups(ports)
    .map((g) => g.text)
    .join(', ');
}

/** FormatPorts' groups (one host IP and protocol each, sorted by host port) in the order it prints them, with their text. */
function portGroups(ports: readonly CniPortMapping[]): { text: string; pms: CniPortMapping[] }[] {
  const groups = new Map<string, CniPortMapping[]>();
  for (const p of ports) {
    const k = JSON.stringify([p.HostIP, p.Protocol]);
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const shown: { text: string; pms: CniPortMapping[] }[] = [];
  for (const pms of groups.values()) {
    pms.sort((a, b) => a.HostPort - b.HostPort);
    const ranges: string[] = [];
    for (let i = 0; i < pms.length; i++) {
      const start = pms[i] as CniPortMapping;
      let end = start;
      while (i + 1 < pms.length && (pms[i + 1] as CniPortMapping).HostPort === end.HostPort + 1 && (pms[i + 1] as CniPortMapping).ContainerPort === end.ContainerPort + 1) end = pms[++i] as CniPortMapping;
      ranges.push(start === end ? `${start.HostPort}->${start.ContainerPort}` : `${start.HostPort}-${end.HostPort}->${start.ContainerPort}-${end.ContainerPort}`);
    }
    shown.push({ text: `${start0(pms).HostIP}:${ranges.join(', ')}/${start0(pms).Protocol}`, pms });
  }
  return shown.sort((a, b) => byteOrder(a.text, b.text));
}

const start0 = (pms: CniPortMapping[]) => pms[0] as CniPortMapping;
/** Go's sort.Strings (byte order; the same as code unit order for this ASCII text). */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The ports the CLI path reads from FormatPorts' text (parseNerdctlPorts): each group's mappings in turn, a range being
 * its members. A mapping whose text would not read back as itself (a host IP or protocol with other characters, a port
 * that is not a whole number) is rare: those lists are read from the text itself, with all its quirks.
 */
function summaryPorts(mappings: readonly CniPortMapping[]): PortMapping[] {
  if (mappings.length === 0) return [];
  if (!mappings.every(readsBack)) return parseNerdctlPorts(formatPorts(mappings));
  const out: PortMapping[] = [];
  for (const g of portGroups(mappings)) {
    for (const p of g.pms) out.push({ hostIp: p.HostIP === '' ? null : p.HostIP, hostPort: p.HostPort, containerPort: p.ContainerPort, protocol: protocolOf(p.Protocol) });
  }
  return out;
}

const readsBack = (p: CniPortMapping) => /^[\w.:%-]*$/.test(p.HostIP) && /^[a-z]+$/i.test(p.Protocol) && wholePort(p.HostPort) && wholePort(p.ContainerPort);
/** A port its decimal text gives back (not -0, which reads back as 0). */
const wholePort = (n: number) => Number.isSafeInteger(n) && n >= 0 && !Object.is(n, -0);
const protocolOf = (p: string): PortMapping['protocol'] => {
  const l = p.toLowerCase();
  return l === 'udp' || l === 'sctp' ? l : 'tcp';
};

/** Port mappings from JSON as Go would read them into go-cni's PortMapping (keys matched without regard to case). */
export function cniPortMappings(v: unknown): CniPortMapping[] {
  if (!Array.isArray(v)) return [];
  return v.map((m: unknown) => {
    const o: Record<string, unknown> = {};
    if (m && typeof m === 'object') for (const [k, x] of Object.entries(m)) o[k.toLowerCase()] = x;
    const num = (x: unknown) => (typeof x === 'number' ? x : 0);
    const s = (x: unknown) => (typeof x === 'string' ? x : '');
    return { HostPort: num(o.hostport), ContainerPort: num(o.containerport), Protocol: s(o.protocol), HostIP: s(o.hostip) };
  });
}

/** The creation time as the CLI path reads nerdctl's RFC 3339 text (parseNerdctlTime): Go's zero day and unset are the epoch. */
function createdIso(ms: number | null): string {
  const iso = ms === null ? null : new Date(ms).toISOString();
  return iso === null || iso.startsWith('0001-01-01') ? EPOCH : iso;
}
const EPOCH = new Date(0).toISOString();

/**
 * nerdctl's port mappings of a container: `ports`, those it stored (network-config.json), or when there are none (null
 * or empty) the legacy `nerdctl/ports` label's, as nerdctl reads them.
 */
export function portMappingsOf(c: ContainerdContainer, ports: readonly CniPortMapping[] | null): readonly CniPortMapping[] {
  if (ports?.length || !c.labels['nerdctl/ports']) return ports ?? [];
  try {
    return cniPortMappings(JSON.parse(c.labels['nerdctl/ports']));
  } catch {
    // nerdctl fails the whole `ps` on an unreadable ports label; one container's label does not hide the list here.
    return [];
  }
}

/** The summary parsePsRow makes of the row nerdctl ps prints for this container (its fields read the same way). */
function summaryFromContainerd(c: ContainerdContainer, task: ContainerdTask | undefined, ports: readonly CniPortMapping[] | null, nowMs: number): ContainerSummary {
  const labels = c.labels;
  const { status, state, health } = containerdState(task, labels, nowMs);
  return {
    id: c.id,
    name: containerName(labels) || c.id.slice(0, 12),
    image: familiarImage(c.image),
    imageId: '',
    // nerdctl prints it Go-quoted, which parsePsRow undoes.
    command: c.command,
    created: createdIso(c.createdMs),
    state,
    status,
    health,
    ports: summaryPorts(portMappingsOf(c, ports)),
    labels: userLabels(labels),
    compose: composeFromLabels(labels),
    mounts: mountsFromLabels(labels),
    networks: networksFromLabels(labels),
  };
}

/**
 * Summaries as the CLI path gives them, newest first (nerdctl sorts by creation time): `ports(id)` gives nerdctl's stored
 * port mappings, or null to read the legacy `nerdctl/ports` label as nerdctl does when there are none.
 */
export function summariesFromContainerd(containers: readonly ContainerdContainer[], tasks: ReadonlyMap<string, ContainerdTask>, ports: (id: string) => readonly CniPortMapping[] | null, nowMs: number): ContainerSummary[] {
  const sorted = [...containers].sort((a, b) => (b.createdMs ?? -Infinity) - (a.createdMs ?? -Infinity));
  return sorted.map((c) => summaryFromContainerd(c, tasks.get(c.id), ports(c.id), nowMs));
}
