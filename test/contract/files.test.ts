import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tarStream from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCore, type Core } from '../../app/composition';
import { FILES_HELPER_LABEL } from '../../app/contract/files';
import { createTestCore, describeEngine, nerdctlEnv, testNerdctl, useEngine, type TestCore } from '../support/engine';
import { connectInProcess } from '../support/inproc';
import { expectError, uniq } from './images-support';
import { hostBusybox } from './files-support';
import { distrolessKit } from './files-engine';
import { nerdctlRaw } from '../support/nerdctl-raw';

/** The entries of a tar file on disk, with their bytes. */
async function untar(file: string): Promise<Map<string, { type: string; data: Buffer }>> {
  const out = new Map<string, { type: string; data: Buffer }>();
  const ex = tarStream.extract();
  ex.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      out.set(h.name, { type: h.type ?? 'file', data: Buffer.concat(chunks) });
      next();
    });
  });
  await pipeline(fs.createReadStream(file), ex);
  return out;
}

/** The Files helper containers of any target (nerdctl: Berth's short-lived helpers); Docker-API engines use none. */
async function filesHelpers(): Promise<string[]> {
  const n = testNerdctl();
  if (!n) return [];
  return (await nerdctlRaw(n, 'ps', '-aq', '--no-trunc', '--filter', `label=${FILES_HELPER_LABEL}`)).stdout.split('\n').filter(Boolean);
}

// Runs in the Docker-API projects and in `nerdctl` (arranged and checked through files-engine.ts): on the
// Docker API through the archive endpoints, on nerdctl through helper containers (running) and `nerdctl cp` (stopped).
describeEngine('files: a distroless container’s file system', () => {
  let t: TestCore;
  let dir: string;
  const kit = distrolessKit();
  const tag = `${uniq('berth-test/distroless')}:files`;
  let id = '';

  beforeAll(async () => {
    t = await createTestCore();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-files-'));
    await kit.build(tag);
    id = await kit.run(tag, uniq('berth-files'));
  }, 180_000);
  afterAll(async () => {
    if (id) await kit.remove(id);
    await kit.removeImage(tag).catch((e: unknown) => console.warn(`could not remove ${tag}: ${String(e)}`));
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the root: the binary, a symlink with its target, a folder with its size and an owner', async () => {
    const engines = await t.client.call('engines.list', {});
    expect(engines.find((e) => e.active)?.capabilities.files).toEqual({ via: kit.engine === 'nerdctl' ? 'helper-container' : 'archive-api', changes: true });
    const before = await kit.state(id);
    const root = await t.client.call('files.list', { id, path: '/' });
    const byName = new Map(root.entries.map((e) => [e.name, e]));
    expect(byName.get('busybox')).toMatchObject({ path: '/busybox', type: 'file', size: hostBusybox().length });
    expect((byName.get('busybox')?.mode ?? 0) & 0o111).not.toBe(0);
    expect(byName.get('app-link')).toMatchObject({ type: 'symlink', linkTarget: '/busybox' });
    expect(byName.get('data')).toMatchObject({ type: 'dir', path: '/data', size: 'hello from a distroless image\n'.length });
    // Distroless-like: no shell, no coreutils.
    expect(byName.has('bin')).toBe(false);
    // Folders first.
    expect(root.entries[0]?.type).toBe('dir');
    const data = await t.client.call('files.list', { id, path: '/data/' });
    expect(data.entries).toEqual([expect.objectContaining({ name: 'hello.txt', path: '/data/hello.txt', type: 'file', uid: 1234, gid: 5678 })]);
    // The container was only read: not restarted; no helper container is left behind.
    expect(await kit.state(id)).toEqual(before);
    expect(await filesHelpers()).toEqual([]);
  });

  it('refuses a missing path and a file where a folder is wanted, clearly', async () => {
    await expectError(t.client.call('files.list', { id, path: '/nope' }), 'NOT_FOUND', /\/nope/);
    await expectError(t.client.call('files.list', { id, path: '/busybox' }), 'INVALID_INPUT', /not a folder/);
    await expectError(t.client.call('files.list', { id: 'berth-no-such-container', path: '/' }), 'NOT_FOUND');
    await expectError(t.client.call('files.list', { id, path: 'relative' }), 'INVALID_INPUT');
  });

  it('reads a text file, refuses one beyond the limit saying its size, flags binary ones', async () => {
    expect(await t.client.call('files.read', { id, path: '/data/hello.txt' })).toEqual({
      path: '/data/hello.txt',
      size: 30,
      text: 'hello from a distroless image\n',
      binary: false,
    });
    const err = await expectError(t.client.call('files.read', { id, path: '/busybox', maxBytes: 4096 }), 'INVALID_INPUT', /MiB; Berth shows files up to 4\.0 KiB/);
    expect(err.hint).toMatch(/Download/);
    // An absolute link on the way is followed inside the container (not in a helper's own root).
    expect((await t.client.call('files.read', { id, path: '/data-link/hello.txt' })).text).toBe('hello from a distroless image\n');
    expect((await t.client.call('files.list', { id, path: '/data-link/' })).entries.map((e) => e.name)).toEqual(['hello.txt']);
    const bin = await t.client.call('files.read', { id, path: '/app-link', maxBytes: 16 * 1024 * 1024 });
    expect(bin).toMatchObject({ binary: true, size: hostBusybox().length });
    expect(bin.text).toBeUndefined();
  });

  it('downloads the binary byte-identical, and a folder, as tars', async () => {
    // A folder of this attempt's own (a retried attempt must not meet the first one's files).
    const out = fs.mkdtempSync(path.join(dir, 'dl-'));
    const to = path.join(out, 'busybox.tar');
    const r = await t.client.call('files.download', { id, path: '/busybox', to });
    expect(r.path).toBe(to);
    expect(r.bytes).toBe(fs.statSync(to).size);
    const entries = await untar(to);
    expect(entries.get('busybox')?.data.equals(hostBusybox())).toBe(true);
    await expectError(t.client.call('files.download', { id, path: '/busybox', to }), 'CONFLICT');
    const folder = path.join(out, 'data.tar');
    await t.client.call('files.download', { id, path: '/data', to: folder });
    expect((await untar(folder)).get('data/hello.txt')?.data.toString()).toBe('hello from a distroless image\n');
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('downloads several large files at once, each whole, leaving no helper behind', async () => {
    // On nerdctl each download is a helper container. An attached `nerdctl run` with a log driver could stop short
    // of its output on a busy machine (its logger stops reading when the container exits); helpers run without one.
    const out = fs.mkdtempSync(path.join(dir, 'many-'));
    const targets = Array.from({ length: 6 }, (_, i) => path.join(out, `busybox-${i}.tar`));
    const results = await Promise.all(targets.map((to) => t.client.call('files.download', { id, path: '/busybox', to })));
    for (const [i, to] of targets.entries()) {
      expect(results[i]?.bytes).toBe(fs.statSync(to).size);
      expect((await untar(to)).get('busybox')?.data.equals(hostBusybox())).toBe(true);
    }
    expect(await filesHelpers()).toEqual([]);
  }, 120_000);

  it('uploads a file the container then sees; replacing it needs confirm; the upload shows in Changed', async () => {
    const src = path.join(dir, 'note.txt');
    fs.writeFileSync(src, 'uploaded by berth\n');
    expect(await t.client.call('files.upload', { id, path: '/data', sources: [src] })).toEqual({ path: '/data', written: ['note.txt'], overwritten: [] });
    expect(await kit.exec(id, ['/busybox', 'cat', '/data/note.txt'])).toBe('uploaded by berth\n');

    fs.writeFileSync(src, 'second version\n');
    const err = await expectError(t.client.call('files.upload', { id, path: '/data', sources: [src] }), 'CONFLICT', /\/data\/note\.txt exists/);
    expect(err.details).toMatchObject({ existing: ['note.txt'] });
    expect(await kit.exec(id, ['/busybox', 'cat', '/data/note.txt'])).toBe('uploaded by berth\n');
    expect(await t.client.call('files.upload', { id, path: '/data', sources: [src], confirm: true })).toMatchObject({ overwritten: ['note.txt'] });
    expect(await kit.exec(id, ['/busybox', 'cat', '/data/note.txt'])).toBe('second version\n');

    // A tar's contents, unpacked into a folder; a tar whose top entry exists needs confirm.
    const tarFile = path.join(dir, 'extra.tar');
    const pack = tarStream.pack();
    pack.entry({ name: 'extra/x.txt' }, 'from a tar\n');
    pack.finalize();
    await pipeline(pack, fs.createWriteStream(tarFile));
    expect(await t.client.call('files.upload', { id, path: '/', sources: [tarFile], extractTar: true })).toEqual({ path: '/', written: ['extra'], overwritten: [] });
    expect(await kit.exec(id, ['/busybox', 'cat', '/extra/x.txt'])).toBe('from a tar\n');
    await expectError(t.client.call('files.upload', { id, path: '/', sources: [tarFile], extractTar: true }), 'CONFLICT');

    const changes = await t.client.call('files.changes', { id });
    expect(changes).toContainEqual({ path: '/data/note.txt', kind: 'added' });
    // The folder it went into counts as changed on the Docker API; nerdctl's diff names only what was added below it.
    if (kit.engine === 'docker') expect(changes).toContainEqual({ path: '/data', kind: 'changed' });
    expect(changes).toContainEqual({ path: '/extra/x.txt', kind: 'added' });
    expect(changes.find((c) => c.path === '/busybox')).toBeUndefined();
  });

  it('lists, reads and diffs a stopped container too', async () => {
    const stopped = await kit.run(tag, uniq('berth-files-stopped'));
    try {
      await kit.stop(stopped);
      const root = await t.client.call('files.list', { id: stopped, path: '/' });
      expect(root.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['data', 'busybox', 'app-link']));
      expect((await t.client.call('files.read', { id: stopped, path: '/data/hello.txt' })).text).toBe('hello from a distroless image\n');
      expect((await t.client.call('files.read', { id: stopped, path: '/data-link/hello.txt' })).text).toBe('hello from a distroless image\n');
      // nerdctl adds /etc (hosts, hostname, resolv.conf) to every container it runs: only what is not that counts here.
      const changes = (await t.client.call('files.changes', { id: stopped })).filter((c) => kit.engine !== 'nerdctl' || !/^\/(etc(\/(hosts|hostname|resolv\.conf))?)?$/.test(c.path));
      expect(changes).toEqual([]);
      expect((await kit.state(stopped)).running).toBe(false);
    } finally {
      await kit.remove(stopped);
    }
  });

  it('in browser mode, confines host paths to the files folder', async () => {
    const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-files-web-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-files-core-'));
    let core: Core | undefined;
    try {
      core = await createCore({ dataDir, mode: 'web', version: '0.0.0-test', env: { ...process.env, ...nerdctlEnv(useEngine().dockerHost) }, filesDir });
      const conn = connectInProcess(core.rpc);
      try {
        await expectError(conn.client.call('files.download', { id, path: '/busybox', to: path.join(dir, 'outside.tar') }), 'PERMISSION_DENIED');
        await expectError(conn.client.call('files.upload', { id, path: '/data', sources: [path.join(dir, 'note.txt')] }), 'PERMISSION_DENIED');
        expect(fs.existsSync(path.join(dir, 'outside.tar'))).toBe(false);
        const inside = await conn.client.call('files.download', { id, path: '/data/hello.txt', to: path.join(filesDir, 'hello.tar') });
        expect(fs.existsSync(inside.path)).toBe(true);
      } finally {
        conn.close();
      }
    } finally {
      await core?.dispose();
      fs.rmSync(filesDir, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
