import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import tarStream from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveNamesFromIndex, archiveTargetsFromIndex, readArchiveIndex, readArchiveNames } from '../../../app/adapters/engine/nerdctl/archive-names';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-archive-names-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function tar(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const [name, body] of Object.entries(entries)) pack.entry({ name }, body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const index = JSON.stringify({
  schemaVersion: 2,
  manifests: [
    { digest: 'sha256:aa', annotations: { 'io.containerd.image.name': 'docker.io/berth/a:1', 'org.opencontainers.image.ref.name': '1' } },
    { digest: 'sha256:bb', annotations: { 'io.containerd.image.name': '127.0.0.1:5000/b:2' } },
    { digest: 'sha256:cc' },
  ],
});
const manifest = JSON.stringify([{ Config: 'c', RepoTags: ['berth/a:1', 'berth/a:latest'], Layers: [] }, { Config: 'd', RepoTags: null }]);

describe('image archive names (nerdctl load does not always print them)', () => {
  it('reads RepoTags from manifest.json and containerd names from index.json, each once', () => {
    const names = archiveNamesFromIndex(new Map([['manifest.json', manifest], ['index.json', index]]));
    expect(names).toEqual(['berth/a:1', 'berth/a:latest', 'docker.io/berth/a:1', '127.0.0.1:5000/b:2']);
  });

  it('gives no names for missing or unparsable index files', () => {
    expect(archiveNamesFromIndex(new Map())).toEqual([]);
    expect(archiveNamesFromIndex(new Map([['manifest.json', '{not json'], ['index.json', '[1,2]']]))).toEqual([]);
  });

  it('reads a plain and a gzip tar, skipping the blobs', async () => {
    const body = await tar({ 'blobs/sha256/aa': Buffer.alloc(3 * 1024 * 1024, 7), 'index.json': index, './manifest.json': manifest, 'oci-layout': '{}' });
    const plain = path.join(dir, 'plain.tar');
    const gz = path.join(dir, 'image.tar.gz');
    fs.writeFileSync(plain, body);
    fs.writeFileSync(gz, zlib.gzipSync(body));
    const want = ['berth/a:1', 'berth/a:latest', 'docker.io/berth/a:1', '127.0.0.1:5000/b:2'];
    expect(await readArchiveNames(plain)).toEqual(want);
    expect(await readArchiveNames(gz)).toEqual(want);
  });

  it('a file that is not a tar has no names (the load says why)', async () => {
    const junk = path.join(dir, 'junk.tar');
    fs.writeFileSync(junk, 'this is not a tar file at all\n'.repeat(100));
    expect(await readArchiveNames(junk)).toEqual([]);
  });

  it('index.json says what each named image is: its digest (a name without a well-formed digest gives none)', async () => {
    const A = `sha256:${'a'.repeat(64)}`;
    const B = `sha256:${'b'.repeat(64)}`;
    const oci = JSON.stringify({
      manifests: [
        { digest: A, annotations: { 'io.containerd.image.name': 'docker.io/berth/a:1' } },
        { digest: B, annotations: { 'io.containerd.image.name': '127.0.0.1:5000/b:2' } },
        { digest: 'sha256:cc', annotations: { 'io.containerd.image.name': 'docker.io/berth/c:3' } },
        { digest: B },
      ],
    });
    expect(archiveTargetsFromIndex(new Map([['index.json', oci], ['manifest.json', manifest]]))).toEqual(
      new Map([
        ['docker.io/berth/a:1', A],
        ['127.0.0.1:5000/b:2', B],
      ]),
    );
    expect(archiveTargetsFromIndex(new Map([['manifest.json', manifest]]))).toEqual(new Map());
    expect(archiveTargetsFromIndex(new Map([['index.json', '{not json']]))).toEqual(new Map());
    const file = path.join(dir, 'targets.tar');
    fs.writeFileSync(file, await tar({ 'index.json': oci, 'manifest.json': manifest }));
    const read = await readArchiveIndex(file);
    expect(read.targets.get('docker.io/berth/a:1')).toBe(A);
    expect(read.names).toEqual(['berth/a:1', 'berth/a:latest', 'docker.io/berth/a:1', '127.0.0.1:5000/b:2', 'docker.io/berth/c:3']);
  });
});
