import { FrameDemuxer, type DemuxFragment } from './log-demux';
import { LineAssembler, type LineSink } from './log-lines';

export type { LineSink, LogLine } from './log-lines';

/** The engine wrote an error into the stream itself (a "systemerr" frame). */
export class EngineStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineStreamError';
  }
}

export interface LogDecoderOptions {
  /** The container has a TTY: one raw stream (reported as stdout), no frames. */
  tty: boolean;
  timestamps?: boolean;
  maxLineChars?: number;
}

const endsLine = (f: DemuxFragment): boolean => f.data[f.data.length - 1] === 10;

/** The payloads of fragments [from, to) as one byte array (one copy). */
function joinPieces(frags: readonly DemuxFragment[], from: number, to: number): Uint8Array {
  let size = 0;
  for (let k = from; k < to; k++) size += (frags[k] as DemuxFragment).data.length;
  const joined = new Uint8Array(size);
  let at = 0;
  for (let k = from; k < to; k++) {
    const d = (frags[k] as DemuxFragment).data;
    joined.set(d, at);
    at += d.length;
  }
  return joined;
}

/**
 * Bytes of a container log response in, lines out (to a sink: LogRunBuilder builds a batch's
 * runs): frames are demultiplexed (non-TTY) and each stream is cut into lines on its own, so a
 * partial stdout line is never glued to stderr text. Lines come out in the order their ends arrived.
 */
export class LogDecoder {
  private readonly demux: FrameDemuxer | null;
  private readonly stdout: LineAssembler;
  private readonly stderr: LineAssembler;
  private systemText = '';
  private readonly systemDecoder = new TextDecoder();
  private readonly timestamps: boolean;

  constructor(opts: LogDecoderOptions) {
    const o = { timestamps: opts.timestamps ?? false, ...(opts.maxLineChars ? { maxLineChars: opts.maxLineChars } : {}) };
    this.timestamps = o.timestamps;
    this.demux = opts.tty ? null : new FrameDemuxer();
    this.stdout = new LineAssembler('stdout', o);
    this.stderr = new LineAssembler('stderr', o);
  }

  /** Throws EngineStreamError when the engine reported an error in the stream, DemuxError on a corrupt stream. */
  push(chunk: Uint8Array, out: LineSink): void {
    if (!this.demux) {
      this.stdout.push(chunk, out);
      return;
    }
    const frags = this.demux.push(chunk);
    for (let i = 0; i < frags.length; ) {
      const f = frags[i] as DemuxFragment;
      if (f.stream === 'system') {
        this.systemText += this.systemDecoder.decode(f.data, { stream: true });
        if (this.systemText.length > 4096) this.systemText = this.systemText.slice(0, 4096);
        i++;
        continue;
      }
      const lines = f.stream === 'stderr' ? this.stderr : this.stdout;
      // The pieces of one stream in a row (dockerd writes a frame per line) are decoded and split together, one
      // decoder call per run instead of one per line. A frame's start matters only to timestamps, and there only
      // when the frame before it ended inside a line: after a newline the assembler reads a timestamp anyway.
      let j = i + 1;
      while (j < frags.length && (frags[j] as DemuxFragment).stream === f.stream && (!this.timestamps || endsLine(frags[j - 1] as DemuxFragment))) j++;
      lines.push(j === i + 1 ? f.data : joinPieces(frags, i, j), out, f.frameStart);
      i = j;
    }
    if (this.systemText && !this.demux.midFrame) this.failSystem();
  }

  /** The stream ended: the last lines without a newline. */
  end(out: LineSink): void {
    this.stdout.end(out);
    this.stderr.end(out);
    if (this.systemText) this.failSystem();
  }

  private failSystem(): never {
    const msg = this.systemText.trim();
    this.systemText = '';
    throw new EngineStreamError(msg || 'The engine reported an error in the stream.');
  }
}
