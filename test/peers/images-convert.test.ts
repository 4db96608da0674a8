import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLocalNerdctlRunner, createNerdctlEngine } from '../../app/adapters/engine/nerdctl';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import { createTestCore, randomSuffix, type TestCore } from '../support/engine';
import { describePeer, useContainerd, type ContainerdPeer } from '../support/peers';
import { startRegistry, type Registry } from '../support/registry';
import { expectError } from '../contract/images-support';

const execFileP = promisify(execFile);
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

const getJson = (host: string, p: string, accept: string) =>
  new Promise<Record<string, unknown>>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: Number(host.split(':')[1]), path: p, headers: { Accept: accept } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as Record<string, unknown>) : reject(new Error(`${res.statusCode} ${body}`))));
      })
      .on('error', reject);
  });

/** images.convert on the nerdctl engine: an eStargz image whose pushed manifest carries the stargz TOC of each layer. */
describePeer('containerd', 'images.convert to eStargz (nerdctl engine)', () => {
  let c: ContainerdPeer;
  let engine: ContainerEngine;
  let registry: Registry;
  const nerdctl = (...args: string[]) => execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 64 << 20 });

  beforeAll(async () => {
    c = useContainerd();
    registry = await startRegistry();
    const runner = createLocalNerdctlRunner(createProcessRunner(quiet), { program: c.nerdctl, globalArgs: c.nerdctlArgs, env: c.env });
    engine = createNerdctlEngine({ id: 'nerdctl', name: 'nerdctl', runner, log: quiet, env: process.env, namespace: c.namespace });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('converts a local image; pushed, its layers are eStargz (TOC digest annotations)', async () => {
    const repo = `berth-test/esgz-${randomSuffix()}`;
    const target = `${registry.host}/${repo}:1`;
    const convert = engine.images.convert;
    if (!convert) throw new Error('the nerdctl engine has no convert');
    const r = await convert.call(engine.images, { source: c.images.busybox, target, format: 'estargz' });
    try {
      expect(r).toMatchObject({ target, format: 'estargz', id: expect.stringMatching(/^sha256:/) });
      await nerdctl('push', '--insecure-registry', target);
      const manifest = await getJson(registry.host, `/v2/${repo}/manifests/1`, 'application/vnd.oci.image.manifest.v1+json');
      const layers = manifest.layers as Array<{ annotations?: Record<string, string> }>;
      expect(layers.length).toBeGreaterThan(0);
      for (const l of layers) expect(l.annotations?.['containerd.io/snapshot/stargz/toc.digest']).toMatch(/^sha256:/);
    } finally {
      await nerdctl('rmi', '-f', target).catch(() => undefined);
    }
    await expect(convert.call(engine.images, { source: 'no-such-image:nope', target: `${registry.host}/${repo}:2`, format: 'estargz' })).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND|COMMAND_FAILED/) });
  });
});

describePeer('containerd', 'images.convert on dockerd', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => {
    await t?.dispose();
  });
  it('answers NOT_SUPPORTED, naming the containerd engine', async () => {
    await expectError(t.client.call('images.convert', { source: 'busybox', target: 'x/y:1' }), 'NOT_SUPPORTED', /eStargz/);
  });
});
