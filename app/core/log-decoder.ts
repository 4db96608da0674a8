import { FrameDemuxer } from './log-demux';
import { LineAssembler, type LogLine } from './log-lines';

export type { LogLine } from './log-lines';

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

/**
 * Bytes of a container log response in, lines out: frames are demultiplexed (non-TTY) and
 * each stream is cut into lines on its own, so a partial stdout line is never glued to
 * stderr text. Lines come out in the order their ends arrived.
 */
export class LogDecoder {
  private readonly demux: FrameDemuxer | null;
  private readonly stdout: LineAssembler;
  private readonly stderr: LineAssembler;
  private systemText = '';
  private readonly systemDecoder = new TextDecoder();

  constructor(opts: LogDecoderOptions) {
    const o = { timestamps: opts.timestamps ?? false, ...(opts.maxLineChars ? { maxLineChars: opts.maxLineChars } : {}) };
    this.demux = opts.tty ? null : new FrameDemuxer();
    this.stdout = new LineAssembler('stdout', o);
    this.stderr = new LineAssembler('stderr', o);
  }

  /** Throws EngineStreamError when the engine reported an error in the stream, DemuxError on a corrupt stream. */
  push(chunk: Uint8Array): LogLine[] {
    const out: LogLine[] = [];
    if (!this.demux) {
      this.stdout.push(chunk, out);
      return out;
    }
    for (const f of this.demux.push(chunk)) {
      if (f.stream === 'system') {
        this.systemText += this.systemDecoder.decode(f.data, { stream: true });
        if (this.systemText.length > 4096) this.systemText = this.systemText.slice(0, 4096);
        continue;
      }
      (f.stream === 'stderr' ? this.stderr : this.stdout).push(f.data, out, f.frameStart);
    }
    if (this.systemText && !this.demux.midFrame) this.failSystem();
    return out;
  }

  /** The stream ended: the last lines without a newline. */
  end(): LogLine[] {
    const out: LogLine[] = [];
    this.stdout.end(out);
    this.stderr.end(out);
    if (this.systemText) this.failSystem();
    return out;
  }

  private failSystem(): never {
    const msg = this.systemText.trim();
    this.systemText = '';
    throw new EngineStreamError(msg || 'The engine reported an error in the stream.');
  }
}
