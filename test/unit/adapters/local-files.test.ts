import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalFiles } from '../../../app/adapters/engine/local-files';

describe('readLocalFiles', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-local-files-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives each readable file its text and leaves out the ones that cannot be read', async () => {
    const names = Array.from({ length: 20 }, (_, i) => path.join(dir, `f${i}`));
    names.forEach((n, i) => fs.writeFileSync(n, `${i}\n`));
    const got = await readLocalFiles([...names, path.join(dir, 'gone'), dir, names[0] as string]);
    expect([...got.keys()]).toEqual(names);
    expect(got.get(names[19] as string)).toBe('19\n');
  });

  it('reads /proc/stat (the kernel file the samplers read each time)', async () => {
    expect((await readLocalFiles(['/proc/stat'])).get('/proc/stat')).toMatch(/^cpu /);
  });

  it('stops when aborted', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const many = Array.from({ length: 20 }, () => '/proc/stat').map((p, i) => `${p}${i ? `#${i}` : ''}`);
    await expect(readLocalFiles(many, { signal: ctrl.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
