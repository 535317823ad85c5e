#!/usr/bin/env bash
# The whole test suite from a fresh clone: set-up, type check, lint, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if command -v pnpm >/dev/null; then PNPM=(pnpm); else PNPM=(npx -y pnpm@9); fi
"${PNPM[@]}" typecheck
"${PNPM[@]}" lint
"${PNPM[@]}" test
