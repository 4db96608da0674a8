#!/usr/bin/env bash
# Installs the real peers Berth's tests run against, outside the checkout.
#
#   bash scripts/test-tools.sh            install (or reuse) everything, then print the tools folder
#   bash scripts/test-tools.sh --print    print the tools folder only (exit 1 when it is not built)
#
# Versions are pinned in test/tools/versions.env. The Go tools are built from their released modules through
# the small modules under test/tools/<module>/ (their go.mod/go.sum pin every dependency). Each module is built
# once into its own cache folder,
#   ${BERTH_TOOLS_CACHE:-$HOME/.cache/berth-test-tools}/modules/<module>-<hash of its recipe, pins and files>/
# so adding or changing one tool rebuilds only that one. The folder the tests use (and --print prints),
#   ${BERTH_TOOLS_CACHE:-$HOME/.cache/berth-test-tools}/<hash of every module's hash>/
# holds hard links to them all: bin/ (containerd, containerd-shim-runc-v2, ctr, nerdctl, buildkitd, buildctl,
# limactl, containerd-stargz-grpc, kube-apiserver, kubelet, runsc, containerd-shim-runsc-v1), libexec/cni/ (CNI plugins), share/lima/ (lima-guestagent, where limactl
# looks for it beside its bin/).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$PWD/test/tools
# shellcheck source=../test/tools/versions.env
. "$tools/versions.env"

cache=${BERTH_TOOLS_CACHE:-$HOME/.cache/berth-test-tools}
MODULES=(containerd nerdctl buildkit cni lima stargz kube gvisor)

say() { printf '[test-tools] %s\n' "$*" >&2; }

# gobuild <module> <output dir> <ldflags> <package>...: one `go build` in test/tools/<module>.
gobuild() {
  local dir=$1 out=$2 ldflags=$3; shift 3
  mkdir -p "$out"
  (cd "$tools/$dir" && go build -ldflags "-s -w $ldflags" -o "$out/" "$@")
}

# Recipes: build_<module> <folder> builds that module's tools into <folder>. A recipe's text, the *_VERSION pins
# it names and the files of test/tools/<module>/ make the module's cache key.
build_containerd() {
  gobuild containerd "$1/bin" "-X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION" \
    github.com/containerd/containerd/v2/cmd/containerd \
    github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 \
    github.com/containerd/containerd/v2/cmd/ctr
}
build_nerdctl() {
  gobuild nerdctl "$1/bin" "-X github.com/containerd/nerdctl/v2/pkg/version.Version=$NERDCTL_VERSION" \
    github.com/containerd/nerdctl/v2/cmd/nerdctl
}
build_buildkit() {
  gobuild buildkit "$1/bin" "-X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION" \
    github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl
}
build_cni() {
  gobuild cni "$1/libexec/cni" "-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=$CNI_PLUGINS_VERSION" \
    github.com/containernetworking/plugins/plugins/main/bridge \
    github.com/containernetworking/plugins/plugins/ipam/host-local \
    github.com/containernetworking/plugins/plugins/main/loopback \
    github.com/containernetworking/plugins/plugins/meta/portmap \
    github.com/containernetworking/plugins/plugins/meta/firewall \
    github.com/containernetworking/plugins/plugins/meta/tuning
}
build_lima() {
  # Lima's own releases print the version without its leading v (limactl version 2.2.0).
  gobuild lima "$1/bin" "-X github.com/lima-vm/lima/v2/pkg/version.Version=${LIMA_VERSION#v}" github.com/lima-vm/lima/v2/cmd/limactl
  # limactl looks for the guest agent in <prefix>/share/lima, named by the guest's OS and arch; it is static.
  CGO_ENABLED=0 GOOS=linux gobuild lima "$1/share/lima" "-X github.com/lima-vm/lima/v2/pkg/version.Version=${LIMA_VERSION#v}" \
    github.com/lima-vm/lima/v2/cmd/lima-guestagent
  mv "$1/share/lima/lima-guestagent" "$1/share/lima/lima-guestagent.Linux-$(uname -m)"
}
build_stargz() {
  # Berth's own small main over the snapshotter library: upstream's cmd module is not on the proxy (see its main.go).
  gobuild stargz "$1/bin" "-X main.Version=$STARGZ_VERSION" ./cmd/containerd-stargz-grpc
}

build_kube() {
  # A control plane for the pods tests (as controller-runtime's envtest): kube-apiserver from k8s.io/kubernetes, whose
  # staging modules test/tools/kube/go.mod replaces with their published releases. etcd is Debian's etcd-server.
  # The kubelet of the same release runs a node on a private containerd's CRI (logs, exec, port-forward).
  # Static, as Kubernetes releases them.
  CGO_ENABLED=0 gobuild kube "$1/bin" "-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubelet
}

build_gvisor() {
  # gVisor's runsc and its containerd shim (runtime type io.containerd.runsc.v1), from the module's "go" branch (pseudo-
  # versions). Debian's runsc package has no shim. Static, as gVisor releases them; they also fill a VM's <resources>/gvisor.
  grep -q "gvisor.dev/gvisor $GVISOR_VERSION" "$tools/gvisor/go.mod" || { say "test/tools/gvisor/go.mod does not pin GVISOR_VERSION"; return 1; }
  CGO_ENABLED=0 gobuild gvisor "$1/bin" "-X gvisor.dev/gvisor/runsc/version.version=$GVISOR_VERSION" gvisor.dev/gvisor/runsc
  CGO_ENABLED=0 gobuild gvisor "$1/bin" "" gvisor.dev/gvisor/shim
  mv "$1/bin/shim" "$1/bin/containerd-shim-runsc-v1"
}

module_key() {
  local m=$1 recipe pins v
  recipe=$(declare -f "build_$m")
  pins=$(for v in $(grep -o '[A-Z_]*_VERSION' <<<"$recipe" | sort -u); do echo "$v=${!v}"; done)
  { echo "$recipe"; echo "$pins"; (cd "$tools/$m" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); } | sha256sum | cut -c1-16
}

declare -A keys
for m in "${MODULES[@]}"; do keys[$m]=$(module_key "$m"); done
set_key=$(for m in "${MODULES[@]}"; do echo "$m ${keys[$m]}"; done | sha256sum | cut -c1-16)
dest=$cache/$set_key

if [ "${1:-}" = "--print" ]; then
  [ -f "$dest/.complete" ] || { echo "test tools are not built: run bash scripts/test-tools.sh" >&2; exit 1; }
  echo "$dest"
  exit 0
fi

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

export CGO_ENABLED=${CGO_ENABLED:-1} GOFLAGS="-buildvcs=false -trimpath" GOTOOLCHAIN=local
built=()
for m in "${MODULES[@]}"; do
  mdir=$cache/modules/$m-${keys[$m]}
  if [ -d "$mdir" ]; then  # only ever made by the mv below, so complete
    say "$m: reused ($mdir)"
    continue
  fi
  command -v go >/dev/null || { say "Go is needed to build the test tools (https://go.dev/dl)"; exit 1; }
  s=$(date +%s)
  rm -rf "$mdir.partial"
  mkdir -p "$mdir.partial"
  "build_$m" "$mdir.partial"
  rm -rf "$mdir"
  mv "$mdir.partial" "$mdir"
  secs=$(( $(date +%s) - s ))
  say "$m: built $(cd "$mdir" && find . -type f -printf '%f ' | tr -s ' ')in $secs s"
  built+=("$m (${secs} s)")
done

# The set folder: hard links (same file system) to every module's files.
rm -rf "$dest.partial"
mkdir -p "$dest.partial"
for m in "${MODULES[@]}"; do
  cp -al "$cache/modules/$m-${keys[$m]}/." "$dest.partial/"
done
{
  echo "containerd $CONTAINERD_VERSION"
  echo "nerdctl $NERDCTL_VERSION"
  echo "buildkit $BUILDKIT_VERSION"
  echo "cni-plugins $CNI_PLUGINS_VERSION"
  echo "lima $LIMA_VERSION"
  echo "stargz-snapshotter $STARGZ_VERSION"
  echo "kube-apiserver $KUBERNETES_VERSION"
  echo "kubelet $KUBERNETES_VERSION"
  echo "gvisor $GVISOR_VERSION"
  echo "go $(go version 2>/dev/null | cut -d' ' -f3)"
} > "$dest.partial/versions.txt"
touch "$dest.partial/.complete"
rm -rf "$dest"
mv "$dest.partial" "$dest"
ln -sfn "$dest" "$cache/current"
say "built: ${built[*]:-nothing (every module was cached)}; tools folder ready in $(( $(date +%s) - t0 )) s"
echo "$dest"
