/**
 * The kubernetes.* procedures through a real core and its router (in-process transport: inputs and outputs are checked
 * against the contract). The user's kubeconfig is a file in a temp HOME; no VM runs here (native mode).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../app/composition';
import { connectInProcess } from '../../support/inproc';

const USER = 'apiVersion: v1\nkind: Config\ncontexts:\n- name: a\n  context: {cluster: a, user: a}\n- name: b\n  context: {cluster: b, user: b}\ncurrent-context: a\n';

describe('kubernetes API', () => {
  let dir: string;
  let core: Core;
  let client: ReturnType<typeof connectInProcess>;
  let kubeconfig: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kube-api-'));
    kubeconfig = path.join(dir, 'home', '.kube', 'config');
    fs.mkdirSync(path.dirname(kubeconfig), { recursive: true });
    fs.writeFileSync(kubeconfig, USER);
    core = await createCore({ dataDir: path.join(dir, 'data'), mode: 'web', version: '0.0.0-test', env: { HOME: path.join(dir, 'home'), PATH: '/nonexistent', DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' } });
    client = connectInProcess(core.rpc);
  });
  afterAll(async () => {
    client?.close();
    await core?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('status: off by default, port 6443, the user’s kubeconfig and its contexts', async () => {
    expect(await client.client.call('kubernetes.status', {})).toMatchObject({
      enabled: false,
      state: 'off',
      port: 6443,
      kubeconfig: null,
      cached: [],
      merge: { file: kubeconfig, merged: false, contexts: ['a', 'b'], current: 'a' },
    });
  });

  it('switches the current context (only that value changes); an unknown one is NOT_FOUND and changes nothing', async () => {
    expect((await client.client.call('kubernetes.useContext', { context: 'b' })).merge.current).toBe('b');
    expect(fs.readFileSync(kubeconfig, 'utf8')).toBe(USER.replace('current-context: a', 'current-context: b'));
    await expect(client.client.call('kubernetes.useContext', { context: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await client.client.call('kubernetes.useContext', { context: 'a' });
    expect(fs.readFileSync(kubeconfig, 'utf8')).toBe(USER);
  });

  it('merge needs Berth’s kubeconfig first; reset needs a running VM and its confirmation', async () => {
    await expect(client.client.call('kubernetes.setMerged', { merged: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await client.client.call('kubernetes.setMerged', { merged: false })).merge.merged).toBe(false);
    expect(fs.readFileSync(kubeconfig, 'utf8')).toBe(USER);
    await expect(client.client.call('kubernetes.reset', {} as { confirm: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(client.client.call('kubernetes.reset', { confirm: true })).rejects.toMatchObject({ code: 'VM_NOT_RUNNING' });
    const st = await client.client.call('kubernetes.resetStatement', {});
    expect(st.deletes[0]).toEqual({ path: 'VM: /var/lib/rancher/k3s', what: expect.stringContaining('every object') });
  });
});
