import type * as Http2 from 'node:http2';
import net from 'node:net';

/**
 * A small gRPC client over node's http2 (h2c on a unix socket) for containerd's API: unary and server-streaming calls,
 * messages handed out as they are cut out of the DATA chunks (a view of the chunk, no copy, for a message inside one),
 * the status read from the trailers (or from the headers of a Trailers-Only reply). It replaces @grpc/grpc-js on the
 * nerdctl list's path (issue 11: cold start): loading grpc-js took ~70 ms of CPU in a fresh process, ~105 ms in a cold
 * core, and its per-message path (call, decoder, interceptors, object-mode stream) ~60 ms more for 2,000 records.
 *
 * Only what containerd needs: no compression (a compressed message is an error, and none is asked for), no deadlines,
 * no TLS, one connection reused for every call and made again once it closes or the server sends GOAWAY.
 */

/** node:http2, loaded on the first call (~6 ms of CPU at start otherwise, for every engine, Docker's too). */
let http2Module: Promise<typeof Http2> | undefined;
const loadHttp2 = () => (http2Module ??= import('node:http2'));

/** HTTP/2's error codes (RFC 9113, section 7) used here. */
const H2 = { REFUSED_STREAM: 7, CANCEL: 8, ENHANCE_YOUR_CALM: 11, INADEQUATE_SECURITY: 12 } as const;

/** gRPC status codes (grpc/status.h) used here. */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** A call's failure: its gRPC status code and message (grpc-message, or what went wrong on this side). */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${code} ${details}`);
    this.name = 'GrpcError';
  }
}

/** The largest message taken (as grpc-js's default receive limit). */
const MAX_MESSAGE = 4 << 20;
/**
 * Flow-control windows: a list of 2,000 containers is one 38.6 MB stream. With http2's default 64 KiB the server waits for
 * a WINDOW_UPDATE every 64 KiB. Measured in a fresh process (bundled, ListStream of 2,000 records, bytes only, 5 runs
 * each interleaved): CPU median 138 ms with 64 KiB, 113 ms with 1 MiB (session 2 MiB), 115 with 4 MiB, 114 with 16 MiB;
 * a larger window only lets more unread bytes wait in memory (the records are decoded slower than containerd sends them).
 */
const STREAM_WINDOW = 1 << 20;
const SESSION_WINDOW = 2 << 20;
const EMPTY = Buffer.alloc(0);
/** See GrpcClient's settingsTimeoutMs. */
const SETTINGS_TIMEOUT_MS = 10_000;

/** A Trailers-Only reply's or the trailers' status. */
interface CallStatus {
  code: number;
  details: string;
}

/** The HTTP status of a reply that is not gRPC's 200, as gRPC's spec maps it (doc/http-grpc-status-mapping.md). */
function httpStatusCode(status: number): number {
  switch (status) {
    case 400:
      return Status.INTERNAL;
    case 401:
      return Status.UNAUTHENTICATED;
    case 403:
      return Status.PERMISSION_DENIED;
    case 404:
      return Status.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return Status.UNAVAILABLE;
    default:
      return Status.UNKNOWN;
  }
}

/** grpc-message is percent-encoded (bytes outside 0x20-0x7e, and '%'); a malformed one is given as it came. */
function decodeMessage(v: string): string {
  if (!v.includes('%')) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** The status in a header block (trailers, or the headers of a Trailers-Only reply), undefined without grpc-status. */
function statusOf(h: Http2.IncomingHttpHeaders): CallStatus | undefined {
  const raw = h['grpc-status'];
  if (raw === undefined) return undefined;
  const code = Number(Array.isArray(raw) ? raw[0] : raw);
  const msg = h['grpc-message'];
  const details = decodeMessage(typeof msg === 'string' ? msg : '');
  if (!Number.isInteger(code) || code < 0) return { code: Status.UNKNOWN, details: `invalid grpc-status ${JSON.stringify(raw)}${details ? `: ${details}` : ''}` };
  return { code, details };
}

/** A stream reset by the server (RST_STREAM), as grpc-js maps its codes. */
function rstCode(code: number): number {
  if (code === H2.REFUSED_STREAM) return Status.UNAVAILABLE;
  if (code === H2.CANCEL) return Status.CANCELLED;
  if (code === H2.ENHANCE_YOUR_CALM) return Status.RESOURCE_EXHAUSTED;
  if (code === H2.INADEQUATE_SECURITY) return Status.PERMISSION_DENIED;
  return Status.INTERNAL;
}

/**
 * Cuts gRPC's length-prefixed messages (1 flag byte, 4 bytes of big-endian length) out of DATA chunks as they come. A
 * message inside one chunk is handed out as a view of it; one split over chunks is joined once whole. Throws a GrpcError
 * for a compressed (or otherwise flagged) message or one over the limit.
 */
export class MessageFramer {
  private readonly head = Buffer.alloc(5);
  private headFill = 0;
  /** The length of the message being read, -1 while its prefix is. */
  private need = -1;
  private readonly parts: Buffer[] = [];
  private got = 0;

  constructor(
    private readonly each: (message: Buffer) => void,
    private readonly max = MAX_MESSAGE,
  ) {}

  /** Whether a message (or its prefix) was begun and not finished. */
  get partial(): boolean {
    return this.headFill > 0 || this.need >= 0;
  }

  push(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.need < 0) {
        let flag: number;
        if (this.headFill === 0 && n - i >= 5) {
          flag = chunk[i] as number;
          this.need = chunk.readUInt32BE(i + 1);
          i += 5;
        } else {
          const take = Math.min(5 - this.headFill, n - i);
          chunk.copy(this.head, this.headFill, i, i + take);
          this.headFill += take;
          i += take;
          if (this.headFill < 5) return;
          this.headFill = 0;
          flag = this.head[0] as number;
          this.need = this.head.readUInt32BE(1);
        }
        if (flag !== 0) throw new GrpcError(Status.INTERNAL, flag === 1 ? 'received a compressed message, none was asked for' : `invalid message flag ${flag}`);
        if (this.need > this.max) throw new GrpcError(Status.RESOURCE_EXHAUSTED, `received a message of ${this.need} bytes, more than the limit (${this.max})`);
        if (this.need === 0) {
          this.need = -1;
          this.each(EMPTY);
          continue;
        }
      }
      const need = this.need;
      if (this.got === 0 && n - i >= need) {
        this.need = -1;
        i += need;
        this.each(chunk.subarray(i - need, i));
        continue;
      }
      const take = Math.min(need - this.got, n - i);
      this.parts.push(chunk.subarray(i, i + take));
      this.got += take;
      i += take;
      if (this.got === need) {
        const whole = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, need);
        this.parts.length = 0;
        this.got = 0;
        this.need = -1;
        this.each(whole);
      }
    }
  }
}

/** One request message with its 5-byte prefix. */
function frame(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = 0;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
}

export class GrpcClient {
  private session: Http2.ClientHttp2Session | undefined;
  /** Calls in progress per session: only a session with one keeps the process alive. */
  private readonly active = new WeakMap<Http2.ClientHttp2Session, number>();
  private closed = false;

  constructor(
    /** The server's unix socket path. */
    readonly socketPath: string,
    /**
     * How long a new connection may go without the server's HTTP/2 settings: a socket that accepts and says nothing (not
     * containerd, or one that hangs) fails the calls on it as UNAVAILABLE instead of holding them forever. grpc-js gave up
     * on such a connection after its 20 s connect timeout.
     */
    private readonly settingsTimeoutMs = SETTINGS_TIMEOUT_MS,
  ) {}

  /** The session calls go on: the open one, or a new one once it closed or got GOAWAY. */
  private open(http2: typeof Http2): Http2.ClientHttp2Session {
    const have = this.session;
    if (have && !have.closed && !have.destroyed) return have;
    const s = http2.connect('http://localhost', {
      createConnection: () => net.connect(this.socketPath),
      settings: { initialWindowSize: STREAM_WINDOW, enablePush: false },
    });
    const drop = () => {
      if (this.session === s) this.session = undefined;
    };
    // A connection's failure reaches each call on it as its stream's error; the session is then let go.
    s.on('error', drop);
    s.on('goaway', drop);
    s.on('close', drop);
    s.once('connect', () => {
      if (!s.destroyed) s.setLocalWindowSize(SESSION_WINDOW);
    });
    const silent = setTimeout(() => s.destroy(new Error(`the server sent no HTTP/2 settings within ${this.settingsTimeoutMs} ms`)), this.settingsTimeoutMs);
    silent.unref();
    s.once('remoteSettings', () => clearTimeout(silent));
    s.once('close', () => clearTimeout(silent));
    // Only a call in progress keeps the process alive.
    s.unref();
    this.session = s;
    return s;
  }

  /**
   * A call whose reply messages are handed to `each` as they arrive; settles once the status came (OK: resolved). An error
   * thrown by `each` cancels the call and rejects it with that error. Fails with a GrpcError: the status, the connection's
   * failure (UNAVAILABLE), a reply that is not gRPC or ends without a status; CANCELLED once `signal` aborts. A call in
   * progress keeps the process alive, but a `weak` one (a subscription that lasts as long as its user keeps it).
   */
  async call(path: string, request: Buffer, metadata: Record<string, string>, each: (message: Buffer) => void, signal?: AbortSignal, weak = false): Promise<void> {
    const http2 = await loadHttp2();
    if (this.closed) throw new GrpcError(Status.CANCELLED, 'the client was closed');
    if (signal?.aborted) throw new GrpcError(Status.CANCELLED, 'cancelled before it began');
    let session: Http2.ClientHttp2Session;
    let req: Http2.ClientHttp2Stream;
    try {
      session = this.open(http2);
      req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', 'grpc-accept-encoding': 'identity', 'user-agent': 'berth', ...metadata });
    } catch (err) {
      throw new GrpcError(Status.UNAVAILABLE, (err as Error).message);
    }
    const active = this.active.get(session) ?? 0;
    if (!weak) this.active.set(session, active + 1);
    if (active === 0 && !weak) session.ref();
    return new Promise<void>((resolve, reject) => {
      let status: CallStatus | undefined;
      /** What failed on this side (a message, the callback), or the stream's error: settles the call at 'close'. */
      let failed: unknown;
      let streamError: Error | undefined;
      const fail = (err: unknown) => {
        if (failed !== undefined) return;
        failed = err;
        if (!req.destroyed) req.close(H2.CANCEL);
      };
      const framer = new MessageFramer((m) => {
        if (failed === undefined) each(m);
      });
      const abort = () => fail(new GrpcError(Status.CANCELLED, 'cancelled'));
      signal?.addEventListener('abort', abort, { once: true });

      req.on('response', (headers) => {
        const http = headers[':status'];
        if (http !== 200) return fail(new GrpcError(httpStatusCode(Number(http)), `the server replied with HTTP status ${String(http)}, not 200`));
        const type = headers['content-type'];
        if (typeof type !== 'string' || !/^application\/grpc(?:[+;]|$)/.test(type)) return fail(new GrpcError(Status.UNKNOWN, `the server replied with content-type ${JSON.stringify(type ?? '')}, not gRPC`));
        // Trailers-Only: the status is in the headers, and no message follows.
        status = statusOf(headers);
      });
      req.on('data', (chunk: Buffer) => {
        if (failed !== undefined) return;
        try {
          framer.push(chunk);
        } catch (err) {
          fail(err);
        }
      });
      req.on('trailers', (trailers) => {
        status = statusOf(trailers) ?? { code: Status.UNKNOWN, details: 'the reply\'s trailers have no grpc-status' };
      });
      req.on('error', (err) => {
        streamError ??= err;
      });
      req.on('close', () => {
        signal?.removeEventListener('abort', abort);
        if (!weak) {
          const left = (this.active.get(session) ?? 1) - 1;
          this.active.set(session, left);
          if (left === 0 && !session.destroyed) session.unref();
        }
        if (failed !== undefined) return reject(failed);
        // Ended by close() (its user is going away): cancelled, not a connection that failed (which would make the caller
        // turn to another way of asking, e.g. nerdctl, for an engine being disposed).
        if (this.closed && !status) return reject(new GrpcError(Status.CANCELLED, 'the client was closed'));
        if (status) {
          if (status.code !== Status.OK) return reject(new GrpcError(status.code, status.details));
          if (framer.partial) return reject(new GrpcError(Status.INTERNAL, 'the reply ended inside a message'));
          return resolve();
        }
        // The connection could not be made (node cancels the stream, with the cause), or closed before the reply ended
        // (or never spoke http2): node resets the session's streams itself.
        if (streamError?.cause instanceof Error) return reject(connectionError(streamError));
        if (session.destroyed) return reject(new GrpcError(Status.UNAVAILABLE, `the connection closed before the reply ended${streamError ? ` (${streamError.message})` : ''}`));
        if (req.rstCode) return reject(new GrpcError(rstCode(req.rstCode), `the stream was reset by the server (RST_STREAM code ${req.rstCode})`));
        if (streamError) return reject(connectionError(streamError));
        reject(new GrpcError(Status.UNKNOWN, 'the reply ended without a status'));
      });
      req.end(frame(request));
    });
  }

  /** A unary call: its one reply message. */
  async unary(path: string, request: Buffer, metadata: Record<string, string>, signal?: AbortSignal): Promise<Buffer> {
    let reply: Buffer | undefined;
    let count = 0;
    await this.call(
      path,
      request,
      metadata,
      (m) => {
        if (++count > 1) throw new GrpcError(Status.UNIMPLEMENTED, 'more than one reply message to a unary call');
        reply = m;
      },
      signal,
    );
    if (reply === undefined) throw new GrpcError(Status.UNIMPLEMENTED, 'no reply message to a unary call');
    return reply;
  }

  /** Closes the connection: calls in progress, and calls after this, fail as CANCELLED. */
  close(): void {
    this.closed = true;
    this.session?.destroy();
    this.session = undefined;
  }
}

/** A stream's error (the connection could not be made or broke, a protocol error) as a gRPC status, as grpc-js gives it. */
function connectionError(err: Error): GrpcError {
  // A stream of a connection that failed (ENOENT, ECONNREFUSED, EACCES) is cancelled by node, with the cause.
  const cause = err.cause instanceof Error ? err.cause : undefined;
  if (cause) return new GrpcError(Status.UNAVAILABLE, `no connection: ${cause.message}`);
  const code = (err as NodeJS.ErrnoException).code ?? '';
  // An http2 protocol error on this stream or session: INTERNAL; any other (the socket's): UNAVAILABLE.
  if (code.startsWith('ERR_HTTP2_')) return new GrpcError(Status.INTERNAL, err.message);
  return new GrpcError(Status.UNAVAILABLE, `no connection: ${err.message}`);
}
