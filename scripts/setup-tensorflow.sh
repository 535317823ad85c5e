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
# Beside the binding it builds the trainer's own addon over libtensorflow's graph API
# (packages/trainer/native/tfGraph.cc -> native/build/tfGraph.node; `train --graph`), against the
# same libtensorflow; where that fails, the tensorflow backend still works op by op.
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

GRAPH_SRC=packages/trainer/native/tfGraph.cc
GRAPH_ADDON=packages/trainer/native/build/tfGraph.node
NODE_INCLUDE="$(dirname "$(readlink -f "$(command -v node)")")/../include/node"

# compile_graph INCLUDE_DIR LIB_DIR LIBS RPATH OUT: the graph addon, finding its libraries at RPATH.
compile_graph() {
  mkdir -p "$(dirname "$5")"
  # shellcheck disable=SC2086  # $3 is a list of -l flags
  g++ -shared -fPIC -O2 -std=c++17 -w -DNAPI_VERSION="$NAPI" -DNODE_GYP_MODULE_NAME=tfGraph \
    -I"$NODE_INCLUDE" -I"$1" "$GRAPH_SRC" -L"$2" $3 -Wl,-rpath,"$4" -o "$5"
}

# Loads the graph addon and runs a one-op graph.
graph_works() {
  TF_CPP_MIN_LOG_LEVEL=2 node -e "
    const t = require('./$GRAPH_ADDON'), g = t.newGraph();
    const x = t.addOp(g, 'Placeholder', 'x', [], [['dtype', 'type', 1], ['shape', 'shape', [2]]], []);
    const y = t.addOp(g, 'Square', 'y', [[x, 0]], [], []);
    const [dx] = t.addGradients(g, [[y, 0]], [[x, 0]]);
    const [r] = t.run(t.newSession(g, 1, 1), [[[x, 0], { dtype: 1, shape: [2], data: new Float32Array([1, 3]) }]], [dx], []);
    if (r.data[1] !== 6) process.exit(1);
  " >/dev/null 2>&1
}

# Route 1's libtensorflow (tfjs-node's deps/) or route 2's cache: the graph addon built against it.
install_graph() {
  if [[ -f "$GRAPH_ADDON" ]] && graph_works; then return 0; fi
  if [[ -f "$CACHE/tfGraph.node" ]]; then
    mkdir -p "$(dirname "$GRAPH_ADDON")" && cp "$CACHE/tfGraph.node" "$GRAPH_ADDON"
  elif [[ -d "$TFN/deps/include" ]]; then
    compile_graph "$TFN/deps/include" "$TFN/deps/lib" "-ltensorflow" "$TFN/deps/lib" "$GRAPH_ADDON" ||
      log "compiling the graph addon failed; train --graph is unavailable"
  fi
  if [[ -f "$GRAPH_ADDON" ]] && graph_works; then
    log "graph addon installed ($GRAPH_ADDON)"
  else
    rm -f "$GRAPH_ADDON"
    log "no graph addon; train --graph is unavailable (the tensorflow backend works op by op)"
  fi
}

# A cache from before the graph addon lacks it (and the headers to build it): build that cache again.
if [[ -f "$CACHE/tfjs_binding.node" && ! -f "$CACHE/tfGraph.node" && ! -d "$TFN/deps/include" ]]; then
  log "the cache in $CACHE predates the graph addon: building it again"
  rm -rf "$CACHE"
  rm -f "$ADDON"
fi

if [[ -f "$ADDON" ]] && works; then
  log "native backend already installed ($ADDON)"
  install_graph
  exit 0
fi

# Route 1: tfjs-node's own install. It fails at once where its download host cannot be reached.
if (cd "$TFN" && timeout 600 node scripts/install.js >/tmp/oxels-tfjs-node-install.log 2>&1) && works; then
  log "installed by @tensorflow/tfjs-node's own script (libtensorflow 2.9.1)"
  install_graph
  exit 0
fi
rm -rf "$TFN/deps" "$TFN/lib"

# Route 2: compile against the wheel's libtensorflow, once per cache.
build_from_wheel() {
  command -v g++ >/dev/null || { log "g++ is missing (apt-get install g++)"; return 1; }
  command -v python3 >/dev/null || { log "python3 (with pip) is missing"; return 1; }
  local node_include="$NODE_INCLUDE"
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
  log "compiling tfGraph.node (the trainer's graph addon) against the same libtensorflow"
  compile_graph "$work/tensorflow/include" "$staged/lib" "-l:libtensorflow_cc.so.2 -l:libtensorflow_framework.so.2" \
    "$CACHE/lib" "$staged/tfGraph.node" ||
    log "compiling the graph addon failed; train --graph will be unavailable"
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
  install_graph
else
  rm -f "$ADDON"
  log "the binding built in $CACHE does not load; the trainer uses wasm (remove that folder to rebuild)"
fi
