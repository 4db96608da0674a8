import net from 'node:net';
import { Readable } from 'node:stream';
import { body as readBody, parseJson, statusError, type Statuses } from './unix-get';

/**
 * A streamed GET on a local unix socket whose body framing is taken apart here, for the container logs (issue 11).
 *
 * dockerd flushes one HTTP chunk per log frame, so node's http client runs its parser callback, a Buffer and a stream
 * push per log line (200,000 for the bench's 200,000 lines, the same cost the raw client pays). Here the socket's
 * reads are taken as they come: the chunk framing is cut out of each read in place (one copyWithin per chunk, no
 * object per chunk) and the body goes on as one piece per read. The request stays HTTP/1.1, so the end of the body is
 * the engine's last chunk, not the connection's close: a reply cut midway still fails, as it fails through node's
 * http ('aborted', ECONNRESET), and is never taken for the end of the logs.
 *
 * Same results as docker-modem's streamed request: the body on an accepted status; else the error docker-modem makes
 * of the status and the body (unix-get.ts's statusError); a connection that fails gives the socket's own error
 * (ENOENT, ECONNREFUSED), one closed before a whole head "socket hang up" (ECONNRESET), as node's http does.
 * Destroying the body closes the socket.
 */

const MAX_HEAD = 80 * 1024;
const CR = 13;
const LF = 10;

const hangUp = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const aborted = () => Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
const badReply = (why: string) => Object.assign(new Error(`Parse Error: ${why}`), { code: 'HPE_INVALID_RESPONSE' });
const abortError = () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });

interface Head {
  status: number;
  chunked: boolean;
  /** Content-Length, or -1 when the body runs until the connection closes. */
  length: number;
}

function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!m) throw badReply('bad status line');
  let chunked = false;
  let length = -1;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) throw badReply('bad header');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'transfer-encoding') chunked = /(^|,)\s*chunked\s*$/i.test(value);
    else if (name === 'content-length') {
      if (!/^\d+$/.test(value)) throw badReply('bad Content-Length');
      length = Number(value);
    }
  }
  const status = Number(m[1]);
  // No body for these, whatever the headers say (RFC 9112 6.3).
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return { status, chunked: false, length: 0 };
  return { status, chunked, length: chunked ? -1 : length };
}

/**
 * Takes an HTTP/1.1 chunked body apart, read by read. `take` cuts the framing out of a read in place (the read is the
 * socket's own fresh buffer) and returns the body bytes it held, as one view; `done` once the last chunk and the
 * trailers are read.
 */
export class ChunkedBody {
  private state: 'size' | 'ext' | 'sizeLf' | 'data' | 'dataCr' | 'dataLf' | 'trailer' | 'trailerLf' | 'done' = 'size';
  private size = 0;
  private digits = 0;
  private left = 0;
  private trailerLen = 0;

  get done(): boolean {
    return this.state === 'done';
  }

  take(buf: Buffer): Buffer {
    let w = 0;
    let i = 0;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case 'data': {
          const k = Math.min(this.left, n - i);
          if (w !== i) buf.copyWithin(w, i, i + k);
          w += k;
          i += k;
          this.left -= k;
          if (this.left === 0) this.state = 'dataCr';
          break;
        }
        case 'size': {
          const c = buf[i++] as number;
          const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
          if (d >= 0) {
            if (++this.digits > 8) throw badReply('chunk size too large');
            this.size = this.size * 16 + d;
          } else if (this.digits === 0) throw badReply('bad chunk size');
          else if (c === CR) this.state = 'sizeLf';
          else if (c === 59 /* ; */ || c === 32 || c === 9) this.state = 'ext';
          else throw badReply('bad chunk size');
          break;
        }
        case 'ext': {
          const c = buf[i++] as number;
          if (c === CR) this.state = 'sizeLf';
          break;
        }
        case 'sizeLf': {
          if (buf[i++] !== LF) throw badReply('bad chunk size line');
          this.left = this.size;
          this.state = this.size === 0 ? 'trailer' : 'data';
          this.size = 0;
          this.digits = 0;
          this.trailerLen = 0;
          break;
        }
        case 'dataCr':
          if (buf[i++] !== CR) throw badReply('no CRLF after a chunk');
          this.state = 'dataLf';
          break;
        case 'dataLf':
          if (buf[i++] !== LF) throw badReply('no CRLF after a chunk');
          this.state = 'size';
          break;
        case 'trailer': {
          // Trailer lines up to an empty one.
          const c = buf[i++] as number;
          if (c === CR) this.state = 'trailerLf';
          else if (++this.trailerLen > MAX_HEAD) throw badReply('trailer too large');
          break;
        }
        case 'trailerLf': {
          if (buf[i++] !== LF) throw badReply('bad trailer');
          if (this.trailerLen === 0) {
            this.state = 'done';
            return buf.subarray(0, w);
          }
          this.trailerLen = 0;
          this.state = 'trailer';
          break;
        }
        case 'done':
          return buf.subarray(0, w);
      }
    }
    return buf.subarray(0, w);
  }
}

/** The body of a reply as it is read off the socket: push-based, paused with the socket when the reader lags. */
class Body extends Readable {
  private readonly chunked: ChunkedBody | null;
  private left: number;
  private ended = false;

  constructor(
    private readonly socket: net.Socket,
    head: Head,
  ) {
    super();
    this.chunked = head.chunked ? new ChunkedBody() : null;
    this.left = head.length;
    socket.on('data', (c: Buffer) => this.feed(c));
    socket.on('end', () => this.finish());
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.finish());
    // A failure before anyone reads is kept (the stream is errored) and given to the reader when it starts, as
    // node's http does with a response; it must not end the process.
    this.on('error', () => undefined);
  }

  /** Bytes after the head, and every read after that. */
  feed(c: Buffer): void {
    if (this.ended || this.destroyed) return;
    let piece: Buffer;
    let complete = false;
    try {
      if (this.chunked) {
        piece = this.chunked.take(c);
        complete = this.chunked.done;
      } else if (this.left >= 0) {
        piece = c.length > this.left ? c.subarray(0, this.left) : c;
        this.left -= piece.length;
        complete = this.left === 0;
      } else piece = c;
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    if (piece.length > 0 && !this.push(piece)) this.socket.pause();
    if (complete) this.endBody();
  }

  private endBody(): void {
    this.ended = true;
    this.push(null);
    // The engine's connection is not used again (no keep-alive here).
    this.socket.destroy();
  }

  /** The connection ended: the whole body when it runs until the close, else a cut reply. */
  private finish(): void {
    if (this.ended || this.destroyed) return;
    if (this.chunked === null && this.left < 0) this.endBody();
    else this.destroy(aborted());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
}

/** Sends `GET path` on the socket and resolves with the reply's head and its body stream. */
function get(socketPath: string, path: string, signal: AbortSignal | undefined): Promise<{ head: Head; body: Body }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const socket = net.connect(socketPath);
    let pending: Buffer | null = null;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onAbort = () => fail(abortError());
    const onError = (err: Error) => fail(err);
    const onEnd = () => fail(hangUp());
    const onData = (c: Buffer) => {
      const buf: Buffer = pending ? Buffer.concat([pending, c]) : c;
      const at = buf.indexOf('\r\n\r\n', pending ? Math.max(0, pending.length - 3) : 0, 'latin1');
      if (at < 0) {
        if (buf.length > MAX_HEAD) fail(badReply('head too large'));
        else pending = buf;
        return;
      }
      let head: Head;
      try {
        head = parseHead(buf.toString('latin1', 0, at));
      } catch (err) {
        fail(err as Error);
        return;
      }
      settled = true;
      cleanup();
      const body = new Body(socket, head);
      if (signal) {
        signal.addEventListener('abort', () => body.destroy(abortError()), { once: true });
      }
      resolve({ head, body });
      const rest = buf.subarray(at + 4);
      if (rest.length > 0 || head.length === 0) body.feed(rest);
    };
    const cleanup = () => {
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('data', onData);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('data', onData);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  });
}

/**
 * `GET path` on a local unix socket, streamed (docker-modem's `isStream`): the body on an accepted status (destroy it to
 * close the connection), else the error docker-modem makes of the status.
 */
export async function unixBodyStream(socketPath: string, path: string, statuses: Statuses, signal?: AbortSignal): Promise<Readable> {
  const { head, body } = await get(socketPath, path, signal);
  if (statuses[head.status] === true) return body;
  const text = (await readBody(body)).toString();
  throw statusError(head.status, statuses, parseJson(text) || text, null);
}
