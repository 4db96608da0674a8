import { BerthError, type ErrorCode } from '../../../contract/errors';

/** What we know about the operation that failed, to word the error. */
export interface DockerErrorContext {
  endpoint: string;
  /** e.g. "start container", "pull image". */
  op: string;
  /** The container, image, volume or network concerned. */
  subject?: string;
}

interface RawDockerError {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

/** The engine's own message, without dockerode's "(HTTP code 404) ..." wrapper. */
export function engineMessage(err: unknown): string {
  const e = (err ?? {}) as RawDockerError;
  if (e.json && typeof e.json.message === 'string') return e.json.message;
  const msg = typeof e.message === 'string' ? e.message : String(err);
  const m = /^\(HTTP code \d+\) [^-]*- (.*)$/s.exec(msg);
  return (m?.[1] ?? msg).trim();
}

interface Rule {
  test: RegExp;
  code: ErrorCode;
  message: (m: string, c: DockerErrorContext, match: RegExpExecArray) => string;
  hint?: (m: string, c: DockerErrorContext, match: RegExpExecArray) => string;
  details?: (match: RegExpExecArray) => Record<string, unknown>;
}

const subject = (c: DockerErrorContext) => (c.subject ? ` "${c.subject}"` : '');

// Order matters: the first rule whose pattern matches the engine's message wins.
const RULES: Rule[] = [
  {
    test: /no space left on device/i,
    code: 'DISK_FULL',
    message: (_m, c) => `Could not ${c.op}${subject(c)}: the engine's disk is full.`,
    hint: () => 'Free space: prune unused images, containers and volumes, or give the VM a larger disk.',
  },
  {
    test: /(?:Bind for [^\s]*?:(\d+) failed: port is already allocated|listen tcp[46]? [^\s]*?:(\d+): bind: address already in use|port is already allocated)/i,
    code: 'PORT_ALLOCATED',
    message: (_m, c, x) => `Could not ${c.op}${subject(c)}: host port ${x[1] ?? x[2] ?? ''} is already in use.`.replace(' port  is', ' port is'),
    hint: () => 'Pick another host port, or leave the host port empty to get a free one.',
    details: (x) => (x[1] ?? x[2] ? { port: Number(x[1] ?? x[2]) } : {}),
  },
  {
    // Podman: `name a1 already in use, cannot rename container` and `network name n1 already used`.
    test: /(?:The container name "\/?([^"]+)" is already in use|name "?([^" ]+)"? is already in use|network with name (\S+) already exists|name (\S+) already in use|network name (\S+) already used)/i,
    code: 'NAME_IN_USE',
    message: (_m, c, x) => `The name "${x[1] ?? x[2] ?? x[3] ?? x[4] ?? x[5] ?? c.subject ?? ''}" is already in use.`,
    hint: () => 'Choose another name, or remove the object that has it.',
  },
  {
    test: /volume is in use|remove .*: volume is in use|volume is being used/i,
    code: 'VOLUME_IN_USE',
    message: (_m, c) => `The volume${subject(c)} is used by a container.`,
    hint: () => 'Remove the containers that use it first (they are listed in its details).',
  },
  {
    test: /(?:cannot remove a running container|You cannot remove a (?:running|paused) container|stop the container before removing|running or paused containers cannot be removed)/i,
    code: 'CONTAINER_RUNNING',
    message: (_m, c) => `The container${subject(c)} is running.`,
    hint: () => 'Stop it first, or remove it with force.',
  },
  {
    // Podman: dockerd answers 409 "Container … is not running"; Podman 4.3 a 500 with this text.
    test: /can only create exec sessions on running containers/i,
    code: 'CONFLICT',
    message: (_m, c) => `Could not ${c.op}${subject(c)}: the container is not running.`,
    hint: () => 'Start the container first.',
  },
  {
    test: /(?:pull access denied|denied: requested access|insufficient_scope)/i,
    code: 'PULL_DENIED',
    message: (_m, c) => `The registry refused access${subject(c)}: the repository does not exist or needs you to log in.`,
    hint: () => 'Check the name, and log in to the registry if the image is private.',
  },
  {
    test: /(?:unauthorized|authentication required|no basic auth credentials|401 Unauthorized)/i,
    code: 'AUTH_REQUIRED',
    message: (_m, c) => `The registry asked for credentials to ${c.op}${subject(c)}.`,
    hint: () => 'Log in to the registry (Berth reads your Docker credentials and credential helpers).',
  },
  {
    test: /(?:invalid reference format|invalid tag format|repository name must be lowercase|invalid repository name)/i,
    code: 'INVALID_REFERENCE',
    message: (m, c) => `${c.subject ? `"${c.subject}"` : 'That'} is not a valid image reference (${m}).`,
    hint: () => 'An image reference looks like name[:tag], registry.example.com/team/name:1.2 or name@sha256:…',
  },
  {
    test: /(?:No such image|image .* not found|reference does not exist|manifest unknown|not found: manifest|image not known)/i,
    code: 'IMAGE_NOT_FOUND',
    message: (_m, c) => `The image${subject(c)} was not found.`,
    hint: () => 'Pull it first, or check the name and tag.',
  },
  {
    test: /(?:No such container|No such volume|no such volume|network [^\s]+ not found|No such network|no such exec|get [^\s]+: no such volume|unable to find network with name or ID)/i,
    code: 'NOT_FOUND',
    message: (m, c) => `${c.subject ? `"${c.subject}"` : 'It'} does not exist (${m}).`,
    hint: () => 'It may have been removed; refresh the list.',
  },
];

/** Maps any dockerode failure to a BerthError a user can act on. */
export function mapDockerError(err: unknown, ctx: DockerErrorContext): BerthError {
  if (err instanceof BerthError) return err;
  const e = (err ?? {}) as RawDockerError;
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'EPIPE' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH') {
    return new BerthError('ENGINE_UNREACHABLE', `The container engine at ${ctx.endpoint} is not reachable (${e.code}).`, {
      hint: 'Start the engine, or switch to another one in Preferences (or add one there by its address).',
      details: { endpoint: ctx.endpoint, errno: e.code },
      cause: err,
    });
  }
  if (e.code === 'EACCES' || e.code === 'EPERM') {
    return new BerthError('PERMISSION_DENIED', `Permission denied on the engine socket ${ctx.endpoint}.`, {
      hint: 'Add your user to the group that owns the socket (often "docker") and log in again, or use a rootless engine.',
      details: { endpoint: ctx.endpoint, errno: e.code },
      cause: err,
    });
  }
  if (e.code === 'ABORT_ERR' || (err as Error | undefined)?.name === 'AbortError') {
    return new BerthError('CANCELLED', `Cancelled: ${ctx.op}${subject(ctx)}.`, { cause: err });
  }
  const m = engineMessage(err);
  for (const rule of RULES) {
    const x = rule.test.exec(m);
    if (!x) continue;
    const opts: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = { cause: err, details: { engineMessage: m, ...rule.details?.(x) } };
    if (rule.hint) opts.hint = rule.hint(m, ctx, x);
    return new BerthError(rule.code, rule.message(m, ctx, x), opts);
  }
  if (e.statusCode === 404) {
    return new BerthError('NOT_FOUND', `${ctx.subject ? `"${ctx.subject}"` : 'It'} does not exist (${m}).`, { cause: err, details: { engineMessage: m } });
  }
  if (e.statusCode === 409) return new BerthError('CONFLICT', `Could not ${ctx.op}${subject(ctx)}: ${m}`, { cause: err, details: { engineMessage: m } });
  if (e.statusCode === 400) return new BerthError('INVALID_INPUT', `Could not ${ctx.op}${subject(ctx)}: ${m}`, { cause: err, details: { engineMessage: m } });
  return new BerthError('COMMAND_FAILED', `Could not ${ctx.op}${subject(ctx)}: ${m}`, {
    cause: err,
    details: { engineMessage: m, ...(e.statusCode ? { status: e.statusCode } : {}) },
  });
}
