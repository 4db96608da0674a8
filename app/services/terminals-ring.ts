/**
 * A bounded scrollback: the last `capacity` characters of a stream, addressed by offsets that
 * count every character ever written (so a reader can say where it stopped and resume there).
 */
export class RingBuffer {
  private readonly chunks: string[] = [];
  private head = 0;
  /** Offset of the first kept character. */
  private startOff = 0;
  private endOff = 0;
  private kept = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError('A ring buffer needs a positive capacity');
  }

  get start(): number {
    return this.startOff;
  }

  get end(): number {
    return this.endOff;
  }

  /** Characters held now (never more than the capacity). */
  get size(): number {
    return this.kept;
  }

  write(data: string): void {
    if (!data) return;
    if (data.length >= this.capacity) {
      this.chunks.length = 0;
      this.head = 0;
      this.chunks.push(data.slice(data.length - this.capacity));
      this.endOff += data.length;
      this.startOff = this.endOff - this.capacity;
      this.kept = this.capacity;
      return;
    }
    this.chunks.push(data);
    this.endOff += data.length;
    this.kept += data.length;
    while (this.kept > this.capacity) {
      const first = this.chunks[this.head] as string;
      const over = this.kept - this.capacity;
      if (first.length <= over) {
        this.head++;
        this.kept -= first.length;
        this.startOff += first.length;
      } else {
        this.chunks[this.head] = first.slice(over);
        this.kept -= over;
        this.startOff += over;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks.splice(0, this.head);
      this.head = 0;
    }
  }

  /**
   * Up to `max` characters from offset `from` (clamped into what is kept).
   * Returns where the text really starts, which is later than `from` when that part was dropped.
   */
  read(from: number, max: number): { from: number; data: string } {
    const at = Math.min(Math.max(from, this.startOff), this.endOff);
    if (at === this.endOff || max <= 0) return { from: at, data: '' };
    let off = this.startOff;
    let i = this.head;
    for (; i < this.chunks.length; i++) {
      const len = (this.chunks[i] as string).length;
      if (off + len > at) break;
      off += len;
    }
    const parts: string[] = [];
    let got = 0;
    let skip = at - off;
    for (; i < this.chunks.length && got < max; i++) {
      let c = this.chunks[i] as string;
      if (skip) {
        c = c.slice(skip);
        skip = 0;
      }
      if (got + c.length > max) c = c.slice(0, max - got);
      parts.push(c);
      got += c.length;
    }
    return { from: at, data: parts.join('') };
  }
}
