import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../app/services/terminals-ring';

describe('RingBuffer (terminal scrollback)', () => {
  it('keeps the last `capacity` characters, addressed by absolute offsets', () => {
    const r = new RingBuffer(10);
    r.write('abcdef');
    r.write('ghijkl');
    expect(r.size).toBe(10);
    expect(r.start).toBe(2);
    expect(r.end).toBe(12);
    expect(r.read(0, 100)).toEqual({ from: 2, data: 'cdefghijkl' });
    expect(r.read(5, 3)).toEqual({ from: 5, data: 'fgh' });
    expect(r.read(12, 10)).toEqual({ from: 12, data: '' });
    // Beyond the end clamps to the end.
    expect(r.read(99, 10)).toEqual({ from: 12, data: '' });
  });

  it('takes a write larger than itself, keeping its tail', () => {
    const r = new RingBuffer(4);
    r.write('ab');
    r.write('0123456789');
    expect(r.read(0, 100)).toEqual({ from: 8, data: '6789' });
    expect(r.end).toBe(12);
    expect(r.size).toBe(4);
  });

  it('reads across many chunks and stays bounded under a long stream', () => {
    const r = new RingBuffer(1000);
    let all = '';
    for (let i = 0; i < 20_000; i++) {
      const s = `${i},`;
      all += s;
      r.write(s);
      expect(r.size).toBeLessThanOrEqual(1000);
    }
    expect(r.end).toBe(all.length);
    expect(r.read(r.start, 1000).data).toBe(all.slice(-1000));
    expect(r.read(all.length - 37, 10).data).toBe(all.slice(all.length - 37, all.length - 27));
  });

  it('refuses a capacity that is not positive', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
