import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { ImageSummary, imagesApi } from '../../../app/contract/images';
import { isPlainImageList, isPlainImageSummary } from '../../../app/contract/images-fast';
import { checkedAgainst } from '../../../app/contract/checked';
import { listImages } from '../../../app/adapters/engine/docker-api/images-read';
import type { DockerContext } from '../../../app/adapters/engine/docker-api/context';
import { parseImageRows } from '../../../app/core/nerdctl-images';
import { imagesHandlers } from '../../../app/api/images';
import type { Services } from '../../../app/services';
import { at, expectNeverLaxer, mutations } from './agrees-with-zod';

/** Engine API rows as `GET /images/json` gives them (through JSON). */
const dockerRows = JSON.parse(
  JSON.stringify([
    { Id: 'sha256:' + 'a'.repeat(64), RepoTags: ['nginx:alpine', 'web:1'], RepoDigests: ['nginx@sha256:' + 'b'.repeat(64)], Size: 23_456_789, Created: 1700000000, Labels: { maintainer: 'x' } },
    { Id: 'sha256:' + 'c'.repeat(64), RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'], Size: 0, Created: 1700000001, Labels: null },
    { Id: 'sha256:' + 'd'.repeat(64), RepoTags: null, RepoDigests: null, Size: 12, Created: 1700000002 },
  ]),
) as Docker.ImageInfo[];
const dockerCtx = { call: (_what: string, _ref: unknown, f: () => unknown) => f(), docker: { listImages: () => Promise.resolve(dockerRows) } } as unknown as DockerContext;

/** `nerdctl images --format json` rows: two platforms of one index, a dangling image. */
const nerdctlRows = [
  { ID: 'e1', Digest: 'sha256:' + 'e'.repeat(64), Repository: '127.0.0.1:5000/app', Tag: 'v1', Name: '127.0.0.1:5000/app:v1', CreatedAt: '2026-12-05 10:00:00 +0000 UTC', Size: '12.5MB', Platform: 'linux/amd64' },
  { ID: 'e1', Digest: 'sha256:' + 'e'.repeat(64), Repository: '127.0.0.1:5000/app', Tag: 'v1', Name: '127.0.0.1:5000/app:v1', CreatedAt: '2026-12-05 10:00:00 +0000 UTC', Size: '11MB', Platform: 'linux/arm64/v8' },
  { ID: 'f2', Digest: 'sha256:' + 'f'.repeat(64), Repository: '<none>', Tag: '<none>', Name: 'sha256:' + 'f'.repeat(64), CreatedAt: '2026-12-05 11:00:00 +0000 UTC', Size: '1kB', Platform: '' },
];

describe('ImageSummary checked by hand (isPlainImageSummary), for images.list', () => {
  it('passes what the Docker route and the nerdctl route make, each unchanged by the schema\'s parse', async () => {
    const fromDocker = await listImages(dockerCtx, 'all', undefined, new Map([['sha256:' + 'a'.repeat(64), 2]]));
    const fromNerdctl = parseImageRows(nerdctlRows, new Map([['127.0.0.1:5000/app:v1', 1]]));
    expect(fromDocker).toHaveLength(3);
    expect(fromNerdctl[0]?.platforms).toEqual(['linux/amd64', 'linux/arm64/v8']);
    for (const s of [...fromDocker, ...fromNerdctl]) {
      expect(isPlainImageSummary(s)).toBe(true);
      expect(ImageSummary.parse(s)).toStrictEqual(s);
    }
    expect(isPlainImageList([...fromDocker, ...fromNerdctl])).toBe(true);
  });

  it('is never laxer than the schema: whatever it passes, the parse gives back unchanged; it refuses every spoiled field', async () => {
    const made = [...(await listImages(dockerCtx, 'all', undefined, new Map())), ...parseImageRows(nerdctlRows, new Map())];
    const full = made[0]!;
    const cases: unknown[] = [];
    for (const s of made) cases.push(...mutations(s as unknown as Record<string, unknown>));
    cases.push(
      at(full, (c) => (c.labels = { ...full.labels, ['k'.repeat(1025)]: 'v' })),
      at(full, (c) => (c.labels = { ...full.labels, k: 'v'.repeat(65537) })),
      at(full, (c) => (c.labels = JSON.parse('{"__proto__":"x"}'))),
      at(full, (c) => (c.labels = { [Symbol('s')]: 'v' })),
      at(full, (c) => (c.repoTags = ['a', 1])),
      at(full, (c) => (c.repoDigests = [undefined])),
      at(full, (c) => (c.platforms = ['linux/amd64', null])),
      at(full, (c) => (c.platforms = 'linux/amd64')),
      at(full, (c) => (c.size = -Infinity)),
      at(full, (c) => (c.containers = 2.5)),
      Object.assign(Object.create({ id: 'x' }), full),
    );
    const { taken, spoiled } = expectNeverLaxer(isPlainImageSummary, ImageSummary, cases);
    expect(spoiled).toBeGreaterThan(300);
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThanOrEqual(cases.length - spoiled);
  });

  it('images.list sends a list it passes as it is (checked), and leaves any other to the RPC server\'s parse', async () => {
    const good = await listImages(dockerCtx, 'all', undefined, new Map());
    let answer: unknown[] = good;
    const engine = { images: { list: () => Promise.resolve(answer) } };
    const s = { engines: { resolve: () => engine }, imageUsage: { perImage: () => Promise.resolve(new Map()) } } as unknown as Services;
    const list = imagesHandlers(s)['images.list'];
    const ctx = { signal: new AbortController().signal } as Parameters<typeof list>[1];
    const schema = imagesApi['images.list'].output;
    const out = await list({ filter: 'all' }, ctx);
    expect(out).toBe(good);
    expect(checkedAgainst(schema, out)).toBe(true);
    answer = [...good, { ...good[0]!, extra: 'stripped by the parse' }];
    expect(checkedAgainst(schema, await list({ filter: 'all' }, ctx))).toBe(false);
  });
});
