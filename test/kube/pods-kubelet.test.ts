/**
 * Logs, exec and port-forward of pods over the real path: Berth's pods service (client-node's Log, Exec and
 * PortForward) → a private kube-apiserver → a real kubelet → containerd's CRI streaming server → busybox-static in a
 * pod (test/support/kube.ts + test/support/kube-node.ts). Debian's kubectl cross-checks the log.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientNodeCluster } from '../../app/adapters/kube/cluster.js';
import { loadKubeConfig } from '../../app/adapters/kube/client.js';
import { BerthError } from '../../app/contract/errors.js';
import type { PodLogChunk } from '../../app/contract/pods.js';
import { PodsService } from '../../app/services/pods.js';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from '../support/kube';
import { kubeNodeUnavailable, NODE_IMAGE, startKubeNode, type KubeNode } from '../support/kube-node';
import { FatalWait, waitFor } from '../support/proc';

const why = controlPlaneUnavailable() ?? kubeNodeUnavailable();

let cp: ControlPlane;
let node: KubeNode;
let pods: PodsService;
const NS = 'streams';

type Container = { name: string; command: string[]; volumeMounts?: { name: string; mountPath: string }[] };

async function runPod(name: string, containers: Container[], restartPolicy = 'Always', volumes: unknown[] = []): Promise<void> {
  await cp.request('POST', `/api/v1/namespaces/${NS}/pods`, {
    metadata: { name },
    spec: {
      nodeName: node.name, restartPolicy, terminationGracePeriodSeconds: 1, volumes,
      containers: containers.map((c) => ({ ...c, image: NODE_IMAGE, imagePullPolicy: 'Never' })),
    },
  });
}

const rowOf = (name: string) => pods.list(NS).pods.find((p) => p.name === name);

/** Collects a pods.logs stream until `until` holds (or it ends). */
async function collectLogs(opts: Parameters<PodsService['logs']>[2] & { name: string }, until: (text: string) => boolean) {
  const ctl = new AbortController();
  let text = '';
  let ended = false;
  let failed: unknown = null;
  const done = pods
    .logs(NS, opts.name, opts, (c: PodLogChunk) => (c.type === 'data' ? (text += c.text) : (ended = true)), ctl.signal)
    .catch((e: unknown) => (failed = e));
  await waitFor('the log', async () => {
    if (failed) throw new FatalWait(String(failed));
    return until(text) || ended;
  }, 30_000);
  ctl.abort();
  await done;
  return { text, ended };
}

describe.skipIf(why)('pod logs, exec and port-forward through a real kubelet', () => {
  beforeAll(async () => {
    cp = await startControlPlane();
    node = await startKubeNode(cp);
    await cp.request('POST', '/api/v1/namespaces', { metadata: { name: NS } });
    pods = new PodsService(new ClientNodeCluster(loadKubeConfig({ path: cp.kubeconfig })));
    pods.list();
  }, 300_000);

  afterAll(async () => {
    pods?.dispose();
    await node?.stop();
    await cp?.stop();
  }, 120_000);

  it('follows a container’s log as it is written, and the log matches kubectl logs', async () => {
    await runPod('ticker', [{ name: 'tick', command: ['/bin/sh', '-c', 'i=0; while :; do i=$((i+1)); echo "tick $i"; /bin/busybox sleep 0.2; done'] }]);
    await waitFor('the ticker running', async () => rowOf('ticker')?.status === 'Running', 60_000);
    const { text, ended } = await collectLogs({ name: 'ticker', container: 'tick', follow: true }, (t) => t.includes('tick 12\n'));
    expect(ended).toBe(false);
    expect(text.startsWith('tick 1\ntick 2\n')).toBe(true);
    const kubectl = execFileSync('kubectl', ['--kubeconfig', cp.kubeconfig, 'logs', '-n', NS, 'ticker', '-c', 'tick', '--tail=-1'], { encoding: 'utf8' });
    expect(kubectl.startsWith(text.slice(0, text.lastIndexOf('\n') + 1))).toBe(true);
    // Not following: the log so far, then the end.
    const tail = await collectLogs({ name: 'ticker', container: 'tick', tailLines: 2 }, () => false);
    expect(tail.ended).toBe(true);
    expect(tail.text.trimEnd().split('\n')).toHaveLength(2);
  }, 120_000);

  it('picks the container, and shows the previous instance’s log after a restart', async () => {
    await runPod('twin', [
      { name: 'a', command: ['/bin/sh', '-c', 'echo "from a"; exec /bin/busybox sleep 3600'] },
      // Each run counts itself in a volume that outlives the container.
      { name: 'b', command: ['/bin/sh', '-c', 'n=$(($(/bin/busybox cat /data/n 2>/dev/null || echo 0) + 1)); echo $n > /data/n; echo "run $n of b"; /bin/busybox sleep 1; exit 3'], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
    ], 'Always', [{ name: 'data', emptyDir: {} }]);
    await waitFor('b restarted once', async () => {
      const p = pods.list(NS).pods.find((r) => r.name === 'twin');
      return (p?.restarts ?? 0) >= 1;
    }, 90_000);
    const a = await collectLogs({ name: 'twin', container: 'a' }, () => false);
    expect(a.text).toBe('from a\n');
    const prev = await collectLogs({ name: 'twin', container: 'b', previous: true }, () => false);
    const cur = await collectLogs({ name: 'twin', container: 'b' }, () => false);
    const run = (t: string) => Number(/^run (\d+) of b\n$/.exec(t)?.[1]);
    expect(run(prev.text)).toBeGreaterThanOrEqual(1);
    expect(run(cur.text)).toBeGreaterThan(run(prev.text));
    await expect(pods.logs(NS, 'twin', { container: 'nope' }, () => undefined, new AbortController().signal)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // a has never restarted: no previous instance, said as such.
    await expect(pods.logs(NS, 'twin', { container: 'a', previous: true }, () => undefined, new AbortController().signal)).rejects.toMatchObject({
      code: 'NOT_FOUND', message: expect.stringContaining('no previous instance') as unknown,
    });
  }, 120_000);

  it('exec runs a shell in the container with a TTY: typed commands run there and exit gives its code', async () => {
    await runPod('shell', [{ name: 'main', command: ['/bin/sh', '-c', 'echo ready > /marker; exec /bin/busybox sleep 3600'] }]);
    await waitFor('the shell pod running', async () => rowOf('shell')?.status === 'Running', 60_000);
    const { proc, container } = await pods.exec(NS, 'shell', { cmd: ['/bin/sh'], cols: 100, rows: 30 });
    expect(container).toBe('main');
    let out = '';
    const reading = (async () => {
      for await (const o of proc.output()) out += o.data;
    })();
    await proc.write('/bin/busybox cat /marker; /bin/busybox stty size; echo "sum=$((40+2))"\n');
    await waitFor('the command’s output', async () => out.includes('sum=42') && out.includes('30 100'), 20_000);
    expect(out).toContain('ready');
    await proc.resize(120, 40);
    await proc.write('/bin/busybox stty size\n');
    await waitFor('the new size', async () => out.includes('40 120'), 20_000);
    await proc.write('exit 7\n');
    await reading;
    expect(await proc.exitCode()).toBe(7);
  }, 120_000);

  it('exec in a pod that is not running, or a container it lacks, is refused with a typed error', async () => {
    await expect(pods.exec(NS, 'shell', { container: 'nope', cmd: ['sh'], cols: 80, rows: 24 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(pods.exec(NS, 'missing', { cmd: ['sh'], cols: 80, rows: 24 })).rejects.toBeInstanceOf(BerthError);
  }, 120_000);

  it('port-forward serves a page from busybox httpd in the pod on a local port, listed until stopped', async () => {
    await runPod('web', [{ name: 'httpd', command: ['/bin/sh', '-c', '/bin/busybox mkdir -p /www && echo "<h1>hello from the pod</h1>" > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www'] }]);
    await waitFor('the web pod running', async () => rowOf('web')?.status === 'Running', 60_000);
    const fwd = await pods.forward(NS, 'web', 8080);
    expect(fwd).toMatchObject({ namespace: NS, pod: 'web', port: 8080, url: `http://127.0.0.1:${fwd.localPort}/` });
    expect(pods.list(NS).forwards.map((f) => f.id)).toEqual([fwd.id]);
    // httpd may still be starting when the pod turns Running: a refused connection inside the pod fails that request only.
    const page = await waitFor('the page through the forward', async () => {
      const r = await fetch(fwd.url).catch(() => null);
      return r?.ok ? r.text() : null;
    }, 30_000, 500);
    expect(page).toContain('hello from the pod');
    // A second request on a new connection works too.
    expect(await (await fetch(`${fwd.url}index.html`)).text()).toContain('hello from the pod');
    await expect(pods.forward(NS, 'web', 8080)).rejects.toMatchObject({ code: 'CONFLICT' });
    await pods.forwardStop(fwd.id);
    expect(pods.list(NS).forwards).toEqual([]);
    await expect(fetch(fwd.url)).rejects.toThrow();
    await expect(pods.forwardStop(fwd.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 120_000);

  it('a forward to a port nothing listens on reports the failure, and deleting the pod stops its forwards', async () => {
    const fwd = await pods.forward(NS, 'web', 9999);
    await fetch(fwd.url).catch(() => undefined);
    await waitFor('the forward’s error', async () => pods.list(NS).forwards.find((f) => f.id === fwd.id)?.lastError, 30_000);
    await pods.delete(NS, 'web');
    await waitFor('the forward gone with its pod', async () => !pods.list(NS).forwards.length, 60_000);
  }, 120_000);
});
