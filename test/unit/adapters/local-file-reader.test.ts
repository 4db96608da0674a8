import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalFileReader } from '../../../app/adapters/engine/local-files';

describe('createLocalFileReader (counter files kept open between samples)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kept-files-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps /proc/stat open and reads it afresh each time; other files (here: /proc/PID, a plain file) are opened and closed per read', async () => {
    const r = createLocalFileReader();
    const plain = path.join(dir, 'plain');
    fs.writeFileSync(plain, 'x\n');
    const own = `/proc/${process.pid}/stat`;
    const first = await r.read(['/proc/stat', own, plain]);
    expect(first.get('/proc/stat')).toMatch(/^cpu /);
    expect(first.get(own)).toMatch(new RegExp(`^${process.pid} `));
    expect(first.get(plain)).toBe('x\n');
    expect(r.openCount()).toBe(1);
    // Every tick of every CPU (idle included) since boot: it grows with time.
    const ticks = (t: string | undefined) => ((t ?? '').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).reduce((a, v) => a + Number(v), 0);
    // The kept descriptor must show the kernel's new counters, not the first read's (100 Hz ticks: wait several).
    await new Promise((r) => setTimeout(r, 100));
    const again = await r.read(['/proc/stat']);
    expect(ticks(again.get('/proc/stat'))).toBeGreaterThan(ticks(first.get('/proc/stat')));
    expect(r.openCount()).toBe(1);
    r.close();
    expect(r.openCount()).toBe(0);
  });

  it('reads a kept file whole from its start each time: longer than the buffer, then shorter (no tail of the old text)', async () => {
    const r = createLocalFileReader({ keep: () => true });
    const f = path.join(dir, 'counters');
    const long = `${'a'.repeat(40_000)}\nend\n`;
    fs.writeFileSync(f, long);
    expect((await r.read([f])).get(f)).toBe(long);
    // Rewritten in place (same inode, as the kernel's files are): the kept descriptor sees the new text.
    fs.writeFileSync(f, 'short\n');
    expect((await r.read([f])).get(f)).toBe('short\n');
    expect(r.openCount()).toBe(1);
    r.close();
  });

  it('leaves out what cannot be read, keeps nothing for it, and answers each path once', async () => {
    const r = createLocalFileReader({ keep: () => true });
    const f = path.join(dir, 'one');
    fs.writeFileSync(f, '1\n');
    const got = await r.read([f, path.join(dir, 'gone'), dir, f]);
    expect([...got]).toEqual([[f, '1\n']]);
    expect(r.openCount()).toBe(1);
    r.close();
  });

  it('keeps at most `max` descriptors: the other files are still read, opened and closed each time', async () => {
    const r = createLocalFileReader({ keep: () => true, max: 2 });
    const files = Array.from({ length: 5 }, (_, i) => path.join(dir, `m${i}`));
    files.forEach((f, i) => fs.writeFileSync(f, `${i}\n`));
    expect([...(await r.read(files)).values()]).toEqual(['0\n', '1\n', '2\n', '3\n', '4\n']);
    expect(r.openCount()).toBe(2);
    fs.writeFileSync(files[4] as string, 'four\n');
    expect((await r.read(files)).get(files[4] as string)).toBe('four\n');
    expect(r.openCount()).toBe(2);
    r.close();
  });

  it('stops when aborted', async () => {
    const r = createLocalFileReader();
    const ctrl = new AbortController();
    ctrl.abort();
    const many = Array.from({ length: 20 }, (_, i) => path.join(dir, `n${i}`));
    many.forEach((n) => fs.writeFileSync(n, 'n'));
    await expect(r.read(many, { signal: ctrl.signal })).rejects.toMatchObject({ name: 'AbortError' });
    r.close();
  });
});
