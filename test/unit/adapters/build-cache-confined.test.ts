import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileAccess } from '../../../app/adapters/files/confined';
import { imagesHandlers } from '../../../app/api/images';
import { BuildInput } from '../../../app/contract/images';
import type { Services } from '../../../app/services';

/** images.build through its API handler in browser mode: local cache folders are confined like the context. */
describe('images.build: local cache folders go through the file-access check', () => {
  let dir: string;
  let box: string;
  let built: BuildInput[];
  const handlers = async () => {
    const files = await createFileAccess(box);
    const engine = { images: { build: async (i: BuildInput) => (built.push(i), { kind: 'done' as const, id: 'sha256:x', tags: [] }) } };
    return imagesHandlers({ files, engines: { resolve: () => engine } } as unknown as Services);
  };
  const build = async (patch: Record<string, unknown>) => {
    const h = await handlers();
    const input = BuildInput.parse({ contextDir: path.join(box, 'ctx'), ...patch });
    const signal = new AbortController().signal;
    await h['images.build'](input, async () => {}, signal, { signal, connection: signal, onClose: () => () => {} });
  };
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bcache-')));
    box = path.join(dir, 'Berth');
    fs.mkdirSync(path.join(box, 'ctx'), { recursive: true });
    built = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes a cache folder inside the files folder, and registry caches untouched', async () => {
    const c = path.join(box, 'cache');
    await build({ cacheFrom: [`type=local,src=${c}`, 'type=registry,ref=127.0.0.1:5000/a:cache'], cacheTo: [`type=local,dest=${c},mode=max`] });
    expect(built[0]?.cacheFrom).toEqual([`type=local,src=${c}`, 'type=registry,ref=127.0.0.1:5000/a:cache']);
    expect(built[0]?.cacheTo).toEqual([`type=local,dest=${c},mode=max`]);
  });
  it('refuses a cache folder elsewhere before the engine builds anything', async () => {
    await expect(build({ cacheTo: [`type=local,dest=${path.join(dir, 'elsewhere')}`] })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(build({ cacheFrom: ['type=local,src=/root/.ssh'] })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(built).toEqual([]);
  });
});
