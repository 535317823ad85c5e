#!/usr/bin/env bash
# The whole test suite from a fresh clone: set-up, type check, lint, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if command -v pnpm >/dev/null; then PNPM=(pnpm); else PNPM=(npx -y pnpm@9); fi
# The backend parity tests skip a backend that cannot run; those set-up installed must run, or fail.
required=()
[[ "$(id -u)" == 0 ]] && required+=(webgpu) # Mesa's llvmpipe through Dawn's OpenGL ES backend
(cd packages/trainer && node -e "require('@tensorflow/tfjs-node')" >/dev/null 2>&1) && required+=(tensorflow)
[[ -f packages/trainer/native/build/tfGraph.node ]] && required+=(graph) # train --graph's addon
export OXELS_REQUIRE_BACKENDS="${required[*]}"
"${PNPM[@]}" typecheck
"${PNPM[@]}" lint
"${PNPM[@]}" test
# The GPU bundle, checked without a GPU (it hides this machine's Node in a mount namespace: root only).
if [[ "$(id -u)" == 0 ]]; then bash scripts/device/test-bundle.sh; fi
