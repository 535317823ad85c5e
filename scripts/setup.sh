#!/usr/bin/env bash
# Installs everything oxels needs on a fresh Debian machine: system packages (when run as root),
# pnpm (without corepack, which fails on these machines), the workspace's node modules and the
# trainer's native TensorFlow backend (scripts/setup-tensorflow.sh).
#   scripts/setup.sh          what gen-scenes / train / inspect need
#   scripts/setup.sh --test   plus the packages the test suite reads (fixtures, browser)
set -euo pipefail
cd "$(dirname "$0")/.."

# Dawn's OpenGL ES backend on Mesa (no X server): EGL + the Mesa drivers.
DEBS=(libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev libgles2)
if [[ "${1:-}" == "--test" ]]; then
  # Real asset files for loader tests, IDX files for the MNIST reader, a browser for the viewer test,
  # numpy to prove that Python users read the shards.
  DEBS+=(assimp-testmodels dataset-fashion-mnist chromium python3-numpy)
fi

if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${DEBS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "setup: not root, skipping Debian packages (${DEBS[*]}); install them yourself if rendering fails"
fi

if ! command -v pnpm >/dev/null; then
  echo "setup: installing pnpm"
  npm install -g pnpm@9 >/dev/null 2>&1 || true
fi
if command -v pnpm >/dev/null; then PNPM=(pnpm); else PNPM=(npx -y pnpm@9); fi
"${PNPM[@]}" install --frozen-lockfile --reporter=silent
# The native TensorFlow backend (the trainer's fastest on a CPU); skipped with OXELS_NO_TENSORFLOW=1.
bash scripts/setup-tensorflow.sh
if [[ "${1:-}" == "--test" ]]; then
  # PyTorch in the project's venv, the independent trainer the parity tests replay runs in.
  bash scripts/setup-python.sh >/dev/null || echo "setup: no PyTorch venv; the PyTorch parity tests will skip"
fi
