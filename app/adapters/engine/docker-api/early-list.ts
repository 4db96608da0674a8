import fs from 'node:fs';
import { unixGet } from './unix-get';

/**
 * The event check starts this much before the request was sent: an event the engine stamped a little before our clock
 * said "sent" (its clock behind ours by up to this) still counts as a change. Too early only costs a second listing.
 */
const CLOCK_MARGIN_MS = 1000;
/** The engine's clock (its reply's `Date`, whole seconds) may differ from ours by this much before the list is not trusted. */
const MAX_SKEW_MS = 2000;
/**
 * Each early request fails after this (then the core lists as usual): the window's first list waits for both, and a dockerd
 * that never answered would hold it forever. Generous: a loaded dockerd can take seconds to list 2,000 containers.
 */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The Engine API's `GET /containers/json?all=1`, sent at process start by an entry that opens a window on the
 * Containers page (Electron, `npm run web`), before the core's modules load (issue 11: cold start). Only this
 * module and node's own are loaded by then: no dockerode, no zod. The reply is kept until taken or released: the entry
 * hands it to createCore, whose FirstList lets it go when it is not used (app/services/first-list.ts, KEEP_MS).
 */
export interface EarlyDockerList {
  readonly kind: 'docker';
  /** The engine it asked, as the Docker adapter names it (`unix:///var/run/docker.sock`). */
  readonly endpoint: string;
  /** Date.now() right before the request was sent. */
  readonly sentAt: number;
  /** The reply's body (the engine's own JSON) once, or null when already taken or let go. */
  take(): Promise<EarlyReply> | null;
  /**
   * Whether the engine reports any container event from (about) when the list was asked for until now: asked after
   * the core's event stream is up, so that together with that stream every change since the listing began is seen.
   */
  containerEventsSince(): Promise<boolean>;
  /** Lets the reply go (unused, or taken elsewhere). */
  release(): void;
}

export interface EarlyReply {
  body: Buffer;
  /** The engine's clock when it answered (the reply's `Date` header), in ms; null when absent. */
  engineDate: number | null;
}

const isSocket = (p: string) => {
  try {
    return fs.statSync(p).isSocket();
  } catch {
    return false;
  }
};

/**
 * The local socket the core will use when nothing else is configured: DOCKER_HOST when it is a unix socket, else the
 * system socket when it exists. Anything else (TCP, SSH, a named pipe, no socket): null, and the core lists as usual.
 * The core uses the early list only if its active engine is this endpoint (settings may name another one).
 */
export function earlySocketPath(env: Record<string, string | undefined>, platform: NodeJS.Platform): string | null {
  // Another engine is the active one (nerdctl, for tests and development: app/adapters/engine/nerdctl/local-config.ts).
  if (platform === 'win32' || env.BERTH_NERDCTL_ACTIVE === '1') return null;
  const host = env.DOCKER_HOST?.trim();
  if (host) {
    if (host.startsWith('/')) return host;
    return host.startsWith('unix:///') ? host.slice('unix://'.length) : null;
  }
  return isSocket('/var/run/docker.sock') ? '/var/run/docker.sock' : null;
}

/** Sends the list request now; null when there is no local socket to ask (see earlySocketPath). */
export function startEarlyDockerList(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): EarlyDockerList | null {
  const socketPath = earlySocketPath(env, platform);
  if (!socketPath) return null;
  const sentAt = Date.now();
  let reply: Promise<EarlyReply> | null = unixGet(socketPath, '/containers/json?all=1', REQUEST_TIMEOUT_MS).then(({ status, body, date }) => {
    if (status !== 200) throw new Error(`The engine answered the early container list with HTTP ${status}: ${body.toString('utf8', 0, 200)}`);
    const engineDate = date ? Date.parse(date) : NaN;
    return { body, engineDate: Number.isNaN(engineDate) ? null : engineDate };
  });
  // Nobody may take it (another engine, no window): its failure is then nobody's.
  reply.catch(() => undefined);
  return {
    kind: 'docker',
    endpoint: `unix://${socketPath}`,
    sentAt,
    take() {
      const r = reply;
      reply = null;
      return r;
    },
    async containerEventsSince() {
      const since = ((sentAt - CLOCK_MARGIN_MS) / 1000).toFixed(3);
      const until = (Date.now() / 1000).toFixed(3);
      const filters = encodeURIComponent(JSON.stringify({ type: ['container'] }));
      const { status, body } = await unixGet(socketPath, `/events?since=${since}&until=${until}&filters=${filters}`, REQUEST_TIMEOUT_MS);
      if (status !== 200) throw new Error(`The engine answered the event check with HTTP ${status}: ${body.toString('utf8', 0, 200)}`);
      return body.toString('utf8').trim() !== '';
    },
    release() {
      reply = null;
    },
  };
}

/** Whether an early reply's engine clock is close enough to ours for the event check's times to mean the same moments. */
export function clockAgrees(reply: EarlyReply, now = Date.now()): boolean {
  return reply.engineDate !== null && Math.abs(reply.engineDate - now) <= MAX_SKEW_MS;
}
