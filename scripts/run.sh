#!/usr/bin/env bash
# Sets up what is missing, builds `coral` (release) and runs it:
#   bash scripts/run.sh examples/hello.ts [--param k=v ...]
# With no arguments it runs examples/hello.ts. Arguments starting with a
# subcommand (run, build, ...) are passed to coral as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh
cargo build --release --locked -q
coral="$CARGO_TARGET_DIR/release/coral"
if [ $# -eq 0 ]; then
  exec "$coral" run examples/hello.ts
fi
case "$1" in
  run|build|query|colony|agent|script|help|--help|-h|--version|-V) exec "$coral" "$@" ;;
  *) exec "$coral" run "$@" ;;
esac
