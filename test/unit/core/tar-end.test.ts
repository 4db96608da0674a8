import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TarEndWatch, type TarEndState } from '../../../app/core/tar-end';

/** Feeds `data` to a watch in chunks of the given sizes (cycled). */
function stateOf(data: Uint8Array, chunks: number[] = [data.length || 1]): TarEndState {
  const w = new TarEndWatch();
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = chunks[i % chunks.length]!;
    w.push(data.subarray(at, at + n));
    at += n;
  }
  expect(w.bytes).toBe(data.length);
  return w.state;
}

let dir: string;
const archives: Record<string, Buffer> = {};

// Archives written by GNU tar, in its three formats, over files of every awkward size and every
// header-only entry type.
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tar-end-'));
  const src = path.join(dir, 'src');
  fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
  for (const n of [0, 1, 511, 512, 513, 1024, 100_000]) fs.writeFileSync(path.join(src, `f${n}`), Buffer.alloc(n, 7));
  fs.writeFileSync(path.join(src, 'sub', `${'long-name-'.repeat(20)}.txt`), 'x'.repeat(700));
  fs.symlinkSync('f1', path.join(src, 'link'));
  fs.linkSync(path.join(src, 'f513'), path.join(src, 'hard'));
  execFileSync('mkfifo', [path.join(src, 'fifo')]);
  for (const format of ['gnu', 'pax', 'ustar']) {
    const file = path.join(dir, `${format}.tar`);
    // ustar cannot hold the long name: leave that folder out there.
    const what = format === 'ustar' ? ['--exclude', 'sub', '.'] : ['.'];
    execFileSync('tar', ['--format', format, '-cf', file, '-C', src, ...what]);
    archives[format] = fs.readFileSync(file);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('TarEndWatch: was a tar stream whole?', () => {
  it('a whole archive is complete, whatever the chunking', () => {
    for (const [format, data] of Object.entries(archives)) {
      for (const chunks of [[data.length], [1], [7, 511, 4096], [512], [65_536], [3, 1000, 1]]) {
        expect(stateOf(data, chunks), `${format} in chunks of ${chunks.join(',')}`).toBe('complete');
      }
    }
  });

  it('an archive cut at any block, or inside one, is incomplete', () => {
    for (const [format, data] of Object.entries(archives)) {
      // Every cut before the end-of-archive marker: at each block boundary and in the middle of each block.
      const marker = lastEntryEnd(data);
      for (let cut = 0; cut < marker + 1024; cut += 256) {
        expect(stateOf(data.subarray(0, cut), [4096]), `${format} cut at ${cut}`).toBe('incomplete');
      }
      // One zero block of the marker is not enough.
      expect(stateOf(data.subarray(0, marker + 512)), `${format} with one zero block`).toBe('incomplete');
      expect(stateOf(data.subarray(0, marker + 1024)), `${format} with the marker`).toBe('complete');
    }
  });

  it('what is not a tar says so: random bytes, a gzip, a text', () => {
    const random = Buffer.alloc(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    expect(stateOf(random)).toBe('not-a-tar');
    expect(stateOf(execFileSync('gzip', ['-c'], { input: archives['gnu'] }))).toBe('not-a-tar');
    expect(stateOf(Buffer.from('hello\n'.repeat(200)))).toBe('not-a-tar');
    expect(stateOf(new Uint8Array(0))).toBe('incomplete');
  });

  it("reads GNU's base-256 size field (sizes of 8 GiB and more)", () => {
    const data = Buffer.from(archives['ustar']!);
    // The first regular file with data: rewrite its size field in base-256 and fix the checksum.
    let off = 0;
    for (;;) {
      const size = parseInt(data.subarray(off + 124, off + 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
      if (data[off + 156] === 0x30 && size > 0) {
        data.fill(0, off + 124, off + 136);
        data[off + 124] = 0x80;
        data.writeUInt32BE(size, off + 132);
        data.fill(0x20, off + 148, off + 156);
        let sum = 0;
        for (let i = 0; i < 512; i++) sum += data[off + i]!;
        data.write(`${sum.toString(8).padStart(6, '0')}\0 `, off + 148, 'latin1');
        break;
      }
      off += 512 + Math.ceil(size / 512) * 512;
    }
    expect(stateOf(data, [333])).toBe('complete');
    // The same header with a size one block longer than its data: the walk loses step and the marker.
    const wrong = Buffer.from(data);
    wrong.writeUInt32BE(wrong.readUInt32BE(off + 132) + 512, off + 132);
    expect(stateOf(wrong)).not.toBe('complete');
  });
});

/** Offset of the end-of-archive marker: the first zero block at a header boundary. */
function lastEntryEnd(data: Buffer): number {
  let off = 0;
  for (;;) {
    const h = data.subarray(off, off + 512);
    if (h.every((b) => b === 0)) return off;
    const type = h[156];
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    off += 512 + ('123456'.includes(String.fromCharCode(type!)) ? 0 : Math.ceil(size / 512) * 512);
  }
}
