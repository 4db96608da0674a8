import * as z from 'zod';
import { bindWarnings } from './bind-warnings';
import { Labels, Platform } from './common';
import { deferred } from './deferred';

/**
 * What a user can ask of a new container, engine-neutral (the Docker-API and nerdctl adapters
 * both map it). The run dialog, `containers.run`, `containers.recreate` (as a partial) and
 * `containers.runCommand` share these schemas.
 */

const ipv4 = deferred(() => z.ipv4());
const ipv6 = deferred(() => z.ipv6());
export const HostIp = deferred(() => z.string().refine((v) => ipv4.safeParse(v).success || ipv6.safeParse(v).success, 'must be an IPv4 or IPv6 address'));

const PortNumber = deferred(() => z.number().int('must be a whole number').min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535'));
export const Protocol = deferred(() => z.enum(['tcp', 'udp', 'sctp']));
export type Protocol = z.infer<typeof Protocol>;

/** A published port. Without `hostPort` the engine picks a free one; without `hostIp` it listens on every address. */
export const PortSpec = deferred(() => z.object({
  hostIp: HostIp.optional(),
  hostPort: PortNumber.optional(),
  containerPort: PortNumber,
  protocol: Protocol.default('tcp'),
}));
export type PortSpec = z.infer<typeof PortSpec>;

/** An absolute path on a POSIX or Windows host. */
export const AbsolutePath = deferred(() => z
  .string()
  .min(1, 'must not be empty')
  .max(4096)
  .regex(/^(?:\/|[A-Za-z]:[\\/]|\\\\)/, 'must be an absolute path'));

export const MountSpec = deferred(() => z.object({
  type: z.enum(['volume', 'bind', 'tmpfs']),
  /** Volume name (empty: an anonymous volume), host path for a bind, nothing for tmpfs. */
  source: z.string().max(4096).default(''),
  target: AbsolutePath,
  readOnly: z.boolean().default(false),
}));
export type MountSpec = z.infer<typeof MountSpec>;

export const RestartPolicyName = deferred(() => z.enum(['no', 'always', 'unless-stopped', 'on-failure']));
export const RestartPolicy = deferred(() => z.object({
  name: RestartPolicyName,
  /** Only with on-failure: how many times to retry (0: no limit). */
  maximumRetryCount: z.number().int().min(0).optional(),
}));
export type RestartPolicy = z.infer<typeof RestartPolicy>;

export const Limits = deferred(() => z.object({
  /** CPUs, e.g. 0.5 or 2. */
  cpus: z.number().positive('must be more than 0').max(1024).optional(),
  /** Memory limit in bytes (engines refuse less than 6 MiB). */
  memoryBytes: z
    .number()
    .int('must be a whole number of bytes')
    .min(6 * 1024 * 1024, 'must be at least 6 MiB (6291456 bytes)')
    .optional(),
  pidsLimit: z.number().int().min(1, 'must be at least 1').optional(),
}));
export type Limits = z.infer<typeof Limits>;

const Capability = deferred(() => z.string().regex(/^(?:CAP_)?[A-Z0-9_]+$|^ALL$/i, 'must be a capability name such as NET_ADMIN or ALL'));

export const Security = deferred(() => z.object({
  readonlyRootfs: z.boolean().optional(),
  capAdd: z.array(Capability).max(64).optional(),
  capDrop: z.array(Capability).max(64).optional(),
  noNewPrivileges: z.boolean().optional(),
  /** 'unconfined', or the absolute path of a JSON profile on the core's host (read and sent inline, as the docker CLI does). */
  seccompProfile: z.string().min(1).max(4096).optional(),
  /** An AppArmor profile name, e.g. 'unconfined' or 'docker-default'. */
  apparmorProfile: z.string().min(1).max(256).optional(),
  /** Dangerous: full access to the host. */
  privileged: z.boolean().optional(),
}));
export type Security = z.infer<typeof Security>;

export const EnvName = deferred(() => z.string().min(1, 'must not be empty').max(4096).regex(/^[^=\0]+$/, 'must not contain "="'));
export const EnvVar = deferred(() => z.object({ name: EnvName, value: z.string().max(1 << 20) }));
export type EnvVar = z.infer<typeof EnvVar>;
/** `KEY=VALUE` or `{name, value}`. */
export const EnvEntry = deferred(() => z.union([z.string().regex(/^[^=\0]+=/, 'must be KEY=VALUE'), EnvVar]));

export const ContainerName = deferred(() => z
  .string()
  .max(253)
  .regex(/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, 'must be at least 2 characters: a letter or digit, then letters, digits, _ . -')
  .transform((s) => s.replace(/^\//, '')));

export const ImageRefInput = deferred(() => z.string().min(1, 'must not be empty').max(1024).regex(/^\S+$/, 'must not contain spaces'));

export const RunOptionsShape = deferred(() => z.object({
  image: ImageRefInput,
  name: ContainerName.optional(),
  /** Replaces the image's CMD. */
  command: z.array(z.string()).max(4096).optional(),
  /** Replaces the image's ENTRYPOINT; [] clears it. */
  entrypoint: z.array(z.string()).max(4096).optional(),
  workingDir: AbsolutePath.optional(),
  user: z.string().min(1).max(256).optional(),
  env: z.array(EnvEntry).max(10000).optional(),
  /**
   * A file on the core's host with docker's env-file rules: KEY=VALUE per line, `#` comments and
   * blank lines skipped, `KEY` alone takes KEY from the core's environment (skipped when unset),
   * quotes are kept as they are (not stripped). `env` entries win over the file's.
   */
  envFile: AbsolutePath.optional(),
  ports: z.array(PortSpec).max(1000).optional(),
  mounts: z.array(MountSpec).max(1000).optional(),
  restartPolicy: RestartPolicy.optional(),
  autoRemove: z.boolean().optional(),
  limits: Limits.optional(),
  security: Security.optional(),
  /** A network name or id, or bridge/host/none. */
  network: z.string().min(1).max(256).optional(),
  hostname: z
    .string()
    .max(253)
    .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/, 'must be a valid host name')
    .optional(),
  labels: Labels.optional(),
  /** Namespaced kernel parameters (`--sysctl`), e.g. net.ipv4.ping_group_range. */
  sysctls: z.record(z.string().max(256).regex(/^[a-z0-9_]+(?:[./][a-z0-9_*-]+)+$/, 'must be a sysctl name such as net.ipv4.ping_group_range'), z.string().max(4096)).optional(),
  /** The OCI runtime, e.g. runc, crun or runsc (gVisor); one the engine has registered (`security.runtimes`). */
  runtime: z.string().max(128).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a runtime name such as runc or runsc').optional(),
  /** The image platform to run (`--platform`), e.g. linux/arm64; the engine's own when absent. */
  platform: Platform.optional(),
  tty: z.boolean().optional(),
  openStdin: z.boolean().optional(),
}));
export type RunOptionsIn = z.input<typeof RunOptionsShape>;
export type RunOptions = z.output<typeof RunOptionsShape>;
export type RunChanges = Partial<RunOptions>;

export interface OptionIssue {
  path: (string | number)[];
  message: string;
}

const bindKey = (p: PortSpec) => `${p.protocol}:${p.hostPort ?? ''}`;
const ipsOverlap = (a?: string, b?: string) => !a || !b || a === b || a === '0.0.0.0' || b === '0.0.0.0' || a === '::' || b === '::';

/** Combinations the engines would refuse or get wrong. Checked before anything touches an engine. */
export function runOptionsIssues(o: RunChanges): OptionIssue[] {
  const out: OptionIssue[] = [];
  const policy = o.restartPolicy?.name ?? 'no';
  if (o.autoRemove && policy !== 'no') {
    out.push({ path: ['autoRemove'], message: `auto-remove cannot be combined with the restart policy "${policy}" (use "no")` });
  }
  if (o.restartPolicy?.maximumRetryCount !== undefined && o.restartPolicy.maximumRetryCount > 0 && policy !== 'on-failure') {
    out.push({ path: ['restartPolicy', 'maximumRetryCount'], message: 'a maximum retry count only applies to the "on-failure" policy' });
  }
  const ports = o.ports ?? [];
  ports.forEach((p, i) => {
    for (let j = 0; j < i; j++) {
      const q = ports[j] as PortSpec;
      if (p.containerPort === q.containerPort && p.protocol === q.protocol && p.hostPort === q.hostPort && (p.hostIp ?? '') === (q.hostIp ?? '')) {
        out.push({ path: ['ports', i], message: `duplicates port ${j + 1} (${p.containerPort}/${p.protocol})` });
        break;
      }
      if (p.hostPort !== undefined && bindKey(p) === bindKey(q) && ipsOverlap(p.hostIp, q.hostIp)) {
        out.push({ path: ['ports', i, 'hostPort'], message: `host port ${p.hostPort}/${p.protocol} is already used by port ${j + 1}` });
        break;
      }
    }
  });
  const targets = new Map<string, number>();
  (o.mounts ?? []).forEach((m, i) => {
    if (m.type === 'bind' && !/^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(m.source)) {
      out.push({ path: ['mounts', i, 'source'], message: `a bind mount needs an absolute host path, not "${m.source}"` });
    }
    if (m.type === 'volume' && m.source !== '' && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(m.source)) {
      out.push({ path: ['mounts', i, 'source'], message: `"${m.source}" is not a valid volume name (letters, digits, _ . -, at least 2 characters)` });
    }
    if (m.type === 'tmpfs' && m.source !== '') out.push({ path: ['mounts', i, 'source'], message: 'a tmpfs mount has no source' });
    const prev = targets.get(m.target);
    if (prev !== undefined) out.push({ path: ['mounts', i, 'target'], message: `${m.target} is already the target of mount ${prev + 1}` });
    else targets.set(m.target, i);
  });
  if (o.network === 'host' && o.hostname !== undefined) {
    out.push({ path: ['hostname'], message: 'a host name cannot be set with the "host" network (the container uses the host\'s)' });
  }
  if ((o.network === 'host' || o.network === 'none') && ports.length > 0) {
    out.push({ path: ['ports'], message: `ports cannot be published with the "${o.network}" network` });
  }
  return out;
}

/** Settings a user should confirm: shown by the UI before a run and returned by run/recreate. */
export function runOptionsWarnings(o: RunChanges): string[] {
  const w: string[] = [];
  const s = o.security;
  if (s?.privileged) w.push('Privileged mode gives the container full access to the host (all devices and capabilities, no isolation).');
  if (s?.capAdd?.some((c) => /^(CAP_)?(ALL|SYS_ADMIN)$/i.test(c))) w.push(`Adding ${s.capAdd.filter((c) => /ALL|SYS_ADMIN/i.test(c)).join(', ')} gives the container near-root power over the host.`);
  if (s?.seccompProfile === 'unconfined') w.push('Seccomp is disabled: the container may make any system call.');
  if (s?.apparmorProfile === 'unconfined') w.push('AppArmor is disabled for the container.');
  if (o.network === 'host') w.push('The container shares the host\'s network stack.');
  w.push(...bindWarnings(o.mounts));
  return w;
}

const refineRun = (o: RunChanges, ctx: z.RefinementCtx) => {
  for (const i of runOptionsIssues(o)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
};

export const RunOptions = deferred(() => RunOptionsShape.superRefine(refineRun));
/** Edits for `containers.recreate`: every field given replaces the container's; limits and security merge key by key. */
export const RunChanges = deferred(() => RunOptionsShape.partial().superRefine(refineRun));

export const RunResult = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  /** The engine's warnings and dangerous settings, for the UI to show. */
  warnings: z.array(z.string()),
}));
export type RunResult = z.infer<typeof RunResult>;
