import http, { type IncomingMessage } from 'node:http';

/** The statuses docker-modem accepts (true) or names, per request, as dockerode declares them. */
export type Statuses = Readonly<Record<number, true | string>>;

/**
 * GET requests on a local unix socket with node's own http (as the early list asks, early-list.ts), not through the
 * Docker client, for what the core asks while it starts: dockerode takes 25-35 ms of CPU to load (issue 11: cold start),
 * and loads on the first call that needs it instead. Each gives what dockerode gives for the same request: the response
 * or its JSON on an accepted status, else the error docker-modem makes of the status (statusCode, reason, json,
 * "(HTTP code N) reason - message"), or the request's own error.
 */
function request(socketPath: string, path: string, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path, agent: false, ...(signal ? { signal } : {}) }, resolve);
    req.on('error', reject);
  });
}

/** A reply's whole body (a response of node's http, or unix-body.ts's stream). */
export function body(res: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * A whole reply (status, body, the engine's `Date` header), for the early list at process start (early-list.ts). It
 * fails after `timeoutMs` without a whole reply: a dockerd that never answers must not hold the window's first list.
 */
export async function unixGet(socketPath: string, path: string, timeoutMs: number): Promise<{ status: number; body: Buffer; date: string | undefined }> {
  const signal = AbortSignal.timeout(timeoutMs);
  const res = await request(socketPath, path, signal);
  return { status: res.statusCode ?? 0, body: await body(res), date: res.headers.date };
}

/** docker-modem's utils.parseJSON: the value, or null when the text is no JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function statusError(status: number, statuses: Statuses, cause: unknown, json: unknown): Error {
  const c = cause as { message?: unknown; error?: unknown } | string;
  const why = typeof c === 'object' && c !== null ? c.message || c.error || c : c;
  const reason = statuses[status];
  return Object.assign(new Error(`(HTTP code ${status}) ${reason || 'unexpected'} - ${String(why)} `), { reason, statusCode: status, json });
}

/** A streamed response (dockerode's `isStream`): the response itself on an accepted status. */
export async function unixStream(socketPath: string, path: string, statuses: Statuses, signal?: AbortSignal): Promise<IncomingMessage> {
  const res = await request(socketPath, path, signal);
  const status = res.statusCode ?? 0;
  if (statuses[status] === true) return res;
  const text = (await body(res)).toString();
  throw statusError(status, statuses, parseJson(text) || text, null);
}

/** A JSON reply: its value (or, as docker-modem, the bytes when they are no JSON) on an accepted status. */
export async function unixJson(socketPath: string, path: string, statuses: Statuses, signal?: AbortSignal): Promise<unknown> {
  const res = await request(socketPath, path, signal);
  const buffer = await body(res);
  const json = parseJson(buffer.toString()) || buffer;
  const status = res.statusCode ?? 0;
  if (statuses[status] === true) return json;
  throw statusError(status, statuses, json, json);
}
