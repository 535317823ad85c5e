#!/usr/bin/env bash
# The main job on the embedded default data, from a fresh clone: set-up, then the pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if command -v pnpm >/dev/null; then PNPM=(pnpm); else PNPM=(npx -y pnpm@9); fi
# Until gen-scenes lands, the main job demonstrates the correspondence engine on a 200k-triangle scene.
"${PNPM[@]}" exec tsx scripts/bench-raycast.ts --repeats 3
