/**
 * The Docker Engine API multiplexes stdout and stderr of non-TTY containers and execs
 * into one byte stream of frames: an 8-byte header `[type, 0, 0, 0, size(4, big endian)]`
 * followed by `size` bytes of payload. Type 0 is stdin (written to stdout), 1 stdout,
 * 2 stderr, 3 an error from the engine itself ("systemerr").
 *
 * Frames arrive cut anywhere by the transport: a header can be split across chunks and a
 * payload across many. This demuxer never copies payload bytes and never waits for a whole
 * frame: it hands out each piece of payload as soon as it has it, flagged when it begins a
 * new frame (a frame is one log message for `logs`).
 */

export type DemuxStream = 'stdout' | 'stderr' | 'system';

export interface DemuxFragment {
  stream: DemuxStream;
  data: Uint8Array;
  /** True for the first piece of a frame. */
  frameStart: boolean;
}

export class DemuxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemuxError';
  }
}

const HEADER = 8;

export class FrameDemuxer {
  private readonly header = new Uint8Array(HEADER);
  private headerLen = 0;
  private remaining = 0;
  private stream: DemuxStream = 'stdout';
  private started = false;

  /**
   * Splits one chunk into payload fragments, in order. Throws DemuxError on a corrupt header. The fragments are plain
   * Uint8Array views of the chunk (a Node Buffer's subarray builds a Buffer, several times slower, once per frame).
   */
  push(input: Uint8Array): DemuxFragment[] {
    const chunk = Object.getPrototypeOf(input) === Uint8Array.prototype ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    const out: DemuxFragment[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - pos);
        out.push({ stream: this.stream, data: chunk.subarray(pos, pos + n), frameStart: !this.started });
        this.started = true;
        this.remaining -= n;
        pos += n;
        continue;
      }
      if (this.headerLen === 0 && chunk.length - pos >= HEADER) {
        // A whole header in this chunk (the usual case): read in place.
        this.beginFrame(chunk, pos);
        pos += HEADER;
        continue;
      }
      const need = HEADER - this.headerLen;
      const n = Math.min(need, chunk.length - pos);
      this.header.set(chunk.subarray(pos, pos + n), this.headerLen);
      this.headerLen += n;
      pos += n;
      if (this.headerLen < HEADER) break;
      this.headerLen = 0;
      this.beginFrame(this.header, 0);
    }
    return out;
  }

  /** True when the input ended in the middle of a header or a payload. */
  get midFrame(): boolean {
    return this.headerLen > 0 || this.remaining > 0;
  }

  /** Reads the header at h[at, at + 8). */
  private beginFrame(h: Uint8Array, at: number): void {
    const type = h[at] as number;
    if (type > 3 || h[at + 1] !== 0 || h[at + 2] !== 0 || h[at + 3] !== 0) {
      const bytes = Array.from(h.subarray(at, at + HEADER), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new DemuxError(`Not a multiplexed stream: unexpected frame header ${bytes}.`);
    }
    this.stream = type === 2 ? 'stderr' : type === 3 ? 'system' : 'stdout';
    this.remaining = (((h[at + 4] as number) << 24) >>> 0) + ((h[at + 5] as number) << 16) + ((h[at + 6] as number) << 8) + (h[at + 7] as number);
    this.started = false;
  }
}

/** One frame as the engine writes it (used by tests and by anything that needs to produce frames). */
export function encodeFrame(stream: 'stdin' | 'stdout' | 'stderr' | 'system', payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + payload.length);
  out[0] = stream === 'stdin' ? 0 : stream === 'stdout' ? 1 : stream === 'stderr' ? 2 : 3;
  const n = payload.length;
  out[4] = (n >>> 24) & 0xff;
  out[5] = (n >>> 16) & 0xff;
  out[6] = (n >>> 8) & 0xff;
  out[7] = n & 0xff;
  out.set(payload, HEADER);
  return out;
}
