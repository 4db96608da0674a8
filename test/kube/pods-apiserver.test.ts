/**
 * Berth's pods adapter and row logic against a real control plane (etcd + kube-apiserver, test/support/kube.ts),
 * cross-checked with Debian's kubectl against the same server. No kubelet: pods are driven through the status
 * subresource, as a kubelet reports them.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadKubeConfig } from '../../app/adapters/kube/client.js';
import { PodWatch, type PodChange } from '../../app/adapters/kube/pod-watch.js';
import { BerthError } from '../../app/contract/errors.js';
import { podEventRows } from '../../app/core/pods-events.js';
import { podRow } from '../../app/core/pods-status.js';
import type { KubeEvent, KubePod } from '../../app/core/pods-types.js';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from '../support/kube';
import { faultyProxy, type FaultyProxy } from '../support/kube-proxy';
import { waitFor } from '../support/proc';

const why = controlPlaneUnavailable() ?? (readdirSync('/usr/bin').includes('kubectl') ? null : 'kubectl is not installed');
const fixturesDir = join(import.meta.dirname, '../fixtures/pods');

let cp: ControlPlane;
let proxy: FaultyProxy;
let watch: PodWatch;
let client: KubeClient;
const changes: PodChange[] = [];

const kubectl = (...args: string[]): string => execFileSync('kubectl', ['--kubeconfig', cp.kubeconfig, ...args], { encoding: 'utf8' });

/** kubectl get pods -A -o wide, as rows keyed by namespace/name. */
function kubectlRows(namespace: string): Map<string, Record<string, string>> {
  const lines = kubectl('get', 'pods', '-n', namespace, '-o', 'wide').trimEnd().split('\n');
  const header = lines[0]!;
  const cols = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE'];
  const starts = cols.map((c) => header.indexOf(c));
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines.slice(1)) {
    const r: Record<string, string> = {};
    cols.forEach((c, i) => (r[c] = line.slice(starts[i], i + 1 < cols.length ? starts[i + 1] : undefined).trim()));
    rows.set(`${namespace}/${r['NAME']}`, r);
  }
  return rows;
}

/** Creates a pod from a recorded one, then reports its status (and deletion) as a kubelet would; returns its last resourceVersion. */
async function createAsRecorded(namespace: string, rec: KubePod): Promise<string> {
  const { metadata, spec, status } = rec;
  let last = await cp.request<KubePod>('POST', `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: metadata!.name, labels: metadata!.labels }, spec,
  });
  if (status) {
    last = await cp.request<KubePod>('PATCH', `/api/v1/namespaces/${namespace}/pods/${metadata!.name}/status`, { status }, 'application/merge-patch+json');
  }
  // A pod bound to a node is deleted gracefully: the API server sets deletionTimestamp and waits for its kubelet.
  if (metadata!.deletionTimestamp) last = await cp.request<KubePod>('DELETE', `/api/v1/namespaces/${namespace}/pods/${metadata!.name}?gracePeriodSeconds=600`);
  return last.metadata!.resourceVersion!;
}

const rowOf = (ns: string, name: string) => {
  const p = watch.get(ns, name);
  return p ? podRow(p) : undefined;
};

describe.skipIf(why)('pods against a real kube-apiserver', () => {
  beforeAll(async () => {
    // Without the watch cache, watches read etcd, whose compaction (every 2 s here) expires an old resourceVersion (410).
    cp = await startControlPlane({ watchCache: false, compactionInterval: '2s' });
    proxy = await faultyProxy(Number(new URL(cp.server).port));
    const kc = loadKubeConfig({ yaml: cp.kubeconfigYaml.replace(cp.server, `https://127.0.0.1:${proxy.port}`) });
    client = new KubeClient(kc);
    for (const ns of ['states', 'live', 'gap']) await cp.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
    watch = new PodWatch(kc, { onChange: (c) => changes.push(...c), watchdogMs: 3_000, watchTimeoutSeconds: 60, backoff: { baseMs: 100, capMs: 500 } });
    watch.start();
    await waitFor('the first list', async () => watch.current().state === 'live', 30_000);
  }, 240_000);

  afterAll(async () => {
    watch?.stop();
    await proxy?.close();
    await cp?.stop();
  });

  it('pods in every recorded state show as kubectl get pods shows them (CrashLoopBackOff, ImagePullBackOff, Init:1/2, Terminating, ...)', async () => {
    const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));
    const written = new Map<string, string>();
    for (const f of files) {
      const pod = (JSON.parse(readFileSync(join(fixturesDir, f), 'utf8')) as { pod: KubePod }).pod;
      written.set(pod.metadata!.name!, await createAsRecorded('states', pod));
    }
    // Every pod's last write has reached the watch.
    await waitFor('every pod in the watch', async () => [...written].every(([n, rv]) => watch.get('states', n)?.metadata?.resourceVersion === rv), 30_000);
    const expected = kubectlRows('states');
    expect(expected.size).toBe(files.length);
    const seen = new Set<string>();
    for (const [id, k] of expected) {
      const [ns, name] = id.split('/') as [string, string];
      const row = rowOf(ns, name)!;
      expect({ id, ready: row.ready, status: row.status, ip: row.ip, node: row.node }).toEqual({ id, ready: k['READY'], status: k['STATUS'], ip: k['IP'], node: k['NODE'] });
      // RESTARTS "7 (41s ago)": the count exactly; the age may tick between kubectl's run and ours.
      expect(row.restartsText.split(' ')[0]).toBe(k['RESTARTS']!.split(' ')[0]);
      expect(row.restartsText.includes('ago')).toBe(k['RESTARTS']!.includes('ago'));
      seen.add(row.status);
    }
    for (const s of ['CrashLoopBackOff', 'ImagePullBackOff', 'Init:1/2', 'Terminating', 'Completed', 'Error', 'ContainerCreating']) expect(seen).toContain(s);
  });

  it('a phase change shows live, without a new list', async () => {
    const lists = watch.current().lists;
    await cp.request('POST', '/api/v1/namespaces/live/pods', {
      metadata: { name: 'web' }, spec: { nodeName: 'berth', containers: [{ name: 'app', image: 'registry.local/app:1.0' }] },
    });
    await waitFor('the pod as Pending', async () => rowOf('live', 'web')?.status === 'Pending', 15_000);
    await cp.request('PATCH', '/api/v1/namespaces/live/pods/web/status', {
      status: {
        phase: 'Running', podIP: '10.42.0.20', podIPs: [{ ip: '10.42.0.20' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'app', image: 'registry.local/app:1.0', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: new Date().toISOString() } } }],
      },
    }, 'application/merge-patch+json');
    await waitFor('the pod as Running', async () => rowOf('live', 'web')?.status === 'Running', 15_000);
    expect(rowOf('live', 'web')).toMatchObject({ ready: '1/1', ip: '10.42.0.20', node: 'berth' });
    expect(kubectlRows('live').get('live/web')).toMatchObject({ STATUS: 'Running', READY: '1/1' });
    expect(watch.current().lists).toBe(lists);
  });

  it('a silent watch is restarted by the watchdog and misses nothing', async () => {
    proxy.silenceOpen();
    await cp.request('POST', '/api/v1/namespaces/live/pods', { metadata: { name: 'quiet' }, spec: { containers: [{ name: 'app', image: 'x' }] } });
    await waitFor('the pod after the watchdog', async () => watch.get('live', 'quiet'), 20_000);
  });

  it('a watch that expires (410 Gone) lists again and reports every change of the gap', async () => {
    for (const n of ['stays', 'goes', 'changes']) {
      await cp.request('POST', '/api/v1/namespaces/gap/pods', { metadata: { name: n }, spec: { containers: [{ name: 'app', image: 'x' }] } });
    }
    await waitFor('the gap pods', async () => ['stays', 'goes', 'changes'].every((n) => watch.get('gap', n)), 15_000);
    const lists = watch.current().lists;
    proxy.down();
    changes.length = 0;
    await cp.request('DELETE', '/api/v1/namespaces/gap/pods/goes');
    await cp.request('POST', '/api/v1/namespaces/gap/pods', { metadata: { name: 'comes' }, spec: { containers: [{ name: 'app', image: 'x' }] } });
    await cp.request('PATCH', '/api/v1/namespaces/gap/pods/changes', { metadata: { labels: { touched: 'yes' } } }, 'application/merge-patch+json');
    // Let etcd's compaction pass the watch's resourceVersion: writes (new revisions) across a few compaction ticks.
    for (let i = 0; i < 4; i++) {
      await cp.request('PATCH', '/api/v1/namespaces/gap/pods/stays', { metadata: { labels: { tick: String(i) } } }, 'application/merge-patch+json');
      await new Promise((r) => setTimeout(r, 1_500));
    }
    proxy.up();
    await waitFor('a new list after 410', async () => watch.current().lists > lists && watch.current().state === 'live', 30_000);
    await waitFor('the gap changes', async () => !watch.get('gap', 'goes') && watch.get('gap', 'comes') && watch.get('gap', 'changes')?.metadata?.labels?.['touched'] === 'yes', 10_000);
    expect(changes).toContainEqual(expect.objectContaining({ action: 'deleted', pod: expect.objectContaining({ metadata: expect.objectContaining({ name: 'goes' }) }) }));
    expect(changes).toContainEqual(expect.objectContaining({ action: 'added', pod: expect.objectContaining({ metadata: expect.objectContaining({ name: 'comes' }) }) }));
    expect(changes.some((c) => c.action === 'modified' && c.pod.metadata?.name === 'changes')).toBe(true);
    // The cache is the server's truth.
    const server = await cp.request<{ items: KubePod[] }>('GET', '/api/v1/pods');
    expect(watch.pods().map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`).sort()).toEqual(server.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`).sort());
  });

  it('apply creates and then updates a Deployment (server-side apply, field manager berth)', async () => {
    const doc = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
  namespace: live
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: hello}
  template:
    metadata:
      labels: {app: hello}
    spec:
      containers:
      - name: web
        image: registry.local/hello:1.0
`;
    expect(await client.apply(doc(1))).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'live', name: 'hello', action: 'created' }]);
    expect(kubectl('get', 'deployment', 'hello', '-n', 'live', '-o', 'jsonpath={.spec.replicas}')).toBe('1');
    expect(await client.apply(doc(3))).toEqual([expect.objectContaining({ name: 'hello', action: 'configured' })]);
    expect(kubectl('get', 'deployment', 'hello', '-n', 'live', '-o', 'jsonpath={.spec.replicas}')).toBe('3');
    const managers = JSON.parse(kubectl('get', 'deployment', 'hello', '-n', 'live', '-o', 'jsonpath={.metadata.managedFields}', '--show-managed-fields')) as { manager: string; operation: string }[];
    expect(managers).toContainEqual(expect.objectContaining({ manager: 'berth', operation: 'Apply' }));
  });

  it('apply of bad input changes nothing and says why', async () => {
    const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: never, namespace: live}\ndata: {a: b}\n';
    await expect(client.apply(`${good}---\napiVersion: v1\nkind: Nonsense\nmetadata: {name: x}\n`)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Nonsense') });
    await expect(client.apply('kind: [unclosed')).rejects.toBeInstanceOf(BerthError);
    await expect(client.apply(`${good}---\nkind: ConfigMap\n`)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(cp.request('GET', '/api/v1/namespaces/live/configmaps/never')).rejects.toThrow(/404/);
  });

  it('describe-style events match kubectl describe', async () => {
    const pod = watch.get('live', 'web')!;
    const now = new Date().toISOString();
    await cp.request('POST', '/api/v1/namespaces/live/events', {
      metadata: { name: 'web.1' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container app', count: 4,
      firstTimestamp: new Date(Date.now() - 90_000).toISOString(), lastTimestamp: now, source: { component: 'kubelet', host: 'berth' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'live', uid: pod.metadata!.uid, apiVersion: 'v1' },
    });
    const rows = podEventRows((await client.podEvents('live', 'web', pod.metadata!.uid)) as KubeEvent[]);
    expect(rows.map((r) => [r.type, r.reason, r.from, r.message])).toEqual([['Warning', 'BackOff', 'kubelet', 'Back-off restarting failed container app']]);
    const described = kubectl('describe', 'pod', 'web', '-n', 'live');
    const line = described.split('\n').find((l) => l.includes('BackOff'))!;
    const cells = line.trim().split(/\s{2,}/);
    expect([cells[0], cells[1], cells[3], cells[4]]).toEqual(['Warning', 'BackOff', 'kubelet', 'Back-off restarting failed container app']);
    // Age "2s (x4 over 92s)": the same shape; the seconds may tick between kubectl's run and ours.
    expect(cells[2]).toMatch(/^\d+s \(x4 over \d+s\)$/);
    expect(rows[0]!.age).toMatch(/^\d+s \(x4 over \d+s\)$/);
  });

  it('delete removes a pod, and a missing pod is NOT_FOUND', async () => {
    changes.length = 0;
    await client.deletePod('live', 'quiet');
    await waitFor('the delete in the watch', async () => !watch.get('live', 'quiet'), 15_000);
    expect(changes).toContainEqual(expect.objectContaining({ action: 'deleted' }));
    expect(() => kubectl('get', 'pod', 'quiet', '-n', 'live')).toThrow(/NotFound|not found/);
    await expect(client.deletePod('live', 'quiet')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
