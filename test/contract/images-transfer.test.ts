import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PullItem, PushItem, TransferProgress } from '../../app/contract/images';
import { createTestCore, describeEngine, useEngine, type TestCore } from '../support/engine';
import { imagesEngine, type ImagesEngine } from './images-engine';
import { expectError, runToEnd, sleep, subscribe, uniq } from './images-support';
import { lacks } from './objects-engine';
import { pushRandomImage } from './registry-push';

/**
 * A loopback proxy in front of the test registry that sends blobs slowly, and records whether
 * each blob download finished or was closed early (by dockerd giving up after a cancel).
 */
async function slowProxy(target: string, bytesPerSecond: number) {
  const state = { blobsStarted: 0, blobsFinished: 0, blobsAborted: 0, blobBytesSent: 0 };
  const [host, port] = target.split(':') as [string, string];
  const server = http.createServer((req, res) => {
    const up = http.request({ host, port: Number(port), path: req.url, method: req.method, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      const isBlob = req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '');
      if (!isBlob) {
        ur.pipe(res);
        return;
      }
      state.blobsStarted++;
      let closedEarly = true;
      res.on('finish', () => {
        closedEarly = false;
        state.blobsFinished++;
      });
      res.on('close', () => {
        if (closedEarly) state.blobsAborted++;
        ur.destroy();
      });
      ur.on('data', (chunk: Buffer) => {
        ur.pause();
        res.write(chunk);
        state.blobBytesSent += chunk.length;
        setTimeout(() => ur.resume(), (chunk.length / bytesPerSecond) * 1000);
      });
      ur.on('end', () => res.end());
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const progressOf = (items: Array<PullItem | PushItem>) => items.filter((i): i is TransferProgress => !i.done);

/** Why per-layer progress cannot be checked here (nerdctl 2.3 prints running totals only), or null. */
const noLayers = () => lacks('layerProgress');

describeEngine('images: pull and push through the local registry', () => {
  let t: TestCore;
  let eng: ImagesEngine;
  const made: string[] = [];

  beforeAll(async () => {
    t = await createTestCore();
    eng = imagesEngine();
  });
  afterAll(async () => {
    await eng?.cleanup({ images: made });
    await t?.dispose();
  });

  it('pushes an image with progress, removes it, and pulls it back (no tag means :latest)', async () => {
    const { registry } = useEngine();
    const repo = `${registry}/${uniq('berth-test/roundtrip')}`;
    const id = await eng.buildSmall(`${repo}:latest`, ['RUN head -c 1500000 /dev/urandom > /random']);
    made.push(`${repo}:latest`);

    const pushed = await runToEnd(t.client, 'images.push', { ref: repo });
    const pushDone = pushed[pushed.length - 1];
    expect(pushDone).toMatchObject({ done: true, ref: `${repo}:latest`, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    const lastPush = progressOf(pushed).at(-1);
    expect(lastPush?.layers.length).toBeGreaterThanOrEqual(3);
    expect(lastPush?.layers.every((l) => l.status === 'complete' || l.status === 'exists')).toBe(true);
    // At least the random layer (the busybox ones may be in the registry already: "exists").
    expect(lastPush?.bytesTotal).toBeGreaterThanOrEqual(1_500_000);
    expect(lastPush?.bytesDone).toBe(lastPush?.bytesTotal);

    await t.client.call('images.remove', { ref: `${repo}:latest` });
    await expectError(t.client.call('images.inspect', { ref: repo }), 'IMAGE_NOT_FOUND');

    const pulled = await runToEnd(t.client, 'images.pull', { ref: repo });
    const done = pulled[pulled.length - 1];
    expect(done).toEqual({ done: true, id, ref: `${repo}:latest`, digest: pushDone && 'digest' in pushDone ? pushDone.digest : 'missing' });
    const progress = progressOf(pulled);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    const last = progress.at(-1) as TransferProgress;
    if (!noLayers()) {
      // The busybox layers were already here; the random layer was downloaded and extracted.
      expect(last.layers.filter((l) => l.status === 'exists').length).toBeGreaterThanOrEqual(2);
      expect(last.layers.filter((l) => l.status === 'complete').length).toBeGreaterThanOrEqual(1);
    } else {
      // Skipped on this engine (it lacks the "layerProgress" capability): no per-layer assertions; the totals below hold.
      expect(last.layers).toEqual([]);
    }
    expect(last.bytesTotal).toBeGreaterThan(1_000_000);
    expect(last.bytesDone).toBe(last.bytesTotal);
    // The engine's own closing words.
    expect(last.message).toMatch(eng.kind === 'docker' ? /^Status: Downloaded newer image for / : /^Completed pull from OCI Registry \(/);
    // While running, a totals-only engine does not know the end yet (bytesTotal 0).
    for (const p of progress) expect(p.bytesDone).toBeLessThanOrEqual(noLayers() && p.bytesTotal === 0 ? Infinity : p.bytesTotal);
    expect((await t.client.call('images.inspect', { ref: repo })).repoDigests).toEqual([`${repo}@${last && done && 'digest' in done ? done.digest : ''}`]);

    // A platform is passed on (dockerd 20.10 does not check it against a single-platform image).
    const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as string] ?? process.arch;
    expect((await runToEnd(t.client, 'images.pull', { ref: repo, platform: `linux/${arch}` })).at(-1)).toMatchObject({ done: true, id });
    await expectError(runToEnd(t.client, 'images.pull', { ref: repo, platform: 'linux' }), 'INVALID_INPUT', /platform: must look like os\/arch/);

    // Pulling again is a no-op that still ends with the image.
    const again = await runToEnd(t.client, 'images.pull', { ref: `${repo}:latest` });
    expect(again.at(-1)).toMatchObject({ done: true, id });
    const lastAgain = progressOf(again).at(-1);
    if (eng.kind === 'docker') expect(lastAgain?.message).toMatch(/^Status: Image is up to date/);
    // nerdctl says nothing of the kind: its running total shows only the manifest was read again, not the 1.5 MB layer.
    else expect(lastAgain?.bytesDone).toBeLessThan(1_000_000);
  });

  it('IMAGE_NOT_FOUND for a pull of a missing repository or tag, and a push of a missing image', async () => {
    const { registry } = useEngine();
    const missing = `${registry}/missing-${uniq('x')}:x`;
    const sub = subscribe(t.client, 'images.pull', { ref: missing });
    await sub.settled;
    expect(sub.error?.code).toBe('IMAGE_NOT_FOUND');
    expect(sub.error?.message).toBe(`The image "${missing}" was not found.`);
    expect(sub.error?.hint).toBe('Pull it first, or check the name and tag.');
    // The engine's own words: dockerd's, or nerdctl's ("failed to resolve image: …: not found").
    expect(String(sub.error?.details?.engineMessage ?? sub.error?.details?.stderr)).toMatch(eng.kind === 'docker' ? /manifest for .* not found: manifest unknown/ : /not found/);
    // Nothing was transferred (nerdctl's transfer prints its opening line before it knows the image is missing).
    expect(sub.items.filter((i) => i.done || i.layers.length > 0 || i.bytesDone > 0)).toEqual([]);
    if (eng.kind === 'docker') expect(sub.items).toEqual([]);
    await expectError(runToEnd(t.client, 'images.push', { ref: `${registry}/${uniq('berth-test/nothere')}:1` }), 'IMAGE_NOT_FOUND');
  });

  it('INVALID_REFERENCE before touching the engine', async () => {
    await expectError(runToEnd(t.client, 'images.pull', { ref: 'Busybox' }), 'INVALID_REFERENCE', '"Busybox" is not a valid image reference: the repository name must be lowercase.');
    await expectError(runToEnd(t.client, 'images.pull', { ref: 'busybox:' }), 'INVALID_REFERENCE', /not a valid tag/);
    await expectError(runToEnd(t.client, 'images.push', { ref: `x@sha256:${'1'.repeat(64)}` }), 'INVALID_REFERENCE', /has a digest; push a tag instead/);
  });

  it('cancels a pull: the download stops and the image is not there', async () => {
    const { registry } = useEngine();
    const path = uniq('berth-test/slow');
    // Straight into the registry: no engine has these blobs locally (containerd would keep a built image's blobs
    // under BuildKit's leases after rmi, and its pull would then read them from the local store, not the proxy).
    await pushRandomImage(registry, path, '1', 3_000_000);

    const proxy = await slowProxy(registry, 256 * 1024);
    const viaProxy = `${proxy.host}/${path}:1`;
    made.push(viaProxy);
    try {
      const sub = subscribe(t.client, 'images.pull', { ref: viaProxy });
      // The random layer is under way through the slow proxy (and, with per-layer progress, shown downloading).
      await sub.until(() => proxy.state.blobBytesSent > 0 && proxy.state.blobsStarted > proxy.state.blobsFinished);
      if (!noLayers()) await sub.until((items) => progressOf(items).some((p) => p.layers.some((l) => l.status === 'downloading' && l.current > 0)));
      sub.cancel();
      // The engine (dockerd; nerdctl, killed with the pull) closes its blob download once nobody waits for the pull any more.
      const deadline = Date.now() + 20_000;
      while (proxy.state.blobsAborted === 0 && Date.now() < deadline) await sleep(50);
      expect(proxy.state.blobsAborted).toBeGreaterThanOrEqual(1);
      expect(sub.items.some((i) => i.done)).toBe(false);
      await sleep(300);
      expect(t.core.rpc.activeSubscriptions()).toBe(0);
      await expectError(t.client.call('images.inspect', { ref: viaProxy }), 'IMAGE_NOT_FOUND');
      expect((await t.client.call('images.list', {})).some((i) => i.repoTags.includes(viaProxy))).toBe(false);
    } finally {
      await proxy.close();
    }
  });
});
