#!/usr/bin/env bash
# Builds the real control plane the test environment runs, once, into a cache
# folder outside the repository keyed by version:
#   $AIC_KUBE_CACHE/kubernetes-<v>/bin/{kube-apiserver,kube-controller-manager,kube-scheduler}
#   $AIC_KUBE_CACHE/etcd-<v>/bin/aic-etcd
#   $AIC_KUBE_CACHE/kwok-<v>/bin/kwok and stages.yaml (kwok's own node/pod stages)
#   $AIC_KUBE_CACHE/kserve-<v>/crds.yaml (the KServe module's CRD YAML, the
#   llmisvc ones (LLMInferenceService, LLMInferenceServiceConfig) included)
# A component whose binaries exist is skipped, so a second run takes a second.
# Needs Go (PATH or /usr/local/go/bin) and the Go module proxy.
set -euo pipefail

KUBERNETES_VERSION="${AIC_KUBERNETES_VERSION:-v1.34.4}"
ETCD_VERSION="${AIC_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${AIC_KWOK_VERSION:-v0.8.0}"
KSERVE_VERSION="${AIC_KSERVE_VERSION:-v0.16.0}"
CACHE="${AIC_KUBE_CACHE:-$HOME/.cache/aic-kube-testenv}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
command -v go >/dev/null 2>&1 || { echo "build-binaries: Go is not installed (need go on PATH or /usr/local/go/bin)" >&2; exit 1; }

# Go's build and module caches stay outside the repository.
export GOCACHE="${GOCACHE:-$CACHE/gocache}"
export GOFLAGS="-mod=mod"
export CGO_ENABLED=0
mkdir -p "$CACHE"

say() { printf '[kube-testenv build %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

have_all() { local d="$1"; shift; for b in "$@"; do [ -x "$d/$b" ] || return 1; done; }

# build <dir> <bins...> -- <packages...>: builds into a temporary folder and
# renames it into place, so an interrupted build never looks finished.
install_bins() {
  local out="$1" tmp="$2"; shift 2
  for b in "$@"; do [ -x "$tmp/$b" ] || { echo "build-binaries: $b missing after build" >&2; exit 1; }; done
  mkdir -p "$out"
  for b in "$@"; do mv -f "$tmp/$b" "$out/$b"; done
}

# --- kube-apiserver, kube-controller-manager, kube-scheduler ---------------
KUBE_DIR="$CACHE/kubernetes-$KUBERNETES_VERSION"
KUBE_BINS=(kube-apiserver kube-controller-manager kube-scheduler)
if have_all "$KUBE_DIR/bin" "${KUBE_BINS[@]}"; then
  say "kubernetes $KUBERNETES_VERSION: cached in $KUBE_DIR/bin"
else
  start=$(date +%s)
  say "kubernetes $KUBERNETES_VERSION: building ${KUBE_BINS[*]} (cold build takes many minutes on 2 cores)"
  src="$KUBE_DIR/src"; mkdir -p "$src"
  staging="v0.${KUBERNETES_VERSION#v1.}"
  {
    echo "module aic.local/kube-testenv-build"
    echo
    echo "go 1.24.0"
    echo
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    echo
  } >"$src/go.mod"
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and points them at
  # ./staging; outside its own tree every one must be replaced by its release.
  modfile="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$modfile" | awk '{print $1}' | sort -u | while read -r m; do
    echo "replace $m => $m $staging" >>"$src/go.mod"
  done
  cat >"$src/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
GO
  say "kubernetes: resolving modules (staging modules replaced by $staging)"
  (cd "$src" && go mod download k8s.io/kubernetes && go mod tidy -e >/dev/null 2>&1 || true)
  tmp="$KUBE_DIR/tmp-bin"; rm -rf "$tmp"; mkdir -p "$tmp"
  say "kubernetes: compiling (one go build for the three commands so they share packages)"
  # The version the binaries report (kubectl version, /version); a module
  # build does not get it from git as the Kubernetes Makefile does.
  minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags="$ldflags -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$src" && go build -v -trimpath -ldflags="$ldflags" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler 2>&1 | awk -v n=0 '{n++; if (n % 200 == 0) { printf "[kube-testenv build] kubernetes: %d packages compiled\n", n; fflush() } } /\.go:[0-9]+/ {print; fflush()}')
  install_bins "$KUBE_DIR/bin" "$tmp" "${KUBE_BINS[@]}"
  rm -rf "$tmp"
  say "kubernetes $KUBERNETES_VERSION: built in $(( $(date +%s) - start ))s"
fi

# --- etcd ------------------------------------------------------------------
ETCD_DIR="$CACHE/etcd-$ETCD_VERSION"
if have_all "$ETCD_DIR/bin" aic-etcd; then
  say "etcd $ETCD_VERSION: cached in $ETCD_DIR/bin"
else
  start=$(date +%s)
  say "etcd $ETCD_VERSION: building aic-etcd (go.etcd.io/etcd/server/v3/embed)"
  src="$ETCD_DIR/src"; mkdir -p "$src"
  cp "$HERE/go/etcd/main.go" "$src/main.go"
  printf 'module aic.local/aic-etcd\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$src/go.mod"
  tmp="$ETCD_DIR/tmp-bin"; rm -rf "$tmp"; mkdir -p "$tmp"
  (cd "$src" && go mod tidy && go build -trimpath -ldflags="-s -w" -o "$tmp/aic-etcd" .)
  install_bins "$ETCD_DIR/bin" "$tmp" aic-etcd
  rm -rf "$tmp"
  say "etcd $ETCD_VERSION: built in $(( $(date +%s) - start ))s"
fi

# --- kwok --------------------------------------------------------------------
KWOK_DIR="$CACHE/kwok-$KWOK_VERSION"
if have_all "$KWOK_DIR/bin" kwok; then
  say "kwok $KWOK_VERSION: cached in $KWOK_DIR/bin"
else
  start=$(date +%s)
  say "kwok $KWOK_VERSION: building sigs.k8s.io/kwok/cmd/kwok"
  src="$KWOK_DIR/src"; mkdir -p "$src"
  printf 'module aic.local/kwok-build\n\ngo 1.26.0\n\nrequire sigs.k8s.io/kwok %s\n' "$KWOK_VERSION" >"$src/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "sigs.k8s.io/kwok/cmd/kwok"\n' >"$src/tools.go"
  tmp="$KWOK_DIR/tmp-bin"; rm -rf "$tmp"; mkdir -p "$tmp"
  (cd "$src" && go mod tidy -e >/dev/null 2>&1 || true)
  (cd "$src" && go build -trimpath -ldflags="-s -w" -o "$tmp/kwok" sigs.k8s.io/kwok/cmd/kwok)
  install_bins "$KWOK_DIR/bin" "$tmp" kwok
  rm -rf "$tmp"
  say "kwok $KWOK_VERSION: built in $(( $(date +%s) - start ))s"
fi

# kwok's "fast" node and pod stages plus node heartbeats with leases, taken
# from the kwok module (kustomize/stage/fast lists the same files).
if [ ! -s "$KWOK_DIR/stages.yaml" ]; then
  dir="$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  {
    for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
      pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
      echo "---"
      cat "$dir/kustomize/stage/$f"
    done
  } >"$KWOK_DIR/stages.yaml.tmp"
  mv "$KWOK_DIR/stages.yaml.tmp" "$KWOK_DIR/stages.yaml"
  say "kwok $KWOK_VERSION: stages written to $KWOK_DIR/stages.yaml"
fi

# --- KServe CRDs ---------------------------------------------------------------
KSERVE_DIR="$CACHE/kserve-$KSERVE_VERSION"
if [ -s "$KSERVE_DIR/crds.yaml" ]; then
  say "kserve $KSERVE_VERSION: CRDs cached in $KSERVE_DIR/crds.yaml"
else
  mkdir -p "$KSERVE_DIR"
  dir="$(go mod download -json "github.com/kserve/kserve@$KSERVE_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [ -n "$dir" ] && [ -d "$dir/config/crd/full" ] || { echo "build-binaries: KServe module $KSERVE_VERSION has no config/crd/full" >&2; exit 1; }
  {
    # the v1beta1/v1alpha1 CRDs, and from v0.16 the LLMInferenceService ones
    # in their own folder
    for f in "$dir"/config/crd/full/serving.kserve.io_*.yaml "$dir"/config/crd/full/llmisvc/serving.kserve.io_*.yaml; do
      [ -e "$f" ] || continue
      echo "---"
      cat "$f"
    done
  } >"$KSERVE_DIR/crds.yaml.tmp"
  mv "$KSERVE_DIR/crds.yaml.tmp" "$KSERVE_DIR/crds.yaml"
  say "kserve $KSERVE_VERSION: CRDs from $dir/config/crd/full written to $KSERVE_DIR/crds.yaml"
fi

say "control plane binaries ready under $CACHE"
