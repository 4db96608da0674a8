#!/usr/bin/env bash
# Installs the real peers Berth's tests run against, outside the checkout.
#
#   scripts/test-tools.sh            install (or reuse) everything, then print the tools folder
#   scripts/test-tools.sh --print    print the tools folder only (exit 1 when it is not built)
#
# Versions are pinned in test/tools/versions.env; the Go tools are built from their released modules through the
# small modules under test/tools/<tool>/ (their go.mod/go.sum pin every dependency). The result lands in
#   ${BERTH_TOOLS_CACHE:-$HOME/.cache/berth-test-tools}/<hash of the pins>/
# with bin/ (containerd, shim, ctr, nerdctl, buildkitd, buildctl, limactl), libexec/cni/ (CNI plugins) and
# share/lima/ (lima-guestagent, where limactl looks for it). A folder that exists is reused as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/test/tools
# shellcheck source=../test/tools/versions.env
. "$tools/versions.env"

cache=${BERTH_TOOLS_CACHE:-$HOME/.cache/berth-test-tools}
hash=$(cat "$tools/versions.env" "$tools"/*/go.mod "$tools"/*/go.sum | sha256sum | cut -c1-16)
dest=$cache/$hash

if [ "${1:-}" = "--print" ]; then
  [ -f "$dest/.complete" ] || { echo "test tools are not built: run scripts/test-tools.sh" >&2; exit 1; }
  echo "$dest"
  exit 0
fi

say() { printf '[test-tools] %s\n' "$*" >&2; }
t0=$(date +%s)

# Debian packages (runsc, crun, podman, QEMU, ...).
export DEBIAN_FRONTEND=noninteractive
missing=()
for p in $DEBIAN_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
say "Debian packages ready ($(( $(date +%s) - t0 )) s)"

if [ -f "$dest/.complete" ]; then
  say "Go tools reused from $dest"
  ln -sfn "$dest" "$cache/current"
  echo "$dest"
  exit 0
fi

command -v go >/dev/null || { say "Go is needed to build the test tools (https://go.dev/dl)"; exit 1; }
work=$dest.partial
rm -rf "$work"
mkdir -p "$work/bin" "$work/libexec/cni" "$work/share/lima"
export CGO_ENABLED=${CGO_ENABLED:-1} GOFLAGS="-buildvcs=false -trimpath" GOTOOLCHAIN=local

build() { # build <module dir> <output dir> <package>...
  local dir=$1 out=$2; shift 2
  local s; s=$(date +%s)
  (cd "$tools/$dir" && go build -ldflags "-s -w" -o "$out/" "$@")
  say "built $dir: $(for p in "$@"; do basename "$p"; done | tr '\n' ' ')($(( $(date +%s) - s )) s)"
}

build containerd "$work/bin" \
  github.com/containerd/containerd/v2/cmd/containerd \
  github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 \
  github.com/containerd/containerd/v2/cmd/ctr
build nerdctl "$work/bin" github.com/containerd/nerdctl/v2/cmd/nerdctl
build buildkit "$work/bin" github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl
build cni "$work/libexec/cni" \
  github.com/containernetworking/plugins/plugins/main/bridge \
  github.com/containernetworking/plugins/plugins/ipam/host-local \
  github.com/containernetworking/plugins/plugins/main/loopback \
  github.com/containernetworking/plugins/plugins/meta/portmap \
  github.com/containernetworking/plugins/plugins/meta/firewall \
  github.com/containernetworking/plugins/plugins/meta/tuning
build lima "$work/bin" github.com/lima-vm/lima/v2/cmd/limactl
# limactl looks for the guest agent in <prefix>/share/lima, named by the guest's OS and arch.
(cd "$tools/lima" && GOOS=linux CGO_ENABLED=0 go build -ldflags "-s -w" \
  -o "$work/share/lima/lima-guestagent.Linux-$(uname -m)" github.com/lima-vm/lima/v2/cmd/lima-guestagent)
say "built lima-guestagent"

cat > "$work/versions.txt" <<EOF
containerd $CONTAINERD_VERSION
nerdctl $NERDCTL_VERSION
buildkit $BUILDKIT_VERSION
cni-plugins $CNI_PLUGINS_VERSION
lima $LIMA_VERSION
EOF
touch "$work/.complete"
rm -rf "$dest"
mv "$work" "$dest"
ln -sfn "$dest" "$cache/current"
say "Go tools built into $dest in $(( $(date +%s) - t0 )) s"
echo "$dest"
