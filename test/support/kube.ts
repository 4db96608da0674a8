/**
 * A private Kubernetes control plane for the pods tests, as controller-runtime's envtest makes one: Debian's etcd and
 * kube-apiserver (built by scripts/test-tools.sh from test/tools/kube) in a temp folder on loopback. A static token
 * in system:masters, a service-account key pair made for the run, no controller-manager, no scheduler: tests create
 * pods and drive their phases through the status subresource, as a kubelet would, or run them on a real kubelet
 * (test/support/kube-node.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { startDaemon, type Daemon } from './daemon';
import { makePeerFolder, removePeerFolder, type PeerFolder } from './peer-folder';
import { which } from './proc';
import { TOOLS_INSTALL, testTools, testToolsUnavailable } from './tools';

export interface ControlPlane {
  readonly dir: string;
  /** https://127.0.0.1:PORT */
  readonly server: string;
  readonly token: string;
  /** A kubeconfig file for this control plane (context "berth-test"), usable by kubectl and Berth. */
  readonly kubeconfig: string;
  readonly kubeconfigYaml: string;
  /** JSON request with the admin token; rejects with the API's Status message on a non-2xx reply. */
  request<T = unknown>(method: string, urlPath: string, body?: unknown, contentType?: string, accept?: string): Promise<T>;
  stop(): Promise<void>;
}

/** Why the control plane cannot run here (the suites skip with it), or null; with BERTH_REQUIRE_ENGINE=1 (CI) that is a failure. */
export function controlPlaneUnavailable(): string | null {
  const why = !which('etcd') ? `etcd is not installed (Debian's etcd-server; run ${TOOLS_INSTALL})` : testToolsUnavailable(['kube-apiserver']);
  if (why && process.env.BERTH_REQUIRE_ENGINE === '1') throw new Error(`BERTH_REQUIRE_ENGINE=1 but the Kubernetes suites cannot run: ${why}`);
  return why;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject).listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function getJson(url: string, token: string, ca: Buffer, opts: { method?: string; body?: string; contentType?: string; accept?: string } = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: opts.method ?? 'GET',
        ca,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: opts.accept ?? 'application/json',
          ...(opts.body !== undefined ? { 'Content-Type': opts.contentType ?? 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export interface ControlPlaneOptions {
  /** kube-apiserver --watch-cache (default true). Off, watches read etcd, so compaction expires them (410). */
  watchCache?: boolean;
  /** kube-apiserver --etcd-compaction-interval (default 5m). */
  compactionInterval?: string;
}

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const why = controlPlaneUnavailable();
  if (why) throw new Error(why);
  const folder: PeerFolder = await makePeerFolder('berth-kube-');
  const dir = folder.dir;
  const daemons: Daemon[] = [];
  const stop = async () => {
    for (const d of daemons.reverse()) await d.stop(5_000);
    removePeerFolder(dir);
    await folder.release();
  };
  try {
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    daemons.push(
      await startDaemon({
        name: 'etcd',
        command: 'etcd',
        args: [
          '--name=berth', `--data-dir=${path.join(dir, 'etcd')}`, `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`, `--initial-cluster=berth=${peerUrl}`,
          '--unsafe-no-fsync', '--log-level=warn',
        ],
        logFile: path.join(dir, 'etcd.log'),
        ready: async () => (await fetch(`${etcdUrl}/health`).then((r) => r.ok).catch(() => false)),
        timeoutMs: 60_000,
      }),
    );

    const token = crypto.randomBytes(24).toString('hex');
    fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},berth-admin,berth-admin,"system:masters"\n`, { mode: 0o600 });
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync(path.join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const pki = path.join(dir, 'pki');
    fs.mkdirSync(pki);
    const server = `https://127.0.0.1:${apiPort}`;
    const caFile = path.join(pki, 'apiserver.crt');
    daemons.push(
      await startDaemon({
        name: 'kube-apiserver',
        command: testTools()!.path('kube-apiserver'),
        args: [
          `--etcd-servers=${etcdUrl}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
          `--cert-dir=${pki}`, `--token-auth-file=${path.join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC',
          '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
          `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`, '--service-cluster-ip-range=10.96.0.0/24',
          // No controller-manager makes the "default" service account, so pods must not need one.
          '--disable-admission-plugins=ServiceAccount', '--allow-privileged=true', '--enable-priority-and-fairness=false',
          // No kubernetes Endpoints for a loopback address (as envtest).
          '--endpoint-reconciler-type=none',
          // A kubelet (test/support/kube-node.ts) is reached at its node's IP, never by a name looked up in DNS.
          '--kubelet-preferred-address-types=InternalIP',
          `--watch-cache=${opts.watchCache ?? true}`, `--etcd-compaction-interval=${opts.compactionInterval ?? '5m'}`,
        ],
        logFile: path.join(dir, 'kube-apiserver.log'),
        ready: async () => {
          if (!fs.existsSync(caFile)) return false;
          const r = await getJson(`${server}/readyz`, token, fs.readFileSync(caFile)).catch(() => null);
          return r?.status === 200;
        },
        timeoutMs: 150_000,
      }),
    );
    const ca = fs.readFileSync(caFile);
    const kubeconfigYaml = [
      'apiVersion: v1', 'kind: Config', 'current-context: berth-test',
      'clusters:', '- name: berth-test', '  cluster:', `    server: ${server}`, `    certificate-authority-data: ${ca.toString('base64')}`,
      'users:', '- name: berth-admin', '  user:', `    token: ${token}`,
      'contexts:', '- name: berth-test', '  context:', '    cluster: berth-test', '    user: berth-admin', '',
    ].join('\n');
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, kubeconfigYaml, { mode: 0o600 });
    const request = async <T>(method: string, urlPath: string, body?: unknown, contentType?: string, accept?: string): Promise<T> => {
      const r = await getJson(`${server}${urlPath}`, token, ca, {
        method, accept, contentType, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const parsed = r.text ? (JSON.parse(r.text) as unknown) : undefined;
      if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${urlPath}: HTTP ${r.status}: ${(parsed as { message?: string })?.message ?? r.text}`);
      return parsed as T;
    };
    return { dir, server, token, kubeconfig, kubeconfigYaml, request, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
