#!/usr/bin/env bash
# The project's own Python venv for the PyTorch peer (scripts/bench_train_torch.py): the newest CPU
# torch that pip serves, numpy and safetensors, in $OXELS_CACHE/venv (default ~/.cache/oxels/venv),
# never in the system Python. Prints the venv's python on its last line. About 1 GB, 1-2 min.
# --with-tensorflow adds pip's tensorflow-cpu (for scripts/bench_graph_step.py only; about 600 MB).
set -euo pipefail
VENV="${OXELS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oxels}/venv"
log() { echo "setup-python: $*" >&2; }
MODULES='torch, numpy, safetensors'
PACKAGES=(torch numpy safetensors)
if [[ "${1:-}" == --with-tensorflow ]]; then
  MODULES+=', tensorflow'
  PACKAGES+=(tensorflow-cpu)
fi

if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c "import $MODULES" 2>/dev/null; then
  echo "$VENV/bin/python"
  exit 0
fi
command -v python3 >/dev/null || { log "python3 is missing"; exit 1; }
if ! python3 -m venv "$VENV" 2>/dev/null; then
  log "python3 -m venv failed (as root: apt-get install python3-venv)"
  exit 1
fi
log "installing ${PACKAGES[*]} into $VENV"
# --retries 1: where pip has only a local index, each unreachable default index costs seconds, not minutes.
PIP_EXTRA=()
if [[ "$(uname -m)" == x86_64 ]]; then PIP_EXTRA=(--extra-index-url https://download.pytorch.org/whl/cpu); fi
"$VENV/bin/pip" install -q --retries 1 "${PIP_EXTRA[@]}" "${PACKAGES[@]}" 2> >(grep -v WARNING >&2)
"$VENV/bin/python" -c 'import torch; print("setup-python: torch", torch.__version__)' >&2
echo "$VENV/bin/python"
