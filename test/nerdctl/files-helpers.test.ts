import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tarStream from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEBUG_IMAGE_DEFAULT } from '../../app/contract/debug';
import { FILES_HELPER_LABEL } from '../../app/contract/files';
import { createTestCore, describeEngine, TEST_LABEL, testNerdctl, type TestCore } from '../support/engine';
import { nerdctlRaw } from '../support/nerdctl-raw';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { hostBusybox } from '../contract/files-support';
import { distrolessKit } from '../contract/files-engine';
import { uniq } from '../contract/images-support';

/**
 * What only the nerdctl adapter's Files has (runs in the `nerdctl` project): its helper containers —
 * Berth's busybox toolbox in a running container's PID namespace — read a target that runs as
 * another user, and are never left behind.
 */
/** The names and types in a tar file. */
async function tarNames(file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ex = tarStream.extract();
  ex.on('entry', (h, stream, next) => {
    out.set(h.name.replace(/\/$/, ''), h.type ?? 'file');
    stream.on('end', next);
    stream.resume();
  });
  await pipeline(fs.createReadStream(file), ex);
  return out;
}

describeEngine('files on nerdctl: helper containers', () => {
  let t: TestCore;
  const kit = distrolessKit();
  const n = testNerdctl() as NerdctlTestEngine;
  const tag = `${uniq('berth-test/distroless-nerdctl-files')}:1`;
  const ids: string[] = [];
  const helpers = async () => (await nerdctlRaw(n, 'ps', '-aq', '--no-trunc', '--filter', `label=${FILES_HELPER_LABEL}`)).stdout.split('\n').filter(Boolean);

  beforeAll(async () => {
    if (!n) throw new Error('This suite runs in the nerdctl project only (vitest --project nerdctl).');
    t = await createTestCore();
    await kit.build(tag);
  }, 180_000);
  afterAll(async () => {
    for (const id of ids) await kit.remove(id).catch((e: unknown) => console.warn(`container ${id}: ${String(e)}`));
    for (const h of await helpers()) await nerdctlRaw(n, 'rm', '-f', h).catch(() => undefined);
    await kit.removeImage(tag).catch((e: unknown) => console.warn(`could not remove ${tag}: ${String(e)}`));
    await t?.dispose();
  });

  it('removes a helper a core left behind at its first use, and leaves none of its own', async () => {
    const id = await kit.run(tag, uniq('berth-nfiles'));
    ids.push(id);
    // The first call loads Berth's toolbox image (never pulled); then a stopped helper stands in for one a killed core left.
    await t.client.call('files.list', { id, path: '/data' });
    const left = (await nerdctlRaw(n, 'run', '-d', '--pull=never', '--label', `${FILES_HELPER_LABEL}=${id}`, '--label', `${TEST_LABEL}=1`, '--network', 'none', '--entrypoint', '/bin/busybox', DEBUG_IMAGE_DEFAULT, 'true')).stdout.trim();
    await nerdctlRaw(n, 'wait', left);
    expect(await helpers()).toEqual([left]);
    const fresh = await createTestCore();
    try {
      const root = await fresh.client.call('files.list', { id, path: '/' });
      expect(root.entries.find((e) => e.name === 'busybox')).toMatchObject({ type: 'file', size: hostBusybox().length });
    } finally {
      await fresh.dispose();
    }
    expect(await helpers()).toEqual([]);
    // Never among the user's containers either (the list carries the label the containers page leaves out).
    expect((await t.client.call('containers.list', { all: true })).filter((c) => Object.hasOwn(c.labels, FILES_HELPER_LABEL))).toEqual([]);
  });

  it('reads a container that runs as another user, and leaves it running as it was', async () => {
    const id = (await nerdctlRaw(n, 'run', '-d', '--pull=never', '--name', uniq('berth-nfiles-user'), '--label', `${TEST_LABEL}=1`, '--network', 'none', '--user', '1234:5678', tag)).stdout.trim();
    ids.push(id);
    const before = await kit.state(id);
    const data = await t.client.call('files.list', { id, path: '/data' });
    expect(data.entries).toEqual([expect.objectContaining({ name: 'hello.txt', uid: 1234, gid: 5678 })]);
    expect((await t.client.call('files.read', { id, path: '/data/hello.txt' })).text).toBe('hello from a distroless image\n');
    expect(await kit.state(id)).toEqual(before);
    expect(await helpers()).toEqual([]);
  });

  it('downloads the root of a running and of a stopped container with the same names (no /proc of the running one)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-nfiles-root-'));
    const stopped = await kit.run(tag, uniq('berth-nfiles-stopped'));
    ids.push(stopped);
    try {
      await kit.stop(stopped);
      const running = ids[0] as string;
      for (const [id, file] of [[running, 'running.tar'], [stopped, 'stopped.tar']] as const) {
        await t.client.call('files.download', { id, path: '/', to: path.join(dir, file) });
        const names = await tarNames(path.join(dir, file));
        expect(names.get('busybox'), file).toBe('file');
        expect(names.get('data/hello.txt'), file).toBe('file');
        expect(names.get('app-link'), file).toBe('symlink');
        expect([...names.keys()].filter((n) => n.startsWith('nerdctl-cp') || n.startsWith('proc/') || n.startsWith('sys/')), file).toEqual([]);
      }
      expect((await kit.state(stopped)).running).toBe(false);
      expect(await helpers()).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
