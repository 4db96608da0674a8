/**
 * The Kubernetes service over the real cache, kubeconfig files and settings store in a temp folder. k3s itself cannot
 * run on this machine (see the issue 17 note), so the guest is a scripted stand-in: k3s' kubeconfig appears after a few
 * polls, as it does while k3s starts.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { K3sCache } from '../../../app/adapters/kube/k3s-cache';
import { createKubeconfigStore } from '../../../app/adapters/kube/k3s-guest';
import { UserKubeconfig } from '../../../app/adapters/kube/kubeconfig-file';
import { renameK3sKubeconfig } from '../../../app/adapters/kube/kubeconfig-text';
import { FileSettingsStore } from '../../../app/adapters/settings/file-store';
import type { KubernetesStatus } from '../../../app/contract/kubernetes';
import type { VmStatus } from '../../../app/contract/vm';
import type { Logger } from '../../../app/ports/logger';
import { KubernetesService } from '../../../app/services/kubernetes';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };
const K3S = `apiVersion: v1
clusters:
- cluster: {certificate-authority-data: Q0E=, server: 'https://127.0.0.1:6443'}
  name: default
contexts:
- context: {cluster: default, user: default}
  name: default
current-context: default
kind: Config
users:
- name: default
  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}
`;
const USER = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: 'https://prod:6443'}
users:
- name: prod
  user: {token: t}
contexts:
- name: prod
  context: {cluster: prod, user: prod}
current-context: prod
`;

function fakeVm(state: VmStatus['state']) {
  const listeners = new Set<(s: VmStatus) => void>();
  let st = { state } as VmStatus;
  return {
    status: () => st,
    subscribe(l: (s: VmStatus) => void) {
      listeners.add(l);
      l(st);
      return () => listeners.delete(l);
    },
    set(s: VmStatus['state']) {
      st = { ...st, state: s };
      for (const l of listeners) l(st);
    },
  };
}

/** A loopback port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kube-svc-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function setup(opts: { baseUrl?: string; kubernetes?: boolean } = {}) {
  const settings = new FileSettingsStore(path.join(dir, 'settings.json'), quiet);
  await settings.load();
  await settings.update({ vm: { kubernetes: opts.kubernetes ?? true, kubernetesPort: 7443, containerdRootful: true } });
  const vm = fakeVm('stopped');
  let polls = 0;
  const resets: string[] = [];
  const guest = {
    readKubeconfig: async () => (++polls >= 3 ? K3S : null),
    ready: async () => true,
    reset: async () => {
      resets.push('reset');
    },
  };
  const userFile = path.join(dir, 'home', '.kube', 'config');
  fs.mkdirSync(path.dirname(userFile), { recursive: true });
  fs.writeFileSync(userFile, USER);
  const svc = new KubernetesService({
    settings,
    vm,
    cache: new K3sCache({ root: path.join(dir, 'k3s'), log: quiet, ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}) }),
    arch: 'amd64',
    user: new UserKubeconfig(userFile),
    guest,
    store: createKubeconfigStore(path.join(dir, 'kubernetes', 'kubeconfig.yaml')),
    rename: renameK3sKubeconfig,
    log: quiet,
    pollMs: 10,
  });
  await svc.init();
  return { svc, vm, userFile, resets, settings };
}

const until = (svc: KubernetesService, pred: (s: KubernetesStatus) => boolean) =>
  new Promise<KubernetesStatus>((resolve) => {
    const off = svc.subscribe((s) => {
      if (pred(s)) {
        queueMicrotask(() => off());
        resolve(s);
      }
    });
  });

describe('Kubernetes service', () => {
  it('follows the VM: starting, then the kubeconfig copied to the host renamed to berth (0600), then running', async () => {
    const { svc, vm } = await setup();
    expect(svc.status()).toMatchObject({ enabled: true, state: 'vm-stopped', port: 7443, kubeconfig: null, merge: { merged: false, contexts: ['prod'] } });
    vm.set('running');
    expect(svc.status().state).toBe('starting');
    const s = await until(svc, (x) => x.state === 'running');
    const file = path.join(dir, 'kubernetes', 'kubeconfig.yaml');
    expect(s.kubeconfig).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ 'current-context': 'berth', clusters: [{ name: 'berth', cluster: { server: 'https://127.0.0.1:7443' } }] });
    vm.set('stopped');
    expect(svc.status().state).toBe('vm-stopped');
    svc.dispose();
  });

  it('merge and undo through the service; a merged context is refreshed when the cluster is copied again', async () => {
    const { svc, vm, userFile, resets } = await setup();
    await expect(svc.setMerged(true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    vm.set('running');
    await until(svc, (x) => x.state === 'running');
    expect((await svc.setMerged(true)).merge).toMatchObject({ merged: true, contexts: ['prod', 'berth'], current: 'prod' });
    expect((await svc.useContext('berth')).merge.current).toBe('berth');
    await expect(svc.reset()).resolves.toMatchObject({ state: 'starting', kubeconfig: null });
    expect(resets).toEqual(['reset']);
    const again = await until(svc, (x) => x.state === 'running');
    expect(again.merge).toMatchObject({ merged: true, current: 'berth' });
    expect((await svc.setMerged(false)).merge).toMatchObject({ merged: false, contexts: ['prod'], current: 'prod' });
    expect(fs.readFileSync(userFile, 'utf8')).toBe(USER);
    svc.dispose();
  });

  it('Reset states what it deletes and keeps, and needs a running VM', async () => {
    const { svc } = await setup();
    const st = svc.resetStatement();
    expect(st.deletes.map((d) => d.path)).toEqual(['VM: /var/lib/rancher/k3s', 'VM: /etc/rancher/k3s/k3s.yaml', 'VM: containers of the pods']);
    expect(st.keeps.join('\n')).toContain(path.join(dir, 'k3s'));
    await expect(svc.reset()).rejects.toMatchObject({ code: 'VM_NOT_RUNNING' });
    svc.dispose();
  });

  it('a download that cannot reach the releases fails the start with a typed error and says why', async () => {
    const { svc } = await setup({ baseUrl: `http://127.0.0.1:${await closedPort()}/dl` });
    await expect(svc.prepare()).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
    expect(svc.status()).toMatchObject({ state: 'error', reason: expect.stringContaining('could not be downloaded') });
    svc.dispose();
  });

  it('off: nothing is downloaded and the state says off', async () => {
    const { svc } = await setup({ kubernetes: false, baseUrl: 'http://127.0.0.1:9/none' });
    await expect(svc.prepare()).resolves.toMatchObject({ state: 'off', enabled: false });
    expect(fs.existsSync(path.join(dir, 'k3s'))).toBe(false);
    svc.dispose();
  });
});
