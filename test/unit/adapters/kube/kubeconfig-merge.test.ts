/**
 * The opt-in merge of a `berth` context into the user's kubeconfig: the other contexts and every other byte stay
 * as they were after merge, and undo gives the file back byte for byte; the write is atomic and mode 0600.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UserKubeconfig, userKubeconfigPath, writeFileAtomic } from '../../../../app/adapters/kube/kubeconfig-file';
import { mergeBerthContext, removeBerthContext, renameK3sKubeconfig, berthEntries, setCurrentContext } from '../../../../app/adapters/kube/kubeconfig-text';

/** k3s' own kubeconfig, as /etc/rancher/k3s/k3s.yaml is written (names `default`). */
const K3S = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2s=
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: Y2VydA==
    client-key-data: a2V5
`;

/** A user's kubeconfig with the habits of real ones: comments, indented and unindented lists, quoting, flow maps, no final newline. */
const USER = `# my clusters — do not lose this comment
apiVersion: v1
kind: Config
preferences: {}
clusters:
  - name: prod   # the big one
    cluster:
      server: "https://prod.example.com:6443"
      certificate-authority: /home/al/.kube/prod-ca.crt
  - name: kind-dev
    cluster: {server: 'https://127.0.0.1:41235', insecure-skip-tls-verify: true}
users:
  - name: al@prod
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: gke-gcloud-auth-plugin
        args: ["--verbose"]
  - name: kind-dev
    user: {token: abc}
contexts:
  - name: prod
    context: {cluster: prod, user: al@prod, namespace: payments}
  - name: kind-dev
    context:
      cluster: kind-dev
      user: kind-dev
current-context: prod
# trailing remark`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kubeconfig-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const berth = renameK3sKubeconfig(K3S, 7443);

describe('kubeconfig merge', () => {
  it('renames the VM’s kubeconfig to berth and points it at the forwarded port', () => {
    const cfg = parse(berth);
    expect(cfg['current-context']).toBe('berth');
    expect(cfg.clusters).toEqual([{ name: 'berth', cluster: { 'certificate-authority-data': expect.any(String), server: 'https://127.0.0.1:7443' } }]);
    expect(cfg.users).toEqual([{ name: 'berth', user: { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' } }]);
    expect(cfg.contexts).toEqual([{ name: 'berth', context: { cluster: 'berth', user: 'berth' } }]);
    expect(() => renameK3sKubeconfig('apiVersion: v1\n', 6443)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('adds berth entries at the end of each list, every other byte kept; undo gives the file back byte for byte', () => {
    const merged = mergeBerthContext(USER, berthEntries(berth));
    // Every line of the user's file is still there, in order, unchanged; the new lines are Berth's alone.
    const userLines = `${USER}\n`.split('\n');
    const mergedLines = merged.split('\n');
    let i = 0;
    for (const l of mergedLines) if (l === userLines[i]) i++;
    expect(i).toBe(userLines.length);
    expect(mergedLines.length - userLines.length).toBe(12); // four lines each for Berth's cluster, user and context
    const cfg = parse(merged);
    expect(cfg.contexts.map((c: { name: string }) => c.name)).toEqual(['prod', 'kind-dev', 'berth']);
    expect(cfg.clusters.at(-1)).toEqual({ name: 'berth', cluster: expect.objectContaining({ server: 'https://127.0.0.1:7443' }) });
    expect(cfg['current-context']).toBe('prod');
    expect(merged).toContain('\n  - name: berth\n    cluster:\n'); // indented like the user's items
    expect(removeBerthContext(merged)).toBe(`${USER}\n`);
    // Merging again replaces in place: the same text.
    expect(mergeBerthContext(merged, berthEntries(berth))).toBe(merged);
    const moved = mergeBerthContext(merged, berthEntries(renameK3sKubeconfig(K3S, 9443)));
    expect(moved.replace('127.0.0.1:9443', '127.0.0.1:7443')).toBe(merged);
  });

  it('into an unindented kubectl-style file, an empty list and a missing file', () => {
    const kubectl = K3S.replaceAll('default', 'other');
    const m = mergeBerthContext(kubectl, berthEntries(berth));
    expect(m).toContain('\n- name: berth\n  cluster:\n');
    expect(removeBerthContext(m)).toBe(kubectl);
    const empty = 'apiVersion: v1\nclusters: []\ncontexts: []\nusers: []\nkind: Config\n';
    expect(parse(mergeBerthContext(empty, berthEntries(berth))).contexts).toEqual([{ name: 'berth', context: { cluster: 'berth', user: 'berth' } }]);
    expect(parse(mergeBerthContext('', berthEntries(berth)))).toMatchObject({ apiVersion: 'v1', kind: 'Config', users: [{ name: 'berth' }] });
  });

  it('a current context of berth falls back on undo; switching contexts changes only that value', () => {
    const merged = mergeBerthContext(USER, berthEntries(berth));
    const onBerth = setCurrentContext(merged, 'berth');
    expect(onBerth).toBe(merged.replace('current-context: prod', 'current-context: berth'));
    expect(parse(removeBerthContext(onBerth))['current-context']).toBe('prod');
    expect(() => setCurrentContext(USER, 'nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => mergeBerthContext('clusters: [\n', berthEntries(berth))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('on disk: merge and undo through KUBECONFIG’s first file, atomic, 0600, a symlink kept and its target written', async () => {
    const real = path.join(dir, 'real-config');
    fs.writeFileSync(real, USER, { mode: 0o644 });
    const link = path.join(dir, 'config');
    fs.symlinkSync(real, link);
    const file = userKubeconfigPath({ KUBECONFIG: `${link}${path.delimiter}${path.join(dir, 'second')}` });
    expect(file).toBe(link);
    const k = new UserKubeconfig(file);
    expect(await k.state()).toEqual({ file, merged: false, contexts: ['prod', 'kind-dev'], current: 'prod' });
    expect(await k.merge(berth)).toMatchObject({ merged: true, contexts: ['prod', 'kind-dev', 'berth'], current: 'prod' });
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.statSync(real).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).sort()).toEqual(['config', 'real-config']); // no temporary file left
    expect(await k.use('berth')).toMatchObject({ current: 'berth' });
    await k.use('prod');
    expect(await k.unmerge()).toMatchObject({ merged: false, contexts: ['prod', 'kind-dev'] });
    expect(fs.readFileSync(real, 'utf8')).toBe(`${USER}\n`);
    // Bad input changes nothing.
    fs.writeFileSync(real, 'clusters: [\n');
    await expect(k.merge(berth)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(fs.readFileSync(real, 'utf8')).toBe('clusters: [\n');
  });

  it('creates a missing kubeconfig (and its folder) 0600', async () => {
    const file = path.join(dir, 'new', '.kube', 'config');
    await new UserKubeconfig(file).merge(berth);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(parse(fs.readFileSync(file, 'utf8')).contexts).toEqual([{ name: 'berth', context: { cluster: 'berth', user: 'berth' } }]);
    await writeFileAtomic(file, 'x');
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });
});
