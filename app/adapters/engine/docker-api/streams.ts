import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { DockerContext } from './context';

/**
 * Long-lived engine streams (logs, stats, exec) are opened and closed here, so that each
 * one is destroyed when its consumer stops, whichever way it stops, and so that tests and
 * diagnostics can see how many are still open.
 */
let openCount = 0;

/** How many engine streams opened by logs, stats and exec are not yet closed (this process). */
export const openEngineStreams = (): number => openCount;

/** Counts `s` as open until it emits 'close'. */
export function track<S extends Readable | IncomingMessage>(s: S): S {
  openCount++;
  let closed = false;
  s.once('close', () => {
    if (!closed) openCount--;
    closed = true;
  });
  return s;
}

export interface StreamRequest {
  path: string;
  method?: 'GET' | 'POST';
  query?: Record<string, unknown>;
  /** Wording for errors: "read the logs of". */
  op: string;
  subject?: string;
}

/** The statuses of a streamed engine request: accepted (true) or named, as docker-modem names them in its error. */
export const STREAM_STATUS: Readonly<Record<number, true | string>> = { 200: true, 400: 'bad parameter', 404: 'no such object', 409: 'conflict', 500: 'server error' };

/** GETs an engine endpoint that streams its response, with the usual error mapping. */
export function openStream(ctx: DockerContext, req: StreamRequest, signal: AbortSignal): Promise<IncomingMessage> {
  return ctx.call(req.op, req.subject, () => {
    if (signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    return new Promise<IncomingMessage>((resolve, reject) => {
      ctx.docker.modem.dial(
        {
          path: `${req.path}?`,
          method: req.method ?? 'GET',
          isStream: true,
          statusCodes: STREAM_STATUS,
          options: { ...(req.query ?? {}) },
          abortSignal: signal,
        },
        (err, res) => (err ? reject(err) : resolve(track(res as IncomingMessage))),
      );
    });
  });
}

/** Destroys `s` when `signal` aborts; returns a function that stops listening. */
export function destroyOnAbort(s: { destroy(): unknown }, signal: AbortSignal): () => void {
  const onAbort = () => void s.destroy();
  if (signal.aborted) {
    s.destroy();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** An error that only says the consumer went away (not a failure to report). */
export const isAbortLike = (err: unknown, signal: AbortSignal): boolean =>
  signal.aborted || (err as { name?: string } | null)?.name === 'AbortError' || (err as { code?: string } | null)?.code === 'ABORT_ERR';
