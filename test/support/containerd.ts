import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileP, run, which } from './proc';
import { startDaemon, type Daemon } from './daemon';
import { bridgeName, freeSubnet, makePeerFolder, noteBridge, removePeerFolder, socketAccepts, unmountUnder } from './peer-folder';
import { TOOLS_INSTALL, testTools, testToolsUnavailable } from './tools';

export const CONTAINERD_TOOLS = ['containerd', 'containerd-shim-runc-v2', 'ctr', 'nerdctl', 'buildkitd', 'buildctl'];
const CNI_PLUGINS = ['bridge', 'host-local', 'loopback', 'portmap', 'firewall', 'tuning'];

/** What a suite needs to drive the private containerd (plain data: it crosses vitest's `provide`). */
export interface ContainerdInfo {
  /** The peer's temp folder (`/tmp/berth-c-…`). */
  dir: string;
  /** containerd's gRPC socket path (nerdctl `--address`, `CONTAINERD_ADDRESS`). */
  address: string;
  /** The containerd namespace every tool here uses. */
  namespace: string;
  /** Absolute paths of the built tools. */
  nerdctl: string;
  ctr: string;
  buildctl: string;
  /** nerdctl's global flags for this peer: `nerdctl ...nerdctlArgs run …`. */
  nerdctlArgs: string[];
  /**
   * Environment for nerdctl/ctr/buildctl (merge over process.env): CONTAINERD_ADDRESS, CONTAINERD_NAMESPACE,
   * NERDCTL_TOML (a private nerdctl.toml saying the same as nerdctlArgs), BUILDKIT_HOST, PATH (tools first).
   */
  env: Record<string, string>;
  /** `unix://…/buildkitd.sock` of the private buildkitd (containerd worker, same namespace). */
  buildkitAddress: string;
  /** nerdctl's private data root, CNI plugin folder and CNI config folder. */
  dataRoot: string;
  cniPath: string;
  cniNetconfPath: string;
  /** The default `bridge` network: its Linux bridge and subnet (`10.214.N.0/24`). */
  bridge: string;
  subnet: string;
  /** With `stargz: true`: the snapshotter's socket (containerd knows it as the `stargz` snapshotter). */
  stargzAddress?: string;
}

export interface ContainerdOptions {
  /**
   * Also start the stargz snapshotter (`containerd-stargz-grpc`, lazy pulling of eStargz images) and
   * register it with containerd as the `stargz` snapshotter (`nerdctl --snapshotter stargz …`).
   */
  stargz?: boolean;
  /** Configuration files containerd imports (its `imports` list; globs allowed), e.g. the VM template's gVisor piece. */
  imports?: readonly string[];
}

export interface Containerd extends ContainerdInfo {
  /** Removes every container (so CNI releases its addresses and rules), stops buildkitd and containerd, deletes bridges, mounts and the folder. */
  dispose(): Promise<void>;
}

const PREFIX = 'berth-c-';
const NAMESPACE = 'berth-test';

/** Why a private containerd cannot run here (naming the install command), or null when it can. */
export function containerdUnavailable(extraTools: string[] = []): string | null {
  if (process.getuid?.() !== 0) return 'a private containerd needs root';
  const tools = testToolsUnavailable([...CONTAINERD_TOOLS, ...extraTools]);
  if (tools) return tools;
  const cni = testTools()?.cni ?? '';
  const missingCni = CNI_PLUGINS.filter((p) => !fs.existsSync(path.join(cni, p)));
  if (missingCni.length) return `the CNI plugins ${missingCni.join(', ')} are not built (run ${TOOLS_INSTALL})`;
  const missing = ['runc', 'ip', 'iptables'].filter((b) => !which(b));
  return missing.length ? `missing ${missing.join(', ')} (run ${TOOLS_INSTALL}, which installs runc, iproute2 and iptables)` : null;
}

function containerdConfig(dir: string, address: string, stargzAddress?: string, imports: readonly string[] = []): string {
  const q = JSON.stringify;
  // The transfer service (nerdctl 2's pulls) unpacks only for the snapshotters named in unpack_config; the
  // exports tell it to pass the remote-snapshot labels the stargz snapshotter needs to mount layers lazily.
  const proxy = stargzAddress
    ? `
[proxy_plugins]
  [proxy_plugins.stargz]
    type = "snapshot"
    address = ${q(stargzAddress)}
    [proxy_plugins.stargz.exports]
      root = ${q(path.join(dir, 'stargz'))}
      enable_remote_snapshot_annotations = "true"

[plugins."io.containerd.transfer.v1.local"]
  unpack_config = [
    { platform = "linux/${process.arch === 'arm64' ? 'arm64' : 'amd64'}", snapshotter = "overlayfs" },
    { platform = "linux/${process.arch === 'arm64' ? 'arm64' : 'amd64'}", snapshotter = "stargz" },
  ]
`
    : '';
  // CRI needs a Kubernetes network setup we have no use for; NRI's socket is machine-wide (/var/run/nri).
  const disabled = ['io.containerd.grpc.v1.cri', 'io.containerd.cri.v1.images', 'io.containerd.cri.v1.runtime', 'io.containerd.nri.v1.nri'];
  return `${containerdBaseConfig({ root: path.join(dir, 'root'), state: path.join(dir, 'state'), opt: path.join(dir, 'opt'), address, disabled, imports })}${proxy}`;
}

/** The top of a private containerd's config (version 3): its own root, state, sockets and opt folder, no debug or metrics listener. */
export function containerdBaseConfig(c: { root: string; state: string; opt: string; address: string; disabled: readonly string[]; imports?: readonly string[] }): string {
  const q = JSON.stringify;
  return `version = 3
root = ${q(c.root)}
state = ${q(c.state)}
disabled_plugins = ${q(c.disabled)}
${c.imports?.length ? `imports = ${q(c.imports)}\n` : ''}
[grpc]
  address = ${q(c.address)}

[ttrpc]
  address = ${q(`${c.address}.ttrpc`)}

[debug]
  address = ""
  level = "warn"

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = ${q(c.opt)}
`;
}

function buildkitConfig(dir: string, address: string, buildkitSocket: string): string {
  const q = JSON.stringify;
  return `root = ${q(path.join(dir, 'buildkit'))}

[log]
  level = "warn"

[grpc]
  address = [${q(`unix://${buildkitSocket}`)}]

[otel]
  socketPath = ${q(path.join(dir, 'buildkit-otel.sock'))}

[worker.oci]
  enabled = false

[worker.containerd]
  enabled = true
  address = ${q(address)}
  namespace = ${q(NAMESPACE)}
  snapshotter = "overlayfs"
  networkMode = "host"
  gc = true
`;
}

/**
 * nerdctl's default `bridge` network as nerdctl itself writes it (netutil.createDefaultNetworkConfig), except
 * for a Linux bridge of our own (nerdctl's is always `nerdctl0`, shared by every nerdctl on the machine) and a
 * host-local IPAM store inside our folder (its default, /var/lib/cni/networks/bridge, is machine-wide too).
 */
function defaultNetwork(bridge: string, net: string, ipamDir: string): string {
  const conf = {
    cniVersion: '1.0.0',
    name: 'bridge',
    nerdctlID: crypto.createHash('sha256').update('bridge').digest('hex'),
    nerdctlLabels: { 'nerdctl/default-network': 'true' },
    plugins: [
      {
        type: 'bridge',
        bridge,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: { type: 'host-local', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: `${net}.0/24`, gateway: `${net}.1` }]], dataDir: ipamDir },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
      { type: 'firewall', ingressPolicy: 'same-bridge' },
      { type: 'tuning' },
    ],
  };
  return `${JSON.stringify(conf, null, 2)}\n`;
}

/** Every Linux bridge named in the CNI configs under `netconf` (the default network and any `nerdctl network create`). */
function cniBridges(netconf: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.conflist')) {
        try {
          const conf = JSON.parse(fs.readFileSync(p, 'utf8')) as { plugins?: Array<{ type?: string; bridge?: string }> };
          for (const pl of conf.plugins ?? []) if (pl.type === 'bridge' && pl.bridge) out.push(pl.bridge);
        } catch {
          /* a file being written; the noted bridges still cover the default one */
        }
      }
    }
  };
  walk(netconf);
  return out;
}

/**
 * A private containerd 2.x (the one `scripts/test-tools.sh` builds, never the host's) with its own
 * root, state, sockets and config; a private buildkitd on it (containerd worker, same namespace);
 * and the nerdctl flags and environment that point at both, with a private CNI config folder whose
 * default `bridge` network uses its own Linux bridge and a 10.214.N.0/24 subnet.
 */
export async function startContainerd(opts: ContainerdOptions = {}): Promise<Containerd> {
  const why = containerdUnavailable(opts.stargz ? ['containerd-stargz-grpc'] : []);
  if (why) throw new Error(`Cannot start a private containerd: ${why}`);
  const tools = testTools();
  if (!tools) throw new Error(`Cannot start a private containerd: the test tools are not built (run ${TOOLS_INSTALL})`);
  const folder = await makePeerFolder(PREFIX);
  const dir = folder.dir;
  const address = path.join(dir, 'containerd.sock');
  const buildkitSocket = path.join(dir, 'buildkitd.sock');
  const dataRoot = path.join(dir, 'nerdctl');
  const cniNetconfPath = path.join(dir, 'cni-net.d');
  fs.mkdirSync(cniNetconfPath);
  const net = freeSubnet('10.214');
  const subnet = `${net}.0/24`;
  const bridge = bridgeName('bthc');
  noteBridge(dir, bridge);

  const nerdctlArgs = [
    '--address', address,
    '--namespace', NAMESPACE,
    '--data-root', dataRoot,
    '--cni-path', tools.cni,
    '--cni-netconfpath', cniNetconfPath,
    '--bridge-ip', `${net}.1/24`,
    '--snapshotter', 'overlayfs',
  ];
  const nerdctlToml = path.join(dir, 'nerdctl.toml');
  const q = JSON.stringify;
  fs.writeFileSync(
    nerdctlToml,
    [
      `address = ${q(address)}`,
      `namespace = ${q(NAMESPACE)}`,
      `data_root = ${q(dataRoot)}`,
      `cni_path = ${q(tools.cni)}`,
      `cni_netconfpath = ${q(cniNetconfPath)}`,
      `bridge_ip = ${q(`${net}.1/24`)}`,
      'snapshotter = "overlayfs"',
      '',
    ].join('\n'),
  );
  const env: Record<string, string> = {
    PATH: [tools.bin, process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', '/usr/sbin', '/sbin'].join(':'),
    CONTAINERD_ADDRESS: address,
    CONTAINERD_NAMESPACE: NAMESPACE,
    NERDCTL_TOML: nerdctlToml,
    BUILDKIT_HOST: `unix://${buildkitSocket}`,
  };
  const fullEnv = { ...process.env, ...env };
  fs.writeFileSync(path.join(cniNetconfPath, 'nerdctl-bridge.conflist'), defaultNetwork(bridge, net, path.join(dir, 'cni-ipam')));
  const configFile = path.join(dir, 'containerd.toml');
  const stargzAddress = opts.stargz ? path.join(dir, 'stargz.sock') : undefined;
  fs.writeFileSync(configFile, containerdConfig(dir, address, stargzAddress, opts.imports));
  const buildkitFile = path.join(dir, 'buildkitd.toml');
  fs.writeFileSync(buildkitFile, buildkitConfig(dir, address, buildkitSocket));

  const daemons: Daemon[] = [];
  const info: ContainerdInfo = {
    dir,
    address,
    namespace: NAMESPACE,
    nerdctl: tools.path('nerdctl'),
    ctr: tools.path('ctr'),
    buildctl: tools.path('buildctl'),
    nerdctlArgs,
    env,
    buildkitAddress: `unix://${buildkitSocket}`,
    dataRoot,
    cniPath: tools.cni,
    cniNetconfPath,
    bridge,
    subnet,
    ...(stargzAddress ? { stargzAddress } : {}),
  };
  const nerdctl = (...args: string[]) => execFileP(info.nerdctl, [...nerdctlArgs, ...args], { env: fullEnv, maxBuffer: 16 << 20 });

  const handle: Containerd = {
    ...info,
    async dispose() {
      if (daemons.length) {
        // Removing containers through nerdctl runs CNI DEL: addresses and iptables rules go with them.
        const ids = await nerdctl('ps', '-aq').then((r) => r.stdout.split('\n').filter(Boolean), () => []);
        if (ids.length) await nerdctl('rm', '-f', ...ids).catch(() => undefined);
      }
      for (const b of cniBridges(cniNetconfPath)) noteBridge(dir, b);
      for (const d of daemons.reverse()) await d.stop();
      unmountUnder(dir);
      removePeerFolder(dir);
      await folder.release();
    },
  };

  try {
    if (stargzAddress) {
      daemons.push(
        await startDaemon({
          name: 'containerd-stargz-grpc',
          command: tools.path('containerd-stargz-grpc'),
          args: ['--root', path.join(dir, 'stargz'), '--address', stargzAddress, '--log-level', 'warn'],
          env: fullEnv,
          logFile: path.join(dir, 'stargz.log'),
          ready: () => socketAccepts(stargzAddress),
        }),
      );
    }
    daemons.push(
      await startDaemon({
        name: 'containerd',
        command: tools.path('containerd'),
        args: ['--config', configFile],
        env: fullEnv,
        logFile: path.join(dir, 'containerd.log'),
        ready: () => socketAccepts(address),
      }),
    );
    daemons.push(
      await startDaemon({
        name: 'buildkitd',
        command: tools.path('buildkitd'),
        args: ['--config', buildkitFile],
        env: fullEnv,
        logFile: path.join(dir, 'buildkitd.log'),
        ready: async () => (await socketAccepts(buildkitSocket)) && run(info.buildctl, ['--addr', info.buildkitAddress, 'debug', 'workers']).status === 0,
      }),
    );
  } catch (err) {
    await handle.dispose();
    throw err;
  }
  return handle;
}
