import type { MountSpec, RestartPolicy, RunOptions, RunOptionsIn } from '../../../app/contract/containers';
import { formatBytesInput, formatPort, joinWords, parseBytes, parseNumber, parsePort, splitList, splitWords } from './parse';

/**
 * The run form as the user edits it (strings, rows), and its translation to `RunOptions`.
 * Field keys (`name`, `ports.2`, `env.0.name`, `memory`...) name inputs; errors are keyed the same.
 */
export interface PortRow {
  key: number;
  spec: string;
}
export interface MountRow {
  key: number;
  type: MountSpec['type'];
  source: string;
  target: string;
  readOnly: boolean;
}
export interface PairRow {
  key: number;
  name: string;
  value: string;
}

export interface RunForm {
  image: string;
  name: string;
  command: string;
  entrypoint: string;
  workingDir: string;
  user: string;
  /** The image platform, os/arch[/variant] ('' = the engine's own). */
  platform: string;
  tty: boolean;
  openStdin: boolean;
  ports: PortRow[];
  mounts: MountRow[];
  env: PairRow[];
  envFile: string;
  cpus: string;
  memory: string;
  pids: string;
  readonlyRootfs: boolean;
  capAdd: string;
  capDrop: string;
  noNewPrivileges: boolean;
  seccompProfile: string;
  apparmorProfile: string;
  privileged: boolean;
  network: string;
  /** The OCI runtime ('' = the engine's default). */
  runtime: string;
  hostname: string;
  labels: PairRow[];
  restart: RestartPolicy['name'];
  maxRetries: string;
  autoRemove: boolean;
}

export type FieldErrors = Record<string, string>;

let nextKey = 1;
export const newKey = () => nextKey++;

export const emptyForm = (image = ''): RunForm => ({
  image,
  name: '',
  command: '',
  entrypoint: '',
  workingDir: '',
  user: '',
  platform: '',
  tty: false,
  openStdin: false,
  ports: [],
  mounts: [],
  env: [],
  envFile: '',
  cpus: '',
  memory: '',
  pids: '',
  readonlyRootfs: false,
  capAdd: '',
  capDrop: '',
  noNewPrivileges: false,
  seccompProfile: '',
  apparmorProfile: '',
  privileged: false,
  network: '',
  runtime: '',
  hostname: '',
  labels: [],
  restart: 'no',
  maxRetries: '',
  autoRemove: false,
});

/** Where each option's rows came from, to put a schema issue on the right input. */
export interface RowIndex {
  ports: number[];
  mounts: number[];
  env: number[];
  labels: Record<string, number>;
}

export interface Translated {
  options: RunOptionsIn;
  /** Errors found while reading the inputs (syntax); schema checks come on top (see validate.ts). */
  errors: FieldErrors;
  rows: RowIndex;
}

const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());

export function formToOptions(f: RunForm): Translated {
  const errors: FieldErrors = {};
  const rows: RowIndex = { ports: [], mounts: [], env: [], labels: {} };
  const o: RunOptionsIn = { image: f.image.trim() };
  const set = <K extends keyof RunOptionsIn>(k: K, v: RunOptionsIn[K] | undefined) => {
    if (v !== undefined) o[k] = v;
  };
  set('name', opt(f.name));
  for (const k of ['command', 'entrypoint'] as const) {
    if (f[k].trim() === '') continue;
    const w = splitWords(f[k]);
    if (w.ok) o[k] = w.value;
    else errors[k] = w.message;
  }
  set('workingDir', opt(f.workingDir));
  set('user', opt(f.user));
  set('platform', opt(f.platform)?.toLowerCase());
  if (f.tty) o.tty = true;
  if (f.openStdin) o.openStdin = true;

  const ports: NonNullable<RunOptionsIn['ports']> = [];
  f.ports.forEach((r, i) => {
    if (r.spec.trim() === '') return;
    const p = parsePort(r.spec);
    if (!p.ok) errors[`ports.${i}`] = p.message;
    else {
      rows.ports.push(i);
      ports.push(p.value);
    }
  });
  if (ports.length) o.ports = ports;

  const mounts: NonNullable<RunOptionsIn['mounts']> = [];
  f.mounts.forEach((m, i) => {
    if (m.source.trim() === '' && m.target.trim() === '') return;
    if (m.target.trim() === '') errors[`mounts.${i}.target`] = 'needs the path inside the container';
    if (m.type === 'bind' && m.source.trim() === '') errors[`mounts.${i}.source`] = 'needs the host folder';
    rows.mounts.push(i);
    mounts.push({ type: m.type, source: m.type === 'tmpfs' ? '' : m.source.trim(), target: m.target.trim(), readOnly: m.readOnly });
  });
  if (mounts.length) o.mounts = mounts;

  const env: { name: string; value: string }[] = [];
  f.env.forEach((e, i) => {
    if (e.name.trim() === '') {
      if (e.value !== '') errors[`env.${i}.name`] = 'needs a name';
      return;
    }
    rows.env.push(i);
    env.push({ name: e.name.trim(), value: e.value });
  });
  if (env.length) o.env = env;
  set('envFile', opt(f.envFile));

  const limits: NonNullable<RunOptionsIn['limits']> = {};
  if (f.cpus.trim()) {
    const n = parseNumber(f.cpus);
    if (n.ok) limits.cpus = n.value;
    else errors.cpus = n.message;
  }
  if (f.memory.trim()) {
    const n = parseBytes(f.memory);
    if (n.ok) limits.memoryBytes = n.value;
    else errors.memory = n.message;
  }
  if (f.pids.trim()) {
    const n = parseNumber(f.pids, true);
    if (n.ok) limits.pidsLimit = n.value;
    else errors.pids = n.message;
  }
  if (Object.keys(limits).length) o.limits = limits;

  const sec: NonNullable<RunOptionsIn['security']> = {};
  if (f.readonlyRootfs) sec.readonlyRootfs = true;
  if (splitList(f.capAdd).length) sec.capAdd = splitList(f.capAdd).map((c) => c.toUpperCase());
  if (splitList(f.capDrop).length) sec.capDrop = splitList(f.capDrop).map((c) => c.toUpperCase());
  if (f.noNewPrivileges) sec.noNewPrivileges = true;
  if (opt(f.seccompProfile)) sec.seccompProfile = f.seccompProfile.trim();
  if (opt(f.apparmorProfile)) sec.apparmorProfile = f.apparmorProfile.trim();
  if (f.privileged) sec.privileged = true;
  if (Object.keys(sec).length) o.security = sec;

  set('network', opt(f.network));
  set('runtime', opt(f.runtime));
  set('hostname', opt(f.hostname));
  const labels: Record<string, string> = {};
  f.labels.forEach((l, i) => {
    const k = l.name.trim();
    if (k === '') {
      if (l.value !== '') errors[`labels.${i}.name`] = 'needs a key';
      return;
    }
    if (k in labels) errors[`labels.${i}.name`] = `"${k}" is already set above`;
    labels[k] = l.value;
    rows.labels[k] = i;
  });
  if (Object.keys(labels).length) o.labels = labels;
  if (f.restart !== 'no') {
    const rp: RestartPolicy = { name: f.restart };
    if (f.restart === 'on-failure' && f.maxRetries.trim()) {
      const n = parseNumber(f.maxRetries, true);
      if (n.ok) rp.maximumRetryCount = n.value;
      else errors.maxRetries = n.message;
    }
    o.restartPolicy = rp;
  }
  if (f.autoRemove) o.autoRemove = true;
  return { options: o, errors, rows };
}

/** The form for existing options (the Edit tab, or "run again with changes"). */
export function formFromOptions(o: RunOptions | RunOptionsIn): RunForm {
  const f = emptyForm(o.image);
  const l = o.limits;
  const s = o.security;
  return {
    ...f,
    name: o.name ?? '',
    command: o.command ? joinWords(o.command) : '',
    entrypoint: o.entrypoint ? joinWords(o.entrypoint) : '',
    workingDir: o.workingDir ?? '',
    user: o.user ?? '',
    platform: o.platform ?? '',
    tty: o.tty ?? false,
    openStdin: o.openStdin ?? false,
    ports: (o.ports ?? []).map((p) => ({ key: newKey(), spec: formatPort(p) })),
    mounts: (o.mounts ?? []).map((m) => ({ key: newKey(), type: m.type, source: m.source ?? '', target: m.target, readOnly: m.readOnly ?? false })),
    env: (o.env ?? []).map((e) => {
      const [name, value] = typeof e === 'string' ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e.name, e.value];
      return { key: newKey(), name, value };
    }),
    envFile: o.envFile ?? '',
    cpus: l?.cpus !== undefined ? String(l.cpus) : '',
    memory: l?.memoryBytes !== undefined ? formatBytesInput(l.memoryBytes) : '',
    pids: l?.pidsLimit !== undefined ? String(l.pidsLimit) : '',
    readonlyRootfs: s?.readonlyRootfs ?? false,
    capAdd: (s?.capAdd ?? []).join(', '),
    capDrop: (s?.capDrop ?? []).join(', '),
    noNewPrivileges: s?.noNewPrivileges ?? false,
    seccompProfile: s?.seccompProfile ?? '',
    apparmorProfile: s?.apparmorProfile ?? '',
    privileged: s?.privileged ?? false,
    network: o.network ?? '',
    runtime: o.runtime ?? '',
    hostname: o.hostname ?? '',
    labels: Object.entries(o.labels ?? {}).map(([name, value]) => ({ key: newKey(), name, value })),
    restart: o.restartPolicy?.name ?? 'no',
    maxRetries: o.restartPolicy?.maximumRetryCount ? String(o.restartPolicy.maximumRetryCount) : '',
    autoRemove: o.autoRemove ?? false,
  };
}
