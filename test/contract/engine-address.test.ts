import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, describeEngine, testNerdctl, useEngine, type TestCore } from '../support/engine';
import { tcpProxyTo, type TcpProxy } from '../support/tcp-proxy';
import { expectError } from './images-support';

/** A custom address names a Docker-API engine: the `nerdctl` project (no Docker API) skips this file, saying so. */
const suite = testNerdctl()
  ? (name: string, fn: () => void) => describe.skip(`${name} [skipped: a custom address names a Docker-API engine; this project's engine is nerdctl over containerd]`, fn)
  : describeEngine;
const byId = (list: Array<{ id: string; active: boolean }>) => list.map((x) => [x.id, x.active]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

/** A custom engine address: checked (connect + version) before anything is saved; a refused one changes nothing. */
suite('engines: a custom engine address', () => {
  let t: TestCore;
  let proxy: TcpProxy;
  const settingsFile = () => path.join(t.dataDir, 'settings.json');
  const saved = () => (fs.existsSync(settingsFile()) ? fs.readFileSync(settingsFile(), 'utf8') : '');

  beforeAll(async () => {
    t = await createTestCore();
    proxy = await tcpProxyTo(useEngine().socketPath);
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.dispose();
  });

  it('checks an address by asking the engine there for its version', async () => {
    const res = await t.client.call('engines.checkAddress', { host: proxy.address });
    expect(res.endpoint).toBe(proxy.address);
    expect(res.version.product).toMatch(/Docker|Podman|Engine/);
    expect(res.version.apiVersion).toMatch(/^\d+\.\d+$/);
  });

  it('refuses an address where nothing answers, and one that is not an address; nothing is saved or added', async () => {
    const before = saved();
    const missing = path.join(t.dataDir, 'nothing-here.sock');
    const e = await expectError(t.client.call('engines.addAddress', { host: `unix://${missing}` }), 'ENGINE_UNREACHABLE', new RegExp(`^No container engine answered at unix://${missing}`));
    expect(e.hint).toMatch(/address is right/);
    await expectError(t.client.call('engines.addAddress', { host: 'docker.example' }), 'INVALID_INPUT', /not a usable engine address: it has no scheme/);
    await expectError(t.client.call('engines.checkAddress', { host: '   ' }), 'INVALID_INPUT');
    expect(saved()).toBe(before);
    expect((await t.client.call('engines.list', {})).map((x) => x.id)).toEqual(['local']);
  });

  it('adds a good address as the active custom engine, remembers it, and lists go through it', async () => {
    const res = await t.client.call('engines.addAddress', { host: proxy.address });
    expect(res).toMatchObject({ id: 'custom', endpoint: proxy.address });
    const engines = await t.client.call('engines.list', {});
    expect(byId(engines)).toEqual([
      ['custom', true],
      ['local', false],
    ]);
    expect(JSON.parse(saved()).engine).toMatchObject({ customHost: proxy.address, active: 'custom' });
    expect(Array.isArray(await t.client.call('containers.list', {}))).toBe(true);

    await t.client.call('engines.setActive', { id: 'local' });
    expect((await t.client.call('engines.list', {})).find((x) => x.active)?.id).toBe('local');
    await t.client.call('engines.setActive', { id: 'custom' });

    expect(await t.client.call('engines.removeAddress', {})).toEqual({ removed: true });
    const after = await t.client.call('engines.list', {});
    expect(byId(after)).toEqual([['local', true]]);
    expect(JSON.parse(saved()).engine).toMatchObject({ customHost: '', active: '' });
  });
});
