import type { IncomingMessage } from 'node:http';
import { BerthError } from '../../../contract/errors';
import { JsonStreamDecoder, JsonStreamError } from '../../../core/json-stream';
import type { EngineEvent, EngineEventKind, EventStreamHandlers, EventsOps } from '../../../ports/engine/events';
import type { DockerContext } from './context';
import { unixStream, type Statuses } from './unix-get';

const KINDS: ReadonlySet<string> = new Set<EngineEventKind>(['container', 'image', 'volume', 'network', 'daemon']);

interface RawEvent {
  Type?: unknown;
  Action?: unknown;
  Actor?: { ID?: unknown; Attributes?: Record<string, unknown> | null } | null;
  time?: unknown;
  timeNano?: unknown;
}

/**
 * One Engine API event as an EngineEvent, or null for kinds Berth does not follow (plugin,
 * service, node, secret, config, builder) and for anything malformed.
 */
export function toEngineEvent(raw: unknown): EngineEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as RawEvent;
  if (typeof r.Type !== 'string' || !KINDS.has(r.Type) || typeof r.Action !== 'string') return null;
  const id = typeof r.Actor?.ID === 'string' ? r.Actor.ID : '';
  // "exec_start: sh -c …", "health_status: healthy": the verb is what comes before the colon.
  const colon = r.Action.indexOf(':');
  const action = (colon < 0 ? r.Action : r.Action.slice(0, colon)).trim();
  if (!action) return null;
  const ev: EngineEvent = { kind: r.Type as EngineEventKind, action, id, time: eventTime(r) };
  const attrs = r.Actor?.Attributes;
  if (attrs && typeof attrs === 'object') {
    const a: Record<string, string> = {};
    for (const [k, v] of Object.entries(attrs)) if (typeof v === 'string') a[k] = v;
    ev.attributes = a;
    if (a.name) ev.name = a.name;
  }
  if (ev.kind === 'volume' && !ev.name && id) ev.name = id;
  return ev;
}

function eventTime(r: RawEvent): number {
  if (typeof r.timeNano === 'number' && r.timeNano > 0) return r.timeNano / 1e6;
  if (typeof r.time === 'number' && r.time > 0) return r.time * 1000;
  return Date.now();
}

/** As dockerode's getEvents declares them. */
const EVENTS_STATUS: Statuses = { 200: true, 500: 'server error' };

/** The Engine API's `GET /events`: newline-delimited JSON, decoded as it arrives. */
export class DockerEvents implements EventsOps {
  constructor(protected readonly ctx: DockerContext) {}

  async stream(signal: AbortSignal, handlers: EventStreamHandlers): Promise<void> {
    if (signal.aborted) return;
    let res: IncomingMessage;
    try {
      const socket = this.ctx.unixSocket;
      // A local socket: without the Docker client (unix-get.ts); a socket file that is not there fails the connect
      // (ENOENT, the engine unreachable) as dockerode's would.
      res = socket !== null ? await unixStream(socket, '/events', EVENTS_STATUS, signal) : ((await this.ctx.docker.getEvents({ abortSignal: signal })) as unknown as IncomingMessage);
    } catch (err) {
      if (signal.aborted) return;
      throw this.ctx.fail(err, 'follow the engine events');
    }
    return this.follow(res, signal, handlers);
  }

  private follow(res: IncomingMessage, signal: AbortSignal, handlers: EventStreamHandlers): Promise<void> {
    const { endpoint, log } = this.ctx;
    return new Promise<void>((resolve, reject) => {
      const decoder = new JsonStreamDecoder({ maxValueChars: 1024 * 1024 });
      let failure: unknown = null;
      const onAbort = () => res.destroy();
      signal.addEventListener('abort', onAbort, { once: true });

      const deliver = (values: unknown[]) => {
        for (const v of values) {
          if (v instanceof JsonStreamError) {
            log.warn('Skipped an undecodable engine event', { error: v.message, text: v.text });
            continue;
          }
          const ev = toEngineEvent(v);
          if (!ev) continue;
          try {
            handlers.onEvent(ev);
          } catch (err) {
            log.error('An engine event handler failed', { error: err instanceof Error ? err.stack : String(err) });
          }
        }
      };
      res.on('data', (chunk: Buffer) => {
        try {
          deliver(decoder.push(chunk));
        } catch (err) {
          failure = err;
          res.destroy();
        }
      });
      res.on('error', (err) => {
        failure ??= err;
      });
      res.on('close', () => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) {
          resolve();
          return;
        }
        const why = failure === null ? 'it closed the event stream' : (failure as { code?: string }).code ?? (failure instanceof Error ? failure.message : String(failure));
        reject(
          new BerthError('ENGINE_UNREACHABLE', `Lost the connection to the container engine at ${endpoint} (${why}).`, {
            hint: 'The engine stopped or restarted; Berth reconnects on its own when it is back.',
            details: { endpoint, reason: why },
            cause: failure ?? undefined,
          }),
        );
      });
      if (signal.aborted) {
        res.destroy();
        return;
      }
      try {
        handlers.onOpen?.();
      } catch (err) {
        log.error('An engine event stream handler failed', { error: err instanceof Error ? err.stack : String(err) });
      }
    });
  }
}
