/**
 * gVisor for the VM's containerd (issue 15): the guest gets runsc and its containerd shim
 * (`containerd-shim-runsc-v1`) from the host's cache folder, mounted read-only, and registers them as a
 * containerd runtime. Pure: the template renderer adds the mount, the param and this script.
 */
/** Where the guest sees the host's gVisor folder (runsc + containerd-shim-runsc-v1), mounted read-only. */
export const GVISOR_GUEST_DIR = '/mnt/lima-berth-gvisor';
/** The binaries the host folder must hold. */
export const GVISOR_BINARIES = ['runsc', 'containerd-shim-runsc-v1'] as const;
/** containerd's name for the shim (nerdctl `--runtime io.containerd.runsc.v1`; CRI's runtime_type). */
export const GVISOR_RUNTIME_TYPE = 'io.containerd.runsc.v1';

/** The containerd configuration piece the script writes (imported from /etc/containerd/conf.d). */
export function gvisorContainerdConfig(): string {
  return `# Written by Berth: gVisor (runsc) as a containerd runtime.
version = 2
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc]
  runtime_type = "${GVISOR_RUNTIME_TYPE}"
`;
}

/**
 * The system provision script (Lima runs it at every boot, as root). Installs runsc and the shim from the
 * host's folder when they differ from what is installed (checked by content, so an updated cache is picked
 * up), registers the runtime with containerd (conf.d, imported by the config; a config without that import
 * gets it), and restarts containerd only when something changed. Nothing is downloaded in the guest; a
 * binary still missing after 5 minutes (a reverse-sshfs mount arrives after boot starts) fails the
 * provisioning with a sentence that names it.
 */
export function gvisorProvisionScript(): string {
  const bins = GVISOR_BINARIES.join(' ');
  return `#!/bin/sh
# Berth: gVisor (runsc + ${GVISOR_BINARIES[1]}) for containerd, from the host's folder at ${GVISOR_GUEST_DIR}.
set -eu
# The template's param (Lima passes it as PARAM_BERTH_GVISOR; it also refuses a param no script reads).
[ "\${PARAM_BERTH_GVISOR:-false}" = true ] || exit 0
changed=false
# A reverse-sshfs mount comes up when Lima's host agent reaches the guest, which can be after this script starts.
waited=0
while [ "$waited" -lt 300 ]; do
  missing=false
  for b in ${bins}; do [ -x "${GVISOR_GUEST_DIR}/$b" ] || missing=true; done
  [ "$missing" = false ] && break
  sleep 1
  waited=$((waited + 1))
done
for b in ${bins}; do
  if [ ! -x "${GVISOR_GUEST_DIR}/$b" ]; then echo "berth: gVisor's $b is not in the host's folder (${GVISOR_GUEST_DIR})" >&2; exit 1; fi
  if ! cmp -s "${GVISOR_GUEST_DIR}/$b" "/usr/local/bin/$b"; then
    install -m 0755 "${GVISOR_GUEST_DIR}/$b" "/usr/local/bin/$b.new" && mv -f "/usr/local/bin/$b.new" "/usr/local/bin/$b"
    changed=true
  fi
done
mkdir -p /etc/containerd/conf.d
conf=/etc/containerd/conf.d/berth-gvisor.toml
cat > "$conf.new" <<'CONFIG'
${gvisorContainerdConfig().trimEnd()}
CONFIG
if cmp -s "$conf.new" "$conf"; then rm -f "$conf.new"; else mv -f "$conf.new" "$conf"; changed=true; fi
main=/etc/containerd/config.toml
if [ ! -f "$main" ]; then
  printf 'version = 2\\nimports = ["/etc/containerd/conf.d/*.toml"]\\n' > "$main"
  changed=true
elif ! grep -q 'conf\\.d' "$main"; then
  # imports is a top-level key: it goes before the first table.
  { echo 'imports = ["/etc/containerd/conf.d/*.toml"]'; cat "$main"; } > "$main.new" && mv -f "$main.new" "$main"
  changed=true
fi
if [ "$changed" = true ] && systemctl is-active --quiet containerd.service; then systemctl restart containerd.service; fi
echo "berth: gVisor is installed ($(/usr/local/bin/runsc --version 2>/dev/null | head -n1))"
`;
}
