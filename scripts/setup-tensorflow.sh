#!/usr/bin/env bash
# Installs the native TensorFlow backend of the trainer (@tensorflow/tfjs-node's binding plus
# libtensorflow), best route first:
#   1. tfjs-node's own install script (downloads libtensorflow 2.9.1 and a prebuilt binding; needs
#      storage.googleapis.com);
#   2. else the binding compiled with g++ against libtensorflow 2.21 taken from pip's tensorflow-cpu
#      wheel (pip download only: nothing is installed into any Python). Built once into
#      $OXELS_CACHE/tfjs-node-4.22.0-tf2.21.0/ (default ~/.cache/oxels), then copied into place;
#   3. else one line saying why, and the trainer keeps wasm.
# pnpm install never runs tfjs-node's install script (package.json: pnpm.neverBuiltDependencies), so
# `pnpm install --frozen-lockfile` stays offline and reproducible. OXELS_NO_TENSORFLOW=1 skips this.
# Cost of route 2: a 274 MB download, about 1 min, 815 MB in the cache.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "setup-tensorflow: $*"; }

if [[ "${OXELS_NO_TENSORFLOW:-}" == 1 ]]; then
  log "skipped (OXELS_NO_TENSORFLOW=1); the trainer uses wasm"
  exit 0
fi

TFN_LINK=packages/trainer/node_modules/@tensorflow/tfjs-node
if [[ ! -d "$TFN_LINK" ]]; then
  log "packages/trainer/node_modules/@tensorflow/tfjs-node is missing: run pnpm install first"
  exit 1
fi
TFN=$(cd "$TFN_LINK" && pwd -P)
TFN_VERSION=$(node -p "require('$TFN/package.json').version")
# node-pre-gyp loads the highest N-API version that both tfjs-node and this Node support.
NAPI=$(node -p "Math.min(8, Number(process.versions.napi))")
ADDON="$TFN/lib/napi-v$NAPI/tfjs_binding.node"
TF_VERSION=2.21.0
CACHE="${OXELS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oxels}/tfjs-node-$TFN_VERSION-tf$TF_VERSION"

# Loads the binding in a child process and runs one op: the test that counts.
works() {
  (cd packages/trainer && TF_CPP_MIN_LOG_LEVEL=2 node -e "
    const tf = require('@tensorflow/tfjs-node');
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync();
    if (tf.getBackend() !== 'tensorflow' || y[0] !== 3) process.exit(1);
  " >/dev/null 2>&1)
}

if [[ -f "$ADDON" ]] && works; then
  log "native backend already installed ($ADDON)"
  exit 0
fi

# Route 1: tfjs-node's own install. It fails at once where its download host cannot be reached.
if (cd "$TFN" && timeout 600 node scripts/install.js >/tmp/oxels-tfjs-node-install.log 2>&1) && works; then
  log "installed by @tensorflow/tfjs-node's own script (libtensorflow 2.9.1)"
  exit 0
fi
rm -rf "$TFN/deps" "$TFN/lib"

# Route 2: compile against the wheel's libtensorflow, once per cache.
build_from_wheel() {
  command -v g++ >/dev/null || { log "g++ is missing (apt-get install g++)"; return 1; }
  command -v python3 >/dev/null || { log "python3 (with pip) is missing"; return 1; }
  local node_include
  node_include="$(dirname "$(readlink -f "$(command -v node)")")/../include/node"
  [[ -f "$node_include/node_api.h" ]] || { log "Node's headers are missing ($node_include)"; return 1; }
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  log "downloading tensorflow-cpu==$TF_VERSION with pip (libtensorflow only, nothing is installed)"
  python3 -m pip download -q --retries 1 --no-deps -d "$work" "tensorflow-cpu==$TF_VERSION" 2>"$work/pip.log" ||
    { log "pip download failed: $(grep -v WARNING "$work/pip.log" | tail -1)"; return 1; }
  # Only the two libraries and the headers (a wheel is a zip; python3's zipfile, no unzip needed).
  (cd "$work" && python3 - tensorflow_cpu-*.whl <<'PY' && rm tensorflow_cpu-*.whl
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as whl:
    for name in whl.namelist():
        if name in ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2") or name.startswith("tensorflow/include/"):
            whl.extract(name)
PY
  )
  local staged="$CACHE.partial"
  rm -rf "$staged" && mkdir -p "$staged/lib"
  mv "$work/tensorflow/libtensorflow_cc.so.2" "$work/tensorflow/libtensorflow_framework.so.2" "$staged/lib/"
  log "compiling tfjs_binding.node against libtensorflow $TF_VERSION"
  # The rpath names the cache's final place, so the binding finds its libraries wherever it is copied.
  g++ -shared -fPIC -O2 -std=c++17 -w -DNAPI_VERSION="$NAPI" -I"$node_include" -I"$work/tensorflow/include" \
    "$TFN/binding/tfjs_backend.cc" "$TFN/binding/tfjs_binding.cc" \
    -L"$staged/lib" -l:libtensorflow_cc.so.2 -l:libtensorflow_framework.so.2 \
    -Wl,-rpath,"$CACHE/lib" -o "$staged/tfjs_binding.node" || { log "compiling the binding failed"; return 1; }
  rm -rf "$CACHE" && mv "$staged" "$CACHE"
}

if [[ ! -f "$CACHE/tfjs_binding.node" ]] && ! build_from_wheel; then
  log "not installed; the trainer uses wasm (training is 2-4x slower)"
  exit 0
fi
mkdir -p "$(dirname "$ADDON")"
cp "$CACHE/tfjs_binding.node" "$ADDON"
if works; then
  log "installed: tfjs-node $TFN_VERSION on libtensorflow $TF_VERSION ($CACHE)"
else
  rm -f "$ADDON"
  log "the binding built in $CACHE does not load; the trainer uses wasm (remove that folder to rebuild)"
fi
