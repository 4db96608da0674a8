import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, randomSuffix, testNerdctl, useEngine, type TestCore } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { nerdctlDropNamespace, nerdctlRaw } from '../support/nerdctl-raw';

/**
 * images.load on nerdctl while another load runs in the same containerd namespace: nerdctl prints the
 * "Loaded image:" lines of every import it sees in the namespace, so each load must report what its own
 * archive holds, never the other's images. A namespace of its own, so no other suite's load joins in.
 */
describeEngine('nerdctl: concurrent images.load in one namespace', () => {
  const ns = `berth-load-${randomSuffix()}`;
  const ROUNDS = 3;
  let n: NerdctlTestEngine;
  let t: TestCore;
  let dir: string;
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const images = [
    { ref: 'berth-test/load-a:1', file: '' },
    { ref: 'berth-test/load-b:1', file: '' },
  ];
  const ids: string[] = [];
  // Two archives that name the same image with different content (two builds of one tag, saved in turn).
  const SAME = 'berth-test/load-same:1';
  const same = [
    { file: '', id: '' },
    { file: '', id: '' },
  ];

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-load-ns-'));
    const busybox = useEngine().images.busybox;
    await nerdctlRaw(n, 'save', '-o', path.join(dir, 'busybox.tar'), busybox);
    await nr('load', '-i', path.join(dir, 'busybox.tar'));
    t = await createTestCore();
    // The namespace selector, as a user switches (it exists once the image is loaded).
    expect((await t.client.call('engines.setNamespace', { namespace: ns })).current).toBe(ns);
    // Two images of different content (commits: no BuildKit needed), each saved to an archive of its own.
    for (const [k, img] of images.entries()) {
      await nr('run', '--name', `maker-${k}`, '--network', 'none', busybox, 'sh', '-c', `echo ${k} > /made`);
      await nr('commit', `maker-${k}`, img.ref);
      await nr('rm', `maker-${k}`);
      img.file = path.join(dir, `${k}.tar`);
      await nr('save', '-o', img.file, img.ref);
      ids.push((await t.client.call('images.inspect', { ref: img.ref })).id);
    }
    expect(new Set(ids).size).toBe(2);
    for (const [k, s] of same.entries()) {
      await nr('tag', images[k]!.ref, SAME);
      s.file = path.join(dir, `same-${k}.tar`);
      await nr('save', '-o', s.file, SAME);
      s.id = ids[k]!;
    }
  });

  afterAll(async () => {
    await t?.dispose();
    if (n) await nerdctlDropNamespace(n, ns);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two loads at the same time each report only the images of their own archive', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      for (const img of images) await nr('rmi', img.ref);
      const [a, b] = await Promise.all(images.map((img) => t.client.call('images.load', { path: img.file })));
      expect({ round, a, b }).toEqual({
        round,
        a: { refs: ['berth-test/load-a:1'], ids: [ids[0]] },
        b: { refs: ['berth-test/load-b:1'], ids: [ids[1]] },
      });
    }
  });

  it('two loads at the same time of archives that name one image each report the image of their own archive', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await nr('rmi', SAME).catch(() => undefined);
      const [a, b] = await Promise.all(same.map((s) => t.client.call('images.load', { path: s.file })));
      expect({ round, a, b }).toEqual({ round, a: { refs: [SAME], ids: [same[0]!.id] }, b: { refs: [SAME], ids: [same[1]!.id] } });
    }
  });
});
