#!/usr/bin/env bash
# Checks the device bundle on this machine, no GPU needed: builds it (bundle.sh, with the fast xz
# preset 0), copies it into an empty folder, hides this machine's Node.js (node, npm, pnpm, npx, the
# global node_modules) and xz (so that run.sh unpacks with python3's tarfile, as on a bare box) in a
# private mount namespace, runs run.sh there, and checks OUT/summary.json: the steps that need no
# GPU (unpack, adapter, smoke, parity on Dawn's OpenGL ES backend over llvmpipe) ok, the GPU ones
# skipped because there is no GPU adapter (or no torch with CUDA), and the bundle under 60 MiB.
# Prints PASS or FAIL. Needs root (unshare -m, mount --bind) and set-up's Mesa/EGL packages.
#   bash scripts/device/test-bundle.sh [--full] [--keep]
# --full: all five parity cases (about 1.5 min more; the test suite runs them anyway); --keep: keep the
# work folder (bundle, unpacked copy, out/) and print its path. On FAIL it is always kept.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
full=false
keep=false
for arg in "$@"; do
  case $arg in
    --full) full=true ;;
    --keep) keep=true ;;
    *) echo "test-bundle: unknown argument $arg (expected --full, --keep)" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap '$keep && echo "test-bundle: kept $work" || rm -rf "$work"' EXIT
started=$SECONDS

fail() {
  keep=true
  echo "test-bundle: FAIL: $*"
  exit 1
}

# Module resolution walks up from the bundle to /: no node_modules there may stand in for the bundle's.
for d in "$work" "$(dirname "$work")" /; do
  [[ -e $d/node_modules ]] && fail "$d/node_modules exists and would be found by the bundle's imports"
done

OXELS_BUNDLE_XZ=0 bash "$root/scripts/device/bundle.sh" "$work/bundle"
size=$(du -sm --apparent-size "$work/bundle" | cut -f1)
((size < 60)) || fail "the bundle is $size MiB, over 60"
mkdir "$work/gpu-machine"
cp "$work/bundle/oxels.tar.xz" "$work/bundle/run.sh" "$work/gpu-machine/"

# Every path that resolves to node, npm, pnpm, npx or xz, and the global packages, hidden in a mount
# namespace of run.sh's own: there it can only use what the bundle carries.
hide=()
for tool in node npm pnpm npx xz; do
  while read -r path; do hide+=("$(readlink -f "$path")"); done < <(type -ap "$tool" || true)
done
parity_filter=
$full || parity_filter='2D U-Net, oxel loss'
status=0
env -u NODE_PATH OXELS_PARITY_FILTER="$parity_filter" unshare -m bash -s -- "$work/gpu-machine" "${hide[@]}" <<'EOF' || status=$?
set -euo pipefail
dir=$1
shift
for path in "$@"; do mount --bind /dev/null "$path"; done
[[ -d /usr/lib/node_modules ]] && mount -t tmpfs none /usr/lib/node_modules
for tool in node npm pnpm npx xz; do
  if "$tool" --version >/dev/null 2>&1; then echo "test-bundle: $tool still runs" >&2; exit 3; fi
done
cd "$dir"
OUT=out bash run.sh
EOF
((status != 3)) || fail "could not hide this machine's Node.js"

# The verdict, from summary.json (with this machine's node, outside the namespace).
summary=$work/gpu-machine/out/summary.json
[[ -f $summary ]] || fail "run.sh wrote no summary.json (exit status $status)"
node - "$summary" <<'EOF' || fail "summary.json does not show the expected statuses (above)"
const { steps } = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const expected = {
  unpack: ['ok'],
  adapter: ['ok', (s) => s.trainingAdapterHardware === false && s.node === process.version],
  smoke: ['ok', (s) => s.pairs === 4 && s.trainSteps === 3],
  parity: ['ok', (s) => s.passed >= 1 && s.failed === 0 && s.worstRelativeL2 <= 1e-3],
  // bench-train --gpu's own refusal of the software adapter (exit 3).
  'train-2d': ['skipped', (s) => /bench-train: no GPU adapter found/.test(s.note)],
  'train-3d': ['skipped', (s) => /bench-train: no GPU adapter found/.test(s.note)],
  kernels: ['skipped', (s) => /no hardware GPU adapter for training/.test(s.note)],
  'torch-2d': ['skipped', (s) => /no python3 with torch and CUDA/.test(s.note)],
  'torch-3d': ['skipped', (s) => /no python3 with torch and CUDA/.test(s.note)],
  gen: ['skipped', (s) => /no hardware Vulkan adapter/.test(s.note)],
  render: ['skipped', (s) => /no hardware Vulkan adapter/.test(s.note)],
};
let ok = true;
for (const name of Object.keys(steps).filter((n) => !(n in expected))) {
  ok = false;
  console.log(`test-bundle: BAD  ${name}: a step this check does not know; add what it must show here`);
}
for (const [name, [status, check]] of Object.entries(expected)) {
  const s = steps[name];
  const good = s !== undefined && s.status === status && (!check || check(s));
  if (!good) ok = false;
  console.log(`test-bundle: ${good ? 'ok  ' : 'BAD '} ${name}: ${s ? `${s.status}${s.note ? ` (${s.note})` : ''}` : 'missing'}`);
}
process.exit(ok ? 0 : 1);
EOF
((status == 0)) || fail "run.sh exited with status $status"
echo "test-bundle: PASS (bundle $size MiB with xz -0; $((SECONDS - started)) s)"
