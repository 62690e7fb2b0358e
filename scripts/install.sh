#!/usr/bin/env bash
# Installs coral as a working set:
#
#   bash scripts/install.sh [--prefix DIR] [--from DIR]
#
#   --prefix DIR  where to install (default: ~/.local). Files go to
#                 DIR/lib/coral/, and DIR/bin/coral is a symbolic link to
#                 DIR/lib/coral/coral.
#   --from DIR    take the files from DIR (a directory holding a release
#                 build) instead of setting up and building first.
#
# The seven files must stay together: `coral` finds coral-bundler (coral
# build), coral-colony (coral colony), coral-agent (coral agent),
# libcoral_colony_embed.so (scripts that query the embedded colony) and
# libcoral_intl.so (scripts that use Intl) beside itself, and coral-colony,
# coral-agent and the colony library find libduckdb.so beside themselves ($ORIGIN in their RUNPATH; no build path is
# baked in). Run it again to upgrade; files are replaced atomically.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

prefix="$HOME/.local"
from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --from) from="${2:?--from needs a directory}"; shift 2 ;;
    --from=*) from="${1#--from=}"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Relative paths mean what they meant where the command was typed.
prefix="$(realpath -m -- "$prefix")"
[ -z "$from" ] || from="$(realpath -m -- "$from")"
cd "$repo"

if [ -z "$from" ]; then
  bash scripts/setup.sh
  . scripts/env.sh
  cargo build --release --locked -q
  from="$CARGO_TARGET_DIR/release"
fi

files=(coral coral-bundler coral-colony coral-agent libcoral_colony_embed.so libcoral_intl.so libduckdb.so)
for f in "${files[@]}"; do
  [ -f "$from/$f" ] || { echo "install: $from/$f is missing (build with: cargo build --release)" >&2; exit 1; }
done

lib="$prefix/lib/coral"
mkdir -p "$lib" "$prefix/bin"
for f in "${files[@]}"; do
  # Copy then rename: a running coral keeps its old file, a new one sees a
  # whole file.
  cp "$from/$f" "$lib/.$f.tmp"
  mv -f "$lib/.$f.tmp" "$lib/$f"
done
ln -sfn "../lib/coral/coral" "$prefix/bin/coral"
echo "installed coral into $lib (command: $prefix/bin/coral)" >&2
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH" >&2 ;;
esac
