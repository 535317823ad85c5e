#!/usr/bin/env bash
# Measures oxels on a GPU machine with nothing installed, from the folder scripts/device/bundle.sh made
# (oxels.tar.xz + this file):
#   bash run.sh                       # figures into ./out
#   OUT=/scratch/oxels-out bash run.sh
# Unpacks the bundle next to itself (or into a temporary folder when that is read-only; reused while
# the archive is unchanged), then runs the steps below, each with its own time limit and all within
# OXELS_RUN_BUDGET seconds (default 450, so under 8 minutes in all), continuing past a failed step.
# Each step's figures go to OUT/<step>.json, its output to OUT/logs/, and every step's status
# (ok, failed, timeout, skipped), seconds and key numbers to OUT/summary.json; a short summary is printed.
#   adapter   the Node it carries, the adapter webgpu training gets, the renderer's Vulkan adapter
#   smoke     gen-scenes (1 room x 4 pairs, 64x64) and 3 training steps on them (backend auto)
#   parity    backendParity.test.ts: webgpu's loss and every gradient against wasm's (rel. L2 <= 1e-3)
#   train-2d, train-3d  scripts/bench-train.ts --gpu: webgpu on a hardware adapter against PyTorch on
#             CUDA (when python3 has torch with CUDA); skipped, in bench-train's words, without one
#   kernels   scripts/bench-kernels.ts --backend webgpu: each op formulation (conv gradients native /
#             forward convolutions / split-K matrix products, ...) timed on the GPU, to choose webgpu's
#   torch-2d, torch-3d  the PyTorch CUDA peer alone (scripts/bench_train_torch.py --device cuda), for
#             a configuration whose train step could not measure it
#   gen       scripts/bench-gen.ts: gen-scenes pairs/s at 256x256 and 640x480 (renderer on Vulkan)
#   render    scripts/bench-render.ts --backend vulkan: ms per frame
# OXELS_PYTHON: the python with torch (default python3); OXELS_PARITY_FILTER: only the parity cases
# whose name contains it (test-bundle.sh uses it to save time).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${OUT:-./out}
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
logs=$out/logs
budget=${OXELS_RUN_BUDGET:-450}
: >"$out/steps.tsv"
: >"$logs/environment.txt"
workdir=$here
app=

# Results of a run killed half-way still get summarised.
trap 'exit 130' INT TERM
trap finish EXIT

note() { echo "run: $*" | tee -a "$logs/environment.txt"; }

# record NAME STATUS SECONDS NOTE: one line of OUT/steps.tsv, which summarize.ts reads.
record() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4//[$'\t\n']/ }" >>"$out/steps.tsv"
  echo "== $1: $2 (${3} s)${4:+: $4}"
}

# first_line FILE REGEX: the first line of FILE matching REGEX, less Mesa's XDG_RUNTIME_DIR noise.
first_line() { grep -v XDG_RUNTIME_DIR "$1" | grep -m1 -E "$2" | cut -c1-300 || true; }

# step [--exit3-skips] NAME LIMIT CMD...: runs CMD in $workdir for at most LIMIT seconds (less when the
# budget has less left), its stdout to logs/NAME.out and stderr to logs/NAME.err, both also to the
# terminal. --exit3-skips: exit status 3 means "nothing to measure here" (bench-train --gpu without a
# hardware adapter) and records the step as skipped with the command's own words.
step() {
  local exit3=false
  [[ $1 == --exit3-skips ]] && exit3=true && shift
  local name=$1 limit=$2
  shift 2
  local left=$((budget - SECONDS))
  if ((left < 15)); then
    record "$name" skipped 0 "out of time (OXELS_RUN_BUDGET=$budget s)"
    return 0
  fi
  ((limit > left)) && limit=$left
  echo "== $name (at most $limit s)"
  printf '%q ' "$@" >"$logs/$name.cmd"
  local t0=$SECONDS rc=0
  (cd "$workdir" && timeout -k 10 "$limit" "$@") \
    > >(tee "$logs/$name.out") 2> >(tee "$logs/$name.err" >&2) || rc=$?
  local seconds=$((SECONDS - t0))
  if ((rc == 0)); then
    record "$name" ok "$seconds" ""
  elif ((rc == 124 || rc == 137)); then
    record "$name" timeout "$seconds" "stopped after $limit s"
  elif ((rc == 3)) && $exit3; then
    record "$name" skipped "$seconds" "$(first_line "$logs/$name.err" '^[a-z][a-zA-Z-]*: ')"
  else
    # The error's own line ("SyntaxError: ...", "bench-train: Unknown option").
    local why
    why=$(first_line "$logs/$name.err" \
      '^[A-Za-z]*Error\b|^[a-z][a-zA-Z-]*: .*([Ee]rror|[Uu]nknown|[Cc]annot|not found|[Ff]ailed|[Ii]nvalid)')
    record "$name" failed "$seconds" "exit status $rc${why:+: $why}; see logs/$name.err"
  fi
}

# The summary: by summarize.ts when the bundle's Node is there, else the bare step table.
finish() {
  local rc=$?
  trap - EXIT
  if [[ -n $app && -x $app/node/bin/node ]]; then
    (cd "$app" && node/bin/node --import tsx scripts/device/summarize.ts --out "$out" --budget "$budget" --elapsed "$SECONDS") || rc=1
  else
    {
      echo '{"steps": {'
      awk -F'\t' '{ printf "%s\"%s\": {\"status\": \"%s\", \"seconds\": %s, \"note\": \"%s\"}", (NR > 1 ? ",\n" : ""), $1, $2, $3, $4 }' "$out/steps.tsv"
      echo '}}'
    } >"$out/summary.json"
    cat "$out/steps.tsv"
    rc=1
  fi
  exit "$rc"
}

# has_lib NAME: whether the dynamic linker finds NAME (ldconfig's cache, else the usual folders).
has_lib() {
  local ldconfig
  ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
  # Not grep -q: its early exit would make ldconfig's pipe fail (SIGPIPE) under pipefail.
  "$ldconfig" -p 2>/dev/null | grep -F "$1 " >/dev/null && return 0
  local d
  for d in /usr/lib64 /usr/lib/x86_64-linux-gnu /lib64 /lib/x86_64-linux-gnu /usr/lib /usr/local/lib; do
    [[ -e $d/$1 ]] && return 0
  done
  return 1
}

# --- unpack ---
archive=$here/oxels.tar.xz
stamp=$(stat -c '%s %Y' "$archive")
target=$here
[[ -w $here ]] || target=$(mktemp -d)
if [[ -f $target/oxels/.unpacked && $(cat "$target/oxels/.unpacked") == "$stamp" ]]; then
  record unpack ok 0 "reused $target/oxels"
else
  rm -rf "$target/oxels"
  if xz --version >/dev/null 2>&1; then
    step unpack 120 tar -C "$target" -xJf "$archive"
  else
    # No xz binary: python3's tarfile reads xz itself. The 'tar' filter keeps our relative symlinks.
    step unpack 120 python3 -c '
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    try:
        t.extractall(sys.argv[2], filter="tar")
    except TypeError:  # Python < 3.12: no filters
        t.extractall(sys.argv[2])
' "$archive" "$target"
  fi
  [[ -x $target/oxels/node/bin/node ]] && echo "$stamp" >"$target/oxels/.unpacked"
fi
[[ -x $target/oxels/node/bin/node ]] || { echo "run: the bundle did not unpack into $target/oxels" >&2; exit 1; }
app=$target/oxels
workdir=$app
node=$app/node/bin/node

# --- environment ---
export PATH="$app/node/bin:$PATH"  # child processes that start `node` get the bundle's
export OXELS_NO_TENSORFLOW=1       # the bundle has no tfjs-node: `auto` must not look for it
export EGL_PLATFORM=${EGL_PLATFORM:-surfaceless}
note "node $("$node" --version) from the bundle; $(nproc) cores"
# Dawn's dawn.node (npm webgpu 0.6.2) links against glibc 2.34 and GCC 12's libstdc++ (GLIBCXX_3.4.30):
# on older systems the adapter step reports the loader's error and the GPU steps are skipped.
note "$(getconf GNU_LIBC_VERSION 2>/dev/null || echo 'glibc version unknown'); Dawn needs glibc >= 2.34 and libstdc++ of GCC >= 12"
if command -v nvidia-smi >/dev/null; then
  note "nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -4 | tr '\n' ';')"
else
  note "nvidia-smi: not found"
fi
# Dawn dlopens the Vulkan loader; GPU nodes with only the NVIDIA driver may lack it: use the bundle's.
if ! has_lib libvulkan.so.1; then
  export LD_LIBRARY_PATH="$app/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  note "no libvulkan.so.1 on this machine: using the bundle's"
fi
# The loader finds the NVIDIA driver through an ICD manifest; container images often lack it even
# where the driver's library is mounted: then write one.
if [[ -z ${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-} ]] &&
  ! compgen -G '/etc/vulkan/icd.d/*.json' >/dev/null && ! compgen -G '/usr/share/vulkan/icd.d/*.json' >/dev/null; then
  for lib in libGLX_nvidia.so.0 libEGL_nvidia.so.0; do
    if has_lib "$lib"; then
      printf '{"file_format_version": "1.0.0", "ICD": {"library_path": "%s", "api_version": "1.3.0"}}\n' "$lib" >"$out/nvidia_icd.json"
      export VK_ICD_FILENAMES=$out/nvidia_icd.json
      note "no Vulkan ICD manifest on this machine: wrote $VK_ICD_FILENAMES for $lib"
      break
    fi
  done
fi

# --- steps ---
# bench-train --gpu asks `python3` for torch: with OXELS_PYTHON, a `python3` first on PATH runs that.
python=${OXELS_PYTHON:-python3}
if [[ -n ${OXELS_PYTHON:-} ]]; then
  mkdir -p "$out/.bin"
  printf '#!/bin/sh\nexec %q "$@"\n' "$OXELS_PYTHON" >"$out/.bin/python3"
  chmod +x "$out/.bin/python3"
  export PATH="$out/.bin:$PATH"
fi

step adapter 60 "$node" --import tsx scripts/device/gpuProbe.ts --out "$out/adapter.json"
adapter() { "$node" -p "const a = require(process.argv[1]); $1" "$out/adapter.json" 2>/dev/null || echo "$2"; }
hw_render=$(adapter 'a.rendererHardware === true' false)
hw_train=$(adapter 'a.training.hardware === true' false)
no_render="no hardware Vulkan adapter for the renderer ($(adapter 'a.renderer.error ?? "only software: " + a.renderer.description' 'no adapter probe'))"

smoke=$out/smoke
rm -rf "$smoke"
step smoke 90 bash -c '
  set -euo pipefail
  node --import tsx packages/scene-gen/bin/gen-scenes.ts --rooms 1 --pairs-per-room 4 --size 64x64 \
    --workers 2 --quiet --out "$1/data"
  node --import tsx packages/trainer/bin/train.ts --data "$1/data" --steps 3 --batch 2 --crop 32x32 \
    --checkpoint-every 3 --quiet --out "$1/run"' smoke "$smoke"

# allowSoftwareGpu inside the test: on a machine without GPU it checks Dawn's OpenGL ES backend on
# llvmpipe; OXELS_REQUIRE_BACKENDS makes "webgpu cannot run" a failure instead of a skipped test.
step parity 180 env OXELS_REQUIRE_BACKENDS=webgpu "$node" --import tsx scripts/device/runTestFile.ts \
  packages/trainer/src/backend/backendParity.test.ts --json "$out/parity.json" ${OXELS_PARITY_FILTER:+--filter "$OXELS_PARITY_FILTER"}

# bench-train refuses software adapters itself (exit 3, saying so): a skipped step, not a failure.
step --exit3-skips train-2d 90 "$node" --import tsx scripts/bench-train.ts --gpu --configs 2d --repeats 1 --steps 10
step --exit3-skips train-3d 120 "$node" --import tsx scripts/bench-train.ts --gpu --configs 3d --repeats 1 --steps 10
if [[ $hw_train == true ]]; then
  step kernels 90 "$node" --import tsx scripts/bench-kernels.ts --backend webgpu --reps 5
else
  record kernels skipped 0 "no hardware GPU adapter for training"
fi

torch_why=$(timeout 90 "$python" -c 'import torch; assert torch.cuda.is_available(), "torch " + torch.__version__ + " sees no CUDA device"' 2>&1 | tail -1) &&
  torch_ok=true || torch_ok=false
for config in 2d 3d; do
  if [[ $torch_ok != true ]]; then
    record "torch-$config" skipped 0 "no python3 with torch and CUDA (${torch_why:-$python not found})"
  elif awk -F'\t' -v n="train-$config" '$1 == n && $2 == "ok" { found = 1 } END { exit !found }' "$out/steps.tsv"; then
    record "torch-$config" skipped 0 "measured by train-$config (its runs.torch-cuda)"
  else
    # The configurations of scripts/bench-train.ts (CONFIGS there).
    if [[ $config == 2d ]]; then args=(--normalization image --pairs 16 --size 32); else args=(--normalization pixel --pairs 8 --size 128); fi
    step "torch-$config" 60 "$python" scripts/bench_train_torch.py --config "$config" "${args[@]}" --device cuda --steps 10 --warmup 1
  fi
done

workers=$(nproc)
((workers > 16)) && workers=16
if [[ $hw_render == true ]]; then
  # The renderer's `auto` takes Vulkan whenever Dawn offers a hardware adapter through it, as here.
  step gen 150 "$node" --import tsx scripts/bench-gen.ts --rooms 8 --pairs-per-room 10 --workers "$workers"
  step render 60 "$node" --import tsx scripts/bench-render.ts --backend vulkan --frames 50
else
  record gen skipped 0 "$no_render"
  record render skipped 0 "$no_render"
fi
