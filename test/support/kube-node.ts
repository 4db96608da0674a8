/**
 * A real Kubernetes node for the pods tests: a kubelet (built by scripts/test-tools.sh from test/tools/kube, as
 * kube-apiserver) on a private containerd 2.x's CRI, registered to a private control plane (test/support/kube.ts).
 * Logs, exec and port-forward then travel the real path: API server → kubelet → containerd's CRI streaming server.
 *
 * What a harness needs and a production node would not: cgroupfs, no QoS cgroups and no node-allocatable
 * enforcement (the kubelet makes no cgroup hierarchy of its own), swap allowed, cgroup v1 allowed, no iptables
 * chains, eviction only on memory, its authentication anonymous + AlwaysAllow on the pods' bridge address (not loopback: the kubelet refuses that), and
 * everything (root dir, pod logs, CRI state, network namespaces, CNI bridge) inside one temp folder.
 * No scheduler runs: pods name the node in spec.nodeName. Images come from busybox-static (no pull):
 * `pause` (the sandbox image) and the test image.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { containerdBaseConfig } from './containerd';
import { startDaemon, type Daemon } from './daemon';
import type { ControlPlane } from './kube';
import { busyboxArchive } from './oci-archive';
import { bridgeName, freeSubnet, makePeerFolder, noteBridge, removePeerFolder, socketAccepts, unmountUnder, type PeerFolder } from './peer-folder';
import { execFileP, waitFor } from './proc';
import { TOOLS_INSTALL, testTools, testToolsUnavailable } from './tools';

/** The image every test pod runs (busybox-static; imagePullPolicy Never). */
export const NODE_IMAGE = 'docker.io/berth-test/busybox:latest';
const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
const NODE_TOOLS = ['kubelet', 'containerd', 'containerd-shim-runc-v2', 'ctr'];

export interface KubeNode {
  /** The node's name (spec.nodeName of the test pods). */
  readonly name: string;
  readonly dir: string;
  /** Removes every pod from the API and waits until the CRI has stopped their sandboxes, then stops everything. */
  stop(): Promise<void>;
}

/** Why a kubelet cannot run here, or null. With BERTH_REQUIRE_ENGINE=1 (CI) that is a failure. */
export function kubeNodeUnavailable(): string | null {
  const why = process.getuid?.() !== 0 ? 'a kubelet needs root' : testToolsUnavailable(NODE_TOOLS);
  if (why && process.env.BERTH_REQUIRE_ENGINE === '1') throw new Error(`BERTH_REQUIRE_ENGINE=1 but the kubelet suites cannot run: ${why}`);
  return why;
}

function containerdConfig(dir: string, address: string, cniBin: string, cniConf: string): string {
  const q = JSON.stringify;
  // NRI's socket is machine-wide (/var/run/nri).
  const base = containerdBaseConfig({
    root: path.join(dir, 'containerd-root'),
    state: path.join(dir, 'containerd-state'),
    opt: path.join(dir, 'opt'),
    address,
    disabled: ['io.containerd.nri.v1.nri'],
  });
  return `${base}
[plugins."io.containerd.grpc.v1.cri"]
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = ${q(PAUSE_IMAGE)}

[plugins."io.containerd.cri.v1.runtime"]
  netns_mounts_under_state_dir = true
  # The test process has no CAP_SYS_RESOURCE here: the kubelet's -998 for sandboxes is then clamped to our own score.
  restrict_oom_score_adj = true
  [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
    Root = ${q(path.join(dir, 'runc'))}
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = [${q(cniBin)}]
    conf_dir = ${q(cniConf)}
`;
}

function cniConfig(bridge: string, net: string, ipamDir: string): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'berth-kube',
      plugins: [
        {
          type: 'bridge', bridge, isGateway: true, ipMasq: false, hairpinMode: true,
          ipam: { type: 'host-local', ranges: [[{ subnet: `${net}.0/24`, gateway: `${net}.1` }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: ipamDir },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

function kubeletConfig(dir: string, runtime: string, ip: string, port: number): string {
  return `${JSON.stringify(
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      address: ip,
      port,
      readOnlyPort: 0,
      healthzPort: 0,
      authentication: { anonymous: { enabled: true }, webhook: { enabled: false }, x509: {} },
      authorization: { mode: 'AlwaysAllow' },
      containerRuntimeEndpoint: `unix://${runtime}`,
      cgroupDriver: 'cgroupfs',
      cgroupsPerQOS: false,
      enforceNodeAllocatable: [],
      failSwapOn: false,
      failCgroupV1: false,
      makeIPTablesUtilChains: false,
      protectKernelDefaults: false,
      evictionHard: { 'memory.available': '1Mi' },
      mergeDefaultEvictionSettings: false,
      imageGCHighThresholdPercent: 100,
      imageGCLowThresholdPercent: 99,
      localStorageCapacityIsolation: false,
      resolvConf: '',
      podLogsDir: path.join(dir, 'pod-logs'),
      staticPodPath: '',
      registerNode: true,
      nodeStatusUpdateFrequency: '2s',
      syncFrequency: '5s',
      fileCheckFrequency: '5s',
    },
    null,
    2,
  )}\n`;
}

/**
 * Starts containerd (with its CRI plugin) and a kubelet registered to `cp` as node `berth-node-<hex>`; resolves once
 * the node is Ready. A pod naming this node runs for real.
 */
export async function startKubeNode(cp: ControlPlane): Promise<KubeNode> {
  const why = kubeNodeUnavailable();
  if (why) throw new Error(why);
  const tools = testTools();
  if (!tools) throw new Error(`the test tools are not built (run ${TOOLS_INSTALL})`);
  const folder: PeerFolder = await makePeerFolder('berth-kn-');
  const dir = folder.dir;
  const name = `berth-node-${crypto.randomBytes(3).toString('hex')}`;
  const address = path.join(dir, 'containerd.sock');
  const cniConf = path.join(dir, 'cni-net.d');
  fs.mkdirSync(cniConf);
  fs.mkdirSync(path.join(dir, 'pod-logs'));
  const bridge = bridgeName('bthk');
  noteBridge(dir, bridge);
  const subnet = freeSubnet('10.215');
  // The node's address: the kubelet refuses a loopback one, so it is the gateway of the pods' bridge, made here
  // before CNI adopts it (the API server reaches the kubelet there; nothing outside this machine can).
  const nodeIp = `${subnet}.1`;
  const daemons: Daemon[] = [];
  const ctr = (...args: string[]) => execFileP(tools.path('ctr'), ['--address', address, '--namespace', 'k8s.io', ...args], { maxBuffer: 16 << 20 });

  const stop = async () => {
    // The kubelet stops what the API no longer holds: its CRI then tears sandboxes down (CNI DEL, netns unmount).
    if (daemons.length > 1) {
      const pods = await cp.request<{ items: { metadata: { namespace: string; name: string } }[] }>('GET', `/api/v1/pods?fieldSelector=spec.nodeName=${name}`).catch(() => ({ items: [] }));
      for (const p of pods.items) {
        await cp.request('DELETE', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}?gracePeriodSeconds=0`).catch(() => undefined);
      }
      await waitFor(
        'the node to stop its pods',
        async () => !(await ctr('tasks', 'ls', '-q').then((r) => r.stdout.trim(), () => '')),
        60_000,
        500,
      ).catch(() => undefined);
    }
    for (const d of daemons.reverse()) await d.stop(10_000);
    // The kubelet links each container's log into the machine-wide /var/log/containers; drop the links into our folder.
    const links = '/var/log/containers';
    for (const f of fs.existsSync(links) ? fs.readdirSync(links) : []) {
      const link = path.join(links, f);
      if (fs.lstatSync(link).isSymbolicLink() && fs.readlinkSync(link).startsWith(`${dir}/`)) fs.rmSync(link, { force: true });
    }
    unmountUnder(dir);
    removePeerFolder(dir);
    await folder.release();
  };

  try {
    for (const args of [['link', 'add', bridge, 'type', 'bridge'], ['addr', 'add', `${nodeIp}/24`, 'dev', bridge], ['link', 'set', bridge, 'up']]) {
      await execFileP('ip', args);
    }
    fs.writeFileSync(path.join(cniConf, '10-berth.conflist'), cniConfig(bridge, subnet, path.join(dir, 'cni-ipam')));
    const configFile = path.join(dir, 'containerd.toml');
    fs.writeFileSync(configFile, containerdConfig(dir, address, tools.cni, cniConf));
    daemons.push(
      await startDaemon({
        name: 'containerd (CRI)',
        command: tools.path('containerd'),
        args: ['--config', configFile],
        env: { ...process.env, PATH: [tools.bin, process.env.PATH ?? '/usr/bin:/bin', '/usr/sbin', '/sbin'].join(':') },
        logFile: path.join(dir, 'containerd.log'),
        ready: () => socketAccepts(address),
      }),
    );
    const images = path.join(dir, 'images');
    for (const [ref, cmd, sub] of [
      [PAUSE_IMAGE, ['/bin/sh', '-c', 'trap "exit 0" TERM INT; while :; do /bin/busybox sleep 3600 & wait $!; done'], 'pause'],
      [NODE_IMAGE, ['/bin/sh'], 'busybox'],
    ] as const) {
      const d = path.join(images, sub);
      fs.mkdirSync(d, { recursive: true });
      await ctr('images', 'import', busyboxArchive(ref, d, [...cmd]));
    }

    // The kubelet's usual port, on an address only this node has.
    const port = 10250;
    const kubeletFile = path.join(dir, 'kubelet.json');
    fs.writeFileSync(kubeletFile, kubeletConfig(dir, address, nodeIp, port));
    daemons.push(
      await startDaemon({
        name: 'kubelet',
        command: tools.path('kubelet'),
        args: [
          `--config=${kubeletFile}`, `--kubeconfig=${cp.kubeconfig}`, `--root-dir=${path.join(dir, 'kubelet')}`,
          `--cert-dir=${path.join(dir, 'kubelet-pki')}`, `--hostname-override=${name}`, `--node-ip=${nodeIp}`, '--v=1',
        ],
        logFile: path.join(dir, 'kubelet.log'),
        ready: async () => {
          const node = await cp
            .request<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', `/api/v1/nodes/${name}`)
            .catch(() => null);
          return node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
        },
        timeoutMs: 180_000,
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, dir, stop };
}
