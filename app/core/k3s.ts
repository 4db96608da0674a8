/**
 * k3s in the VM (issue 17): which release assets a version needs, how their checksums read, and the provision script
 * the Lima template runs at every boot. Pure: the download lives in adapters/kube/k3s-cache.ts.
 */
import { BerthError } from '../contract/errors';
import { K3S_DEFAULT_VERSION, K3S_VERSION_PATTERN } from '../contract/settings';
export { K3S_DEFAULT_VERSION, K3S_VERSION_PATTERN };
/** Where the guest sees the host's k3s cache (mounted read-only by the template). */
export const K3S_GUEST_CACHE = '/mnt/lima-berth-k3s';
export const K3S_RELEASES = 'https://github.com/k3s-io/k3s/releases/download';

export type K3sArch = 'amd64' | 'arm64';

/** The guest architecture for a Node/Lima arch name. */
export function k3sArch(arch: string): K3sArch {
  if (arch === 'x64' || arch === 'x86_64' || arch === 'amd64') return 'amd64';
  if (arch === 'arm64' || arch === 'aarch64') return 'arm64';
  throw new BerthError('NOT_SUPPORTED', `k3s has no release for the ${arch} architecture`, { hint: 'Berth runs Kubernetes on x86_64 and arm64 VMs.' });
}

export interface K3sAssets {
  /** The release file of the binary (`k3s` or `k3s-arm64`). */
  binary: string;
  images: string;
  /** The sha256sum file that covers both. */
  checksums: string;
}

export function k3sAssets(arch: K3sArch): K3sAssets {
  return arch === 'amd64'
    ? { binary: 'k3s', images: 'k3s-airgap-images-amd64.tar.zst', checksums: 'sha256sum-amd64.txt' }
    : { binary: 'k3s-arm64', images: 'k3s-airgap-images-arm64.tar.zst', checksums: 'sha256sum-arm64.txt' };
}

export function assertK3sVersion(version: string): void {
  if (!K3S_VERSION_PATTERN.test(version)) throw new BerthError('INVALID_INPUT', `"${version}" is not a k3s release (like ${K3S_DEFAULT_VERSION})`);
}

/** The URL of one asset of a release (the `+` of the version is escaped, as GitHub's links are). */
export function k3sAssetUrl(base: string, version: string, file: string): string {
  assertK3sVersion(version);
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(version)}/${file}`;
}

/** `sha256sum` output (`<hex>  <name>` or `<hex> *<name>`) as name → hex. Throws INVALID_INPUT on a malformed line. */
export function parseSha256Sums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)$/.exec(line);
    if (!m) throw new BerthError('INVALID_INPUT', `Line ${i + 1} of the checksum file is not "<sha256>  <file>"`, { details: { line: line.slice(0, 200) } });
    out.set(m[2]!, m[1]!.toLowerCase());
  }
  return out;
}

export interface KubernetesVm {
  enabled: boolean;
  version: string;
  /** The API server's port, the same in the guest and on the host's 127.0.0.1. */
  port: number;
  /** The host folder that holds `<version>/` (mounted read-only at K3S_GUEST_CACHE); '' when unknown. */
  cacheDir: string;
}

/** The Lima params the provision script reads (as PARAM_* variables); the runtime says which socket k3s uses. */
export function k3sParams(k: KubernetesVm, runtime: 'containerd' | 'moby'): Record<string, string> {
  return { BERTH_KUBERNETES: k.enabled ? 'true' : 'false', BERTH_K3S_VERSION: k.version, BERTH_K3S_PORT: String(k.port), BERTH_K3S_RUNTIME: runtime === 'moby' ? 'docker' : 'containerd' };
}

/** The explicit forward of the API port to the host's loopback (Lima matches rules in order: it comes first). */
export const k3sPortForward = (k: KubernetesVm) => ({ guestPort: k.port, hostPort: k.port, hostIP: '127.0.0.1' });

/**
 * The system provision script (Lima runs it at every boot, as root, with the params as PARAM_* variables).
 * On: installs the cached binary after checking it against the cached checksums, imports the air-gap images into the
 * runtime's image store once per version, writes k3s' config (the VM's containerd, or dockerd through k3s' cri-dockerd)
 * and starts the `k3s` unit. Off: stops and disables the unit; the cluster's data stays until "Reset Kubernetes".
 * Nothing is downloaded in the guest.
 */
export function k3sProvisionScript(): string {
  return `#!/bin/sh
# Berth: Kubernetes (k3s) from the host's cache at ${K3S_GUEST_CACHE}; never downloaded inside the VM.
set -eu
unit=/etc/systemd/system/k3s.service
if [ "\${PARAM_BERTH_KUBERNETES:-false}" != true ]; then
  if [ -f "$unit" ]; then systemctl disable --now k3s.service || true; fi
  exit 0
fi
version="$PARAM_BERTH_K3S_VERSION"
port="$PARAM_BERTH_K3S_PORT"
case "$(uname -m)" in x86_64) arch=amd64; bin=k3s ;; aarch64) arch=arm64; bin=k3s-arm64 ;; *) echo "berth: no k3s for $(uname -m)" >&2; exit 1 ;; esac
src="${K3S_GUEST_CACHE}/$version"
images="k3s-airgap-images-$arch.tar.zst"
if [ ! -f "$src/$bin" ] || [ ! -f "$src/$images" ] || [ ! -f "$src/sha256sum-$arch.txt" ]; then
  echo "berth: k3s $version is not in the host's cache ($src)" >&2
  exit 1
fi
(cd "$src" && grep -E " \\*?($bin|$images)$" "sha256sum-$arch.txt" | sha256sum -c --quiet -)
install -m 0755 "$src/$bin" /usr/local/bin/k3s.new && mv -f /usr/local/bin/k3s.new /usr/local/bin/k3s
for l in kubectl crictl; do ln -sf k3s "/usr/local/bin/$l"; done
mkdir -p /etc/rancher/k3s /var/lib/berth
if [ "\${PARAM_BERTH_K3S_RUNTIME:-containerd}" = docker ]; then
  sock=/var/run/docker.sock
  runtime='docker: true'
  load() { docker load -i "$1"; }
else
  sock=/run/containerd/containerd.sock
  runtime="container-runtime-endpoint: unix://$sock"
  load() { nerdctl --address "$sock" --namespace k8s.io load -i "$1"; }
fi
# The engine may still be starting at boot: wait for its socket (2 minutes at most).
i=0
while [ ! -S "$sock" ] && [ "$i" -lt 120 ]; do sleep 1; i=$((i + 1)); done
if [ ! -S "$sock" ]; then echo "berth: $sock did not appear; Kubernetes needs the VM's rootful containerd or dockerd" >&2; exit 1; fi
marker="/var/lib/berth/k3s-images-$version"
if [ ! -f "$marker" ]; then
  load "$src/$images"
  touch "$marker"
fi
cat > /etc/rancher/k3s/config.yaml.new <<CONFIG
# Written by Berth at every boot from its VM settings.
https-port: $port
write-kubeconfig-mode: "0600"
tls-san: [127.0.0.1, localhost]
node-name: berth
disable: [traefik]
$runtime
CONFIG
mv -f /etc/rancher/k3s/config.yaml.new /etc/rancher/k3s/config.yaml
cat > "$unit" <<'UNIT'
[Unit]
Description=Kubernetes (k3s), started by Berth
After=network-online.target containerd.service docker.service
Wants=network-online.target
[Service]
Type=notify
ExecStart=/usr/local/bin/k3s server
KillMode=process
Delegate=yes
LimitNOFILE=1048576
Restart=always
RestartSec=5s
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable k3s.service
systemctl restart k3s.service
`;
}

/**
 * What "Reset Kubernetes" deletes inside the VM: the cluster's datastore and certificates, its kubeconfig, and the
 * pods' containers. It keeps the k3s binary, its config, the images (the air-gap ones and any you built) and the cache.
 */
export const K3S_RESET_DELETES = [
  { path: '/var/lib/rancher/k3s', what: 'The cluster: every object (pods, deployments, secrets...), its certificates and volumes' },
  { path: '/etc/rancher/k3s/k3s.yaml', what: "The cluster's kubeconfig (a new one is made at the next start)" },
  { path: 'containers of the pods', what: "The pods' containers (containerd namespace k8s.io, or dockerd's k8s_* containers)" },
] as const;

/** The guest command that resets the cluster (run as root): stop k3s, remove the pods' containers and the state, start again. */
export function k3sResetCommand(): string[] {
  const script = [
    'set -u',
    'systemctl stop k3s.service 2>/dev/null || true',
    'if [ -S /var/run/docker.sock ]; then ids=$(docker ps -aq --filter name=^k8s_); [ -z "$ids" ] || docker rm -f $ids; ' +
      'else ids=$(nerdctl --namespace k8s.io ps -aq); [ -z "$ids" ] || nerdctl --namespace k8s.io rm -f $ids; fi',
    'rm -rf /var/lib/rancher/k3s /etc/rancher/k3s/k3s.yaml',
    'if systemctl is-enabled --quiet k3s.service 2>/dev/null; then systemctl start k3s.service; fi',
  ].join('\n');
  return ['sh', '-c', script];
}
