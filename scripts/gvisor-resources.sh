#!/usr/bin/env bash
# Fills resources/gvisor (packaged as <resources>/gvisor) with gVisor's runsc and containerd-shim-runsc-v1 for the
# VM's gVisor option: Linux builds, static, for the guest's architecture.
#
#   bash scripts/gvisor-resources.sh            this machine's architecture, when it runs Linux: the files
#                                               scripts/test-tools.sh built (built there if needed)
#   bash scripts/gvisor-resources.sh <arch>     amd64 or arm64: built from test/tools/gvisor (the pinned module) with GOOS=linux
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/resources/gvisor
say() { printf '[gvisor-resources] %s\n' "$*" >&2; }
case "$(uname -m)" in x86_64) host=amd64 ;; aarch64 | arm64) host=arm64 ;; *) host=$(uname -m) ;; esac
arch=${1:-$host}
case "$arch" in amd64 | arm64) ;; *) say "unknown architecture $arch (amd64 or arm64)"; exit 2 ;; esac

if [ "$(uname -s)" = Linux ] && [ "$arch" = "$host" ]; then
  tools=$(bash scripts/test-tools.sh --print 2>/dev/null) || tools=$(bash scripts/test-tools.sh)
  for b in runsc containerd-shim-runsc-v1; do install -m 0755 "$tools/bin/$b" "$out/$b"; done
else
  . test/tools/versions.env
  s=$(date +%s)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd test/tools/gvisor && CGO_ENABLED=0 GOOS=linux GOARCH=$arch GOFLAGS="-buildvcs=false -trimpath" GOTOOLCHAIN=local \
    go build -ldflags "-s -w -X gvisor.dev/gvisor/runsc/version.version=$GVISOR_VERSION" -o "$tmp/" gvisor.dev/gvisor/runsc gvisor.dev/gvisor/shim)
  install -m 0755 "$tmp/runsc" "$out/runsc"
  install -m 0755 "$tmp/shim" "$out/containerd-shim-runsc-v1"
  say "built for linux/$arch in $(( $(date +%s) - s )) s"
fi
say "$out: $(cd "$out" && ls runsc containerd-shim-runsc-v1 | tr '\n' ' ')(linux/$arch)"
