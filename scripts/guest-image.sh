#!/usr/bin/env bash
# Builds Berth's guest image offline from Debian's packages: a minimal, immutable-by-default Linux for the Lima VM.
#
#   scripts/guest-image.sh            build (or reuse) the image, then print its folder
#   scripts/guest-image.sh --print    print the folder only (exit 1 when it is not built)
#
# The folder (under ${BERTH_TOOLS_CACHE:-$HOME/.cache/berth-test-tools}/guest-<hash>/) holds
#   vmlinuz, initrd.img   Debian's cloud kernel and its initramfs (Lima boots them directly: no bootloader)
#   rootfs.img            an ext4 root file system without a partition table (made by `mke2fs -d`, no loop devices),
#                         label berth-root, in qcow2
#   nerdctl-archive.tar.gz  the containerd archive the test template names (its nerdctl is older: Lima keeps the image's)
#   info.txt              what went in, its size and how long the build took
# Inside: systemd, cloud-init (NoCloud: Lima's cidata), openssh-server, sudo, and everything Lima's boot scripts
# would otherwise install; containerd 2, nerdctl, BuildKit and the CNI plugins from scripts/test-tools.sh, run by
# systemd (rootful); lima-guestagent is copied in by Lima itself at boot (from its cidata). No time sync daemon,
# no package index: nothing in the guest reaches the network.
#
# It grows into the image Berth ships by changing the package list and the tool folder, not the method.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

tools=$(bash scripts/test-tools.sh --print) || { echo "build the test tools first: bash scripts/test-tools.sh" >&2; exit 1; }
cache=${BERTH_TOOLS_CACHE:-$HOME/.cache/berth-test-tools}
suite=bookworm
packages=(
  linux-image-cloud-amd64 systemd systemd-sysv udev dbus openssh-server sudo cloud-init
  ifupdown isc-dhcp-client iproute2 iptables runc rsync fuse3 sshfs uidmap e2fsprogs kmod procps ca-certificates less tzdata libnss-myhostname
)
# Keyed by this script, the package list and the tools the guest carries (their contents, not the tools folder's name:
# adding an unrelated test tool must not rebuild the guest).
guest_tools=(bin/containerd bin/containerd-shim-runc-v2 bin/ctr bin/nerdctl bin/buildkitd bin/buildctl bin/containerd-stargz-grpc libexec/cni)
hash=$( (cat "$0"; echo "${packages[*]}"; cd "$tools" && find "${guest_tools[@]}" -type f | sort | xargs sha256sum) | sha256sum | cut -c1-16)
dest=$cache/guest-$hash

if [ "${1:-}" = "--print" ]; then
  [ -f "$dest/.complete" ] || { echo "the guest image is not built: run scripts/guest-image.sh" >&2; exit 1; }
  echo "$dest"
  exit 0
fi
say() { printf '[guest-image] %s\n' "$*" >&2; }
if [ -f "$dest/.complete" ]; then
  say "reused $dest"
  echo "$dest"
  exit 0
fi
command -v mmdebstrap >/dev/null && command -v mke2fs >/dev/null || {
  say "installing mmdebstrap and e2fsprogs"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap e2fsprogs >&2
}

t0=$(date +%s)
work=$dest.partial
rm -rf "$work"
mkdir -p "$work"
tree=$work/tree

# What the guest runs at boot, beside Lima's own scripts: containerd, buildkitd and the stargz snapshotter as system
# services, with the unit names and configuration that Lima's rootful containerd set-up (its 40-install-containerd.sh)
# would give them, so that Lima finds everything in place and installs nothing.
units=$work/units
mkdir -p "$units"
cat > "$units/containerd.service" <<'EOF'
[Unit]
Description=containerd (Berth guest)
After=network.target local-fs.target stargz-snapshotter.service
[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/local/bin/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
LimitNOFILE=infinity
[Install]
WantedBy=multi-user.target
EOF
cat > "$units/buildkit.service" <<'EOF'
[Unit]
Description=BuildKit (Berth guest)
After=containerd.service
Requires=containerd.service
[Service]
ExecStart=/usr/local/bin/buildkitd
Restart=always
[Install]
WantedBy=multi-user.target
EOF
cat > "$units/stargz-snapshotter.service" <<'EOF'
[Unit]
Description=stargz snapshotter (Berth guest)
[Service]
ExecStart=/usr/local/bin/containerd-stargz-grpc
Restart=always
[Install]
WantedBy=multi-user.target
EOF
cat > "$units/config.toml" <<'EOF'
version = 2
imports = ['/etc/containerd/conf.d/*.toml']
[proxy_plugins]
  [proxy_plugins."stargz"]
    type = "snapshot"
    address = "/run/containerd-stargz-grpc/containerd-stargz-grpc.sock"
EOF
cat > "$units/buildkitd.toml" <<'EOF'
[worker.oci]
  enabled = false
[worker.containerd]
  enabled = true
  namespace = "default"
  snapshotter = "overlayfs"
EOF
# Berth runs many `limactl shell` calls at once (events, stats, logs, exec), multiplexed on one ssh connection and
# slow to handshake on an emulated guest: let sshd accept them (its defaults are 10 sessions and 10 handshakes).
printf 'MaxStartups 100:30:200\nMaxSessions 200\n' > "$units/sshd-berth.conf"

say "mmdebstrap $suite (${#packages[@]} packages)"
mmdebstrap --variant=apt --quiet \
  --include="$(IFS=,; echo "${packages[*]}")" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --customize-hook="mkdir -p \"\$1/usr/local/bin\" \"\$1/usr/local/libexec/cni\" \"\$1/etc/nerdctl\" \"\$1/etc/containerd/conf.d\" \"\$1/etc/buildkit\"" \
  --customize-hook="cp -a '$tools/bin/containerd' '$tools/bin/containerd-shim-runc-v2' '$tools/bin/ctr' '$tools/bin/nerdctl' '$tools/bin/buildkitd' '$tools/bin/buildctl' '$tools/bin/containerd-stargz-grpc' \"\$1/usr/local/bin/\"" \
  --customize-hook="cp -a '$tools/libexec/cni/.' \"\$1/usr/local/libexec/cni/\"" \
  --customize-hook="cp '$units/containerd.service' '$units/buildkit.service' '$units/stargz-snapshotter.service' \"\$1/etc/systemd/system/\"" \
  --customize-hook="cp '$units/config.toml' \"\$1/etc/containerd/config.toml\"" \
  --customize-hook="cp '$units/buildkitd.toml' \"\$1/etc/buildkit/buildkitd.toml\"" \
  --customize-hook="cp '$units/sshd-berth.conf' \"\$1/etc/ssh/sshd_config.d/berth.conf\"" \
  --customize-hook="chroot \"\$1\" systemctl enable containerd.service buildkit.service stargz-snapshotter.service" \
  --customize-hook="printf 'cni_path = \"/usr/local/libexec/cni\"\n' > \"\$1/etc/nerdctl/nerdctl.toml\"" \
  --customize-hook="printf 'LABEL=berth-root / ext4 defaults,errors=remount-ro 0 1\n' > \"\$1/etc/fstab\"" \
  --customize-hook="printf 'datasource_list: [ NoCloud, None ]\nlocale: C.UTF-8\n' > \"\$1/etc/cloud/cloud.cfg.d/90-berth.cfg\"" \
  --customize-hook="rm -rf \"\$1/var/lib/apt/lists\"/* \"\$1/var/cache/apt\"/*.bin" \
  --customize-hook="sync-out /boot '$work/boot'" \
  "$suite" "$tree" >&2

kernel=$(ls "$work"/boot/vmlinuz-* | head -n1)
initrd=$(ls "$work"/boot/initrd.img-* | head -n1)
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd.img"
rm -rf "$work/boot"
used_mb=$(du -sm "$tree" | cut -f1)
size_mb=$(( used_mb + used_mb / 2 + 256 ))
mke2fs -q -t ext4 -L berth-root -d "$tree" "$work/rootfs.raw" "${size_mb}M"
# qcow2: smaller on disk, and QEMU need not guess the format of a raw image.
qemu-img convert -q -f raw -O qcow2 "$work/rootfs.raw" "$work/rootfs.img"
rm -rf "$tree" "$units" "$work/rootfs.raw"
# The archive a template's rootful containerd set-up is given: its nerdctl is older than the image's, so Lima keeps
# what is installed (its upgrade rule: only a newer bin/nerdctl is unpacked) and downloads nothing.
mkdir -p "$work/archive/bin"
cp "$tools/bin/nerdctl" "$work/archive/bin/nerdctl"
tar --mtime=@0 --owner=0 --group=0 -C "$work/archive" -czf "$work/nerdctl-archive.tar.gz" bin
rm -rf "$work/archive"
secs=$(( $(date +%s) - t0 ))
cat > "$work/info.txt" <<EOF
suite $suite
kernel $(basename "$kernel")
packages ${packages[*]}
tools $(cd "$tools" && cat versions.txt 2>/dev/null | tr '\n' ' ')
root file system: ${used_mb} MiB used, ${size_mb} MiB image ($(du -m "$work/rootfs.img" | cut -f1) MiB on disk, sparse)
built in ${secs} s
EOF
touch "$work/.complete"
rm -rf "$dest"
mv "$work" "$dest"
say "built $dest in ${secs} s: $(sed -n 's/^root file system: //p' "$dest/info.txt")"
echo "$dest"
