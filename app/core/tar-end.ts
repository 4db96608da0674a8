/**
 * Follows a tar stream's entry boundaries as it passes and tells whether it ended with the
 * end-of-archive marker (two zero blocks at a header boundary). A stream cut short, at an entry's
 * end or in its middle, is not complete; neither is anything that is not a tar (a header whose
 * checksum does not add up).
 *
 * Why: `nerdctl save` to a pipe can exit 0 with the archive's tail missing (containerd's transfer
 * client returns before its copy of the export stream has finished), so success alone says nothing.
 */
const BLOCK = 512;
/** Type flags whose header carries no data, whatever its size field says (hard and symbolic links, devices, folders, FIFOs). */
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6'].map((c) => c.charCodeAt(0)));

export type TarEndState = 'complete' | 'incomplete' | 'not-a-tar';

function octal(block: Uint8Array, from: number, len: number): number {
  let n = 0;
  let digits = 0;
  for (let i = from; i < from + len; i++) {
    const c = block[i]!;
    if (c === 0) break;
    if (c === 0x20) {
      if (digits) break;
      continue;
    }
    if (c < 0x30 || c > 0x37) return NaN;
    n = n * 8 + (c - 0x30);
    digits++;
  }
  return n;
}

/** The size field: octal ASCII, or GNU's base-256 when the first byte's high bit is set. */
function entrySize(block: Uint8Array): number {
  if (block[124]! & 0x80) {
    let n = block[124]! & 0x7f;
    for (let i = 125; i < 136; i++) n = n * 256 + block[i]!;
    return n;
  }
  return octal(block, 124, 12);
}

/** POSIX's header checksum: the sum of the header's bytes with the checksum field taken as spaces. */
function checksumOk(block: Uint8Array): boolean {
  const stored = octal(block, 148, 8);
  if (Number.isNaN(stored)) return false;
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i]!;
  return sum === stored;
}

export class TarEndWatch {
  private readonly header = new Uint8Array(BLOCK);
  private filled = 0;
  /** Bytes of the current entry's data (with its padding) still to pass. */
  private skip = 0;
  private zeroBlocks = 0;
  private broken = false;
  private total = 0;

  /** Takes the next chunk of the stream (any size). */
  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    let at = 0;
    while (at < chunk.length && !this.broken && this.zeroBlocks < 2) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      const n = Math.min(BLOCK - this.filled, chunk.length - at);
      this.header.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === BLOCK) {
        this.filled = 0;
        this.takeHeader();
      }
    }
  }

  private takeHeader(): void {
    const h = this.header;
    if (h.every((b) => b === 0)) {
      this.zeroBlocks++;
      return;
    }
    // A lone zero block between entries is tolerated, as GNU tar does.
    this.zeroBlocks = 0;
    const size = entrySize(h);
    if (!checksumOk(h) || Number.isNaN(size)) {
      this.broken = true;
      return;
    }
    this.skip = HEADER_ONLY.has(h[156]!) ? 0 : Math.ceil(size / BLOCK) * BLOCK;
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.total;
  }

  get state(): TarEndState {
    if (this.broken) return 'not-a-tar';
    return this.zeroBlocks >= 2 ? 'complete' : 'incomplete';
  }
}
