import { describe, expect, it } from 'vitest';
import { completeEnd, Utf8Stream } from '../../../app/core/utf8-stream';
import { seededRandom } from '../../support/seeded-random';

/** Bytes that exercise UTF-8 edges: ASCII, every lead class, continuations, the bounds of E0/ED/F0/F4's second byte. */
const BYTES = [0x41, 0x0a, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff];
const VALID = ['a', 'é', '€', '世', '🚀', '\uFFFD', '\u07FF', '\uD7FF', '\uE000', '\u{10FFFF}'].map((s) => [...new TextEncoder().encode(s)]);

describe('Utf8Stream', () => {
  it('gives the text of a streaming TextDecoder, chunk by chunk, for any bytes cut anywhere', () => {
    const rnd = seededRandom(8);
    for (let round = 0; round < 4000; round++) {
      const bytes: number[] = [];
      const len = Math.floor(rnd() * 24);
      while (bytes.length < len) {
        if (rnd() < 0.5) bytes.push(...(VALID[Math.floor(rnd() * VALID.length)] as number[]));
        else bytes.push(BYTES[Math.floor(rnd() * BYTES.length)] as number);
      }
      const all = Uint8Array.from(bytes);
      const ref = new TextDecoder('utf-8');
      const mine = new Utf8Stream();
      const want: string[] = [];
      const got: string[] = [];
      for (let i = 0; i < all.length; ) {
        const n = 1 + Math.floor(rnd() * 5);
        const c = all.subarray(i, i + n);
        want.push(ref.decode(c, { stream: true }));
        got.push(mine.decode(c));
        i += n;
      }
      want.push(ref.decode());
      got.push(mine.end());
      // The same text after each chunk (not only in total): a timestamp at a frame's start is read from it.
      expect(got, JSON.stringify(bytes)).toEqual(want);
    }
  });

  it('holds back only the start of a valid character', () => {
    expect(completeEnd(Uint8Array.from([0x41, 0xe2, 0x82]))).toBe(1);
    expect(completeEnd(Uint8Array.from([0x41, 0xe2, 0x82, 0xac]))).toBe(4);
    expect(completeEnd(Uint8Array.from([0x41, 0xe0, 0x80]))).toBe(3); // E0 80 is invalid already
    expect(completeEnd(Uint8Array.from([0xf0, 0x9f, 0x9a]))).toBe(0);
    expect(completeEnd(Uint8Array.from([0xc0]))).toBe(1);
    expect(completeEnd(Uint8Array.from([]))).toBe(0);
  });
});
