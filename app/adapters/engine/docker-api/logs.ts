import querystring from 'node:querystring';
import type { Readable } from 'node:stream';
import { BerthError } from '../../../contract/errors';
import type { LogBatch, LogsSaveResult } from '../../../contract/logs';
import { batchRuns, DEFAULT_BATCH } from '../../../core/log-batcher';
import { EngineStreamError, LogDecoder } from '../../../core/log-decoder';
import { DemuxError } from '../../../core/log-demux';
import { LogRunBuilder } from '../../../core/log-runs';
import { toEngineTime } from '../../../core/log-time';
import type { LogQuery, LogSaveOptions, LogsOps } from '../../../ports/engine/logs';
import type { DockerContext } from './context';
import { saveLogLines } from './logs-save';
import { destroyOnAbort, isAbortLike, openStream, STREAM_STATUS, track } from './streams';
import { unixBodyStream } from './unix-body';

const OP = 'read the logs of';

/** The Engine API query of `GET /containers/{id}/logs`. */
export function logsQuery(q: LogQuery): Record<string, string> {
  const out: Record<string, string> = {
    stdout: '1',
    stderr: '1',
    follow: q.follow ? '1' : '0',
    timestamps: q.timestamps ? '1' : '0',
    tail: q.tail === undefined || q.tail === 'all' ? 'all' : String(q.tail),
  };
  for (const key of ['since', 'until'] as const) {
    const v = q[key];
    if (v === undefined) continue;
    const t = toEngineTime(v);
    if (t === null) throw new BerthError('INVALID_INPUT', `"${String(v)}" is not a time for ${key}: use an ISO 8601 date-time or Unix seconds.`);
    out[key] = t;
  }
  return out;
}

export class DockerLogs implements LogsOps {
  constructor(protected readonly ctx: DockerContext) {}

  async *stream(id: string, query: LogQuery, signal: AbortSignal): AsyncGenerator<LogBatch, void, undefined> {
    // Counting characters (plus a little per line) bounds a batch's size on the wire too.
    for await (const runs of batchRuns(this.lines(id, query, signal), DEFAULT_BATCH)) yield { runs };
  }

  async save(id: string, opts: LogSaveOptions, signal: AbortSignal): Promise<LogsSaveResult> {
    const { path, overwrite, ...query } = opts;
    logsQuery(query); // Bad times fail before any file is touched.
    return saveLogLines(this.stream(id, { ...query, follow: false }, signal), { path, overwrite: overwrite ?? false, timestamps: query.timestamps ?? false }, signal);
  }

  /**
   * The engine's log stream. On a local unix socket its chunk framing is taken apart by unix-body.ts, not node's http
   * (dockerd sends one HTTP chunk per log line: a parser callback, a Buffer and a stream push each); the request, the
   * statuses and the errors are those of the Docker client's path, which TCP, SSH, TLS and npipe engines keep.
   */
  private open(id: string, q: Record<string, string>, signal: AbortSignal): Promise<Readable> {
    const path = `/containers/${encodeURIComponent(id)}/logs`;
    const socket = this.ctx.unixSocket;
    if (socket === null) return openStream(this.ctx, { path, query: q, op: OP, subject: id }, signal);
    return this.ctx.call(OP, id, async () => track(await unixBodyStream(socket, `${path}?${querystring.stringify(q)}`, STREAM_STATUS, signal)));
  }

  /** The lines found in each chunk of the engine's response, as they arrive (in runs). */
  private async *lines(id: string, query: LogQuery, signal: AbortSignal): AsyncGenerator<LogRunBuilder, void, undefined> {
    const q = logsQuery(query);
    if (signal.aborted) return;
    // The container's TTY setting (how to read the stream) and the stream itself are asked for at once: one round
    // trip to the engine before the first line, not two. The inspect's failure (no such container) is the one reported.
    const opening = this.open(id, q, signal);
    opening.catch(() => undefined); // Awaited below once the inspect is answered; a failure before then is not unhandled.
    let tty: boolean;
    try {
      const info = await this.ctx.call(OP, id, () => this.ctx.docker.getContainer(id).inspect({ abortSignal: signal } as object));
      tty = info.Config?.Tty === true;
    } catch (err) {
      void opening.then((r) => r.destroy(), () => undefined);
      if (signal.aborted) return;
      throw err;
    }
    let res: Readable;
    try {
      res = await opening;
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const stop = destroyOnAbort(res, signal);
    const decoder = new LogDecoder({ tty, timestamps: query.timestamps ?? false });
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        const out = new LogRunBuilder();
        decoder.push(chunk, out);
        if (!out.empty) yield out;
      }
      if (signal.aborted) return;
      const rest = new LogRunBuilder();
      decoder.end(rest);
      if (!rest.empty) yield rest;
    } catch (err) {
      if (isAbortLike(err, signal)) return;
      if (err instanceof EngineStreamError) throw new BerthError('COMMAND_FAILED', `The engine failed while sending the logs of "${id}": ${err.message}`);
      if (err instanceof DemuxError) throw new BerthError('INTERNAL', `The logs of "${id}" could not be read: ${err.message}`);
      throw this.ctx.fail(err, OP, id);
    } finally {
      stop();
      res.destroy();
    }
  }
}
