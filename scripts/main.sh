#!/usr/bin/env bash
# The main job on the embedded default data, from a fresh clone: set-up, then the pipeline.
#   bash scripts/main.sh            # 76 rooms x 10 pairs at 256x256 into data/scenes
# Extra arguments go to gen-scenes (e.g. --size 640x480 --pairs-per-room 4).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if command -v pnpm >/dev/null; then PNPM=(pnpm); else PNPM=(npx -y pnpm@9); fi
# What `pnpm train` will use here (set-up installs the native TensorFlow backend where it can).
# (Only its own line: libtensorflow and Dawn log to stderr while they load.)
node --import tsx scripts/train-backend.ts 2>&1 | grep '^train backend:' || true
"${PNPM[@]}" gen-scenes --rooms 76 --out data/scenes "$@"
