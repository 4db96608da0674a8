import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLocalNerdctlRunner, createNerdctlEngine } from '../../app/adapters/engine/nerdctl';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import { logLines } from '../../app/contract/logs';
import type { Logger } from '../../app/ports/logger';
import { startContainerd, type Containerd } from '../support/containerd';
import { randomSuffix } from '../support/engine';
import { buildBusyboxInto } from '../support/peers-setup';
import { describePeer } from '../support/peers';
import { startRegistry, type Registry } from '../support/registry';

const execFileP = promisify(execFile);
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

/** Convert → push → lazy pull through Berth's nerdctl adapter on a containerd with the stargz snapshotter. */
describePeer('containerd', 'lazy pulling through the nerdctl engine (stargz snapshotter)', () => {
  let c: Containerd;
  let registry: Registry;
  let engine: ContainerEngine;
  const nerdctl = (...args: string[]) => execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 64 << 20 });

  beforeAll(async () => {
    registry = await startRegistry();
    c = await startContainerd({ stargz: true });
    const runner = createLocalNerdctlRunner(createProcessRunner(quiet), { program: c.nerdctl, globalArgs: c.nerdctlArgs, env: c.env });
    engine = createNerdctlEngine({ id: 'nerdctl', name: 'nerdctl', runner, log: quiet, env: process.env, namespace: c.namespace });
  });
  /** `source` converted by images.convert, pushed to the local registry and removed here; its reference. */
  const pushedEstargz = async (name: string, source: string): Promise<string> => {
    const ref = `${registry.host}/berth-test/${name}-${randomSuffix()}:1`;
    if (!engine.images.convert) throw new Error('no convert');
    await engine.images.convert({ source, target: ref, format: 'estargz' });
    await nerdctl('push', '--insecure-registry', ref);
    await nerdctl('rmi', ref);
    return ref;
  };
  afterAll(async () => {
    await c?.dispose();
    await registry?.stop();
  });

  it('an image converted by images.convert and pushed is pulled lazily: its layers are FUSE mounts, and it runs', async () => {
    const busybox = await buildBusyboxInto(c);
    const ref = await pushedEstargz('lazy', busybox);
    const before = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(c.dir) && l.includes('fuse')).length;
    const done = await engine.images.pull({ ref, lazy: true }, () => {}, new AbortController().signal);
    expect(done).toMatchObject({ done: true, id: expect.stringMatching(/^sha256:/) });
    const after = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(c.dir) && l.includes('fuse')).length;
    expect(after, 'remote layers mounted through FUSE').toBeGreaterThan(before);
    // The engine says it pulls lazily (its info names the stargz snapshotter), and the image is eStargz; the source is not.
    await engine.system.version();
    expect(engine.capabilities.lazyPull).toBe(true);
    expect((await engine.images.inspect(ref)).estargz).toBe(true);
    expect((await engine.images.inspect(busybox)).estargz).toBe(false);
    // Run through Berth (nerdctl's snapshotter stays overlayfs): the adapter runs a lazily pulled image on stargz.
    const run = await engine.containers.run({ image: ref, network: 'none', command: ['echo', 'lazily pulled'] });
    try {
      expect(await firstLogLine(engine, run.id)).toBe('lazily pulled');
      // Its details say so (the Overview shows "Pulled lazily").
      expect((await engine.containers.inspect(run.id)).lazy).toBe(true);
      // Started again (a second task on the same stargz snapshot): the line comes twice.
      await engine.containers.start(run.id);
      expect(await logLineCount(engine, run.id, 'lazily pulled', 2)).toBe(2);
    } finally {
      await engine.containers.remove(run.id, { force: true });
    }
    await expect(engine.containers.inspect(run.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Recreate (a changed command) creates the copy on the stargz snapshotter too.
    const kept = await engine.containers.create({ image: ref, network: 'none', command: ['echo', 'first'] });
    const copy = await engine.containers.recreate(kept.id, { command: ['echo', 'recreated'] });
    try {
      const [native] = JSON.parse((await nerdctl('container', 'inspect', '--mode=native', copy.id)).stdout) as Array<{ Snapshotter?: string }>;
      expect(native?.Snapshotter).toBe('stargz');
      expect((await engine.containers.inspect(copy.id)).args).toEqual(['recreated']);
      expect((await engine.containers.inspect(copy.id)).lazy).toBe(true);
    } finally {
      await engine.containers.remove(copy.id, { force: true });
    }
  });

  it('an eStargz image pulled whole (not lazily) runs through containers.run too', async () => {
    const ref = await pushedEstargz('whole', await buildBusyboxInto(c));
    await engine.images.pull({ ref }, () => {}, new AbortController().signal);
    expect((await engine.images.inspect(ref)).estargz).toBe(true);
    const run = await engine.containers.run({ image: ref, network: 'none', command: ['echo', 'pulled whole'] });
    try {
      expect(await firstLogLine(engine, run.id)).toBe('pulled whole');
    } finally {
      await engine.containers.remove(run.id, { force: true });
    }
  });

  it('a containerd without the stargz snapshotter says so: no lazyPull, a lazy pull is refused before nerdctl runs, and an image without its layer content does not run (not "image not found")', async () => {
    const plain = await startContainerd();
    try {
      const runner = createLocalNerdctlRunner(createProcessRunner(quiet), { program: plain.nerdctl, globalArgs: plain.nerdctlArgs, env: plain.env });
      const e = createNerdctlEngine({ id: 'plain', name: 'plain', runner, log: quiet, env: process.env, namespace: plain.namespace });
      await e.system.version();
      expect(e.capabilities.lazyPull).toBeUndefined();
      await expect(e.images.pull({ ref: `${registry.host}/berth-test/none:1`, lazy: true }, () => {}, new AbortController().signal)).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
      // An image whose layers are not in the content store (as a lazily pulled one's are not): pulled without
      // unpacking, its layer content removed. Run says so; it is not "image not found", and nothing is created.
      const ref = `${registry.host}/berth-test/partial-${randomSuffix()}:1`;
      const sh = (prog: string, ...args: string[]) => execFileP(prog, args, { env: { ...process.env, ...plain.env }, maxBuffer: 16 << 20 });
      const source = await buildBusyboxInto(plain);
      await sh(plain.nerdctl, ...plain.nerdctlArgs, 'tag', source, ref);
      await sh(plain.nerdctl, ...plain.nerdctlArgs, 'push', '--insecure-registry', ref);
      // Both names gone: the snapshots unpacked by the build go with them.
      await sh(plain.nerdctl, ...plain.nerdctlArgs, 'rmi', ref, source);
      await sh(plain.nerdctl, ...plain.nerdctlArgs, 'pull', '--insecure-registry', '--unpack=false', ref);
      const native = JSON.parse((await sh(plain.nerdctl, ...plain.nerdctlArgs, 'image', 'inspect', '--mode=native', ref)).stdout) as Array<{ Manifest: { layers: Array<{ digest: string }> } }>;
      const layers = native[0]?.Manifest.layers.map((l) => l.digest) ?? [];
      expect(layers.length).toBeGreaterThan(0);
      await sh(plain.ctr, '--address', plain.address, '--namespace', plain.namespace, 'content', 'rm', ...layers);
      const before = (await e.containers.list({ all: true })).length;
      const failed = await e.containers.run({ image: ref, network: 'none', command: ['true'] }).catch((err: unknown) => err);
      expect(failed).toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringContaining("is not in containerd's content store") });
      expect((failed as { hint?: string }).hint).toMatch(/stargz snapshotter/);
      expect((await e.images.inspect(ref)).id).toMatch(/^sha256:/);
      expect((await e.containers.list({ all: true })).length).toBe(before);
    } finally {
      await plain.dispose();
    }
  });
});

/** The container's first log line through Berth's logs.stream (following until it comes). */
async function firstLogLine(engine: ContainerEngine, id: string): Promise<string> {
  const ac = new AbortController();
  try {
    for await (const batch of engine.logs.stream(id, { follow: true }, ac.signal)) {
      const line = logLines(batch)[0];
      if (line) return line.text;
    }
  } finally {
    ac.abort();
  }
  throw new Error(`no log line from ${id}`);
}

/** Follows the logs until `text` came `n` times (the container ran n times); returns how many came. */
async function logLineCount(engine: ContainerEngine, id: string, text: string, n: number): Promise<number> {
  const ac = new AbortController();
  let seen = 0;
  try {
    for await (const batch of engine.logs.stream(id, { follow: true }, ac.signal)) {
      seen += logLines(batch).filter((l) => l.text === text).length;
      if (seen >= n) break;
    }
  } finally {
    ac.abort();
  }
  return seen;
}
