#!/usr/bin/env bash
# Coverage-guided fuzzing of the targets in fuzz/ (docs/fuzzing.md).
#
#   scripts/fuzz.sh [--minutes N] [--sanitizer address|none] TARGET...
#
# Runs each TARGET for N minutes (default 30) under libFuzzer, two at a
# time (this machine has two cores), after one instrumented build. New
# inputs go to fuzz/libfuzzer/corpus/TARGET (kept out of git), crashes to
# fuzz/libfuzzer/artifacts/TARGET; the seeds in fuzz/corpus/TARGET are read,
# never written. A summary line per target ends in fuzz/libfuzzer/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=30
SANITIZER=address
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --sanitizer) SANITIZER="$2"; shift 2 ;;
    -*) echo "usage: scripts/fuzz.sh [--minutes N] [--sanitizer address|none] TARGET..." >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(abi bundle console compiler sql connect otlp)
fi

bash scripts/setup.sh --fuzz
. scripts/env.sh
CARGO_FUZZ="$HOME/.cache/coral-toolchain/cargo-fuzz/bin/cargo-fuzz"
FUZZ_DIR=fuzz/libfuzzer
# The instrumented tree uses the main tree's versions of everything.
[ -f "$FUZZ_DIR/Cargo.lock" ] || cp Cargo.lock "$FUZZ_DIR/Cargo.lock"
# Instrumentation flags are unstable options; stable accepts them this way.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$HOME/.cache/coral-fuzz-target"
mkdir -p "$FUZZ_DIR/logs"
# cargo fuzz builds for the host triple; the binaries are under it.
HOST="$(rustc -vV | sed -n 's/^host: //p')"

"$CARGO_FUZZ" build --fuzz-dir "$FUZZ_DIR" --sanitizer "$SANITIZER" -O

run() {
  local target="$1"
  mkdir -p "$FUZZ_DIR/corpus/$target" "$FUZZ_DIR/artifacts/$target"
  # -rss_limit_mb: the targets' own limits (guest memory, DuckDB's
  # memory_limit) sit well under it; -timeout: one input taking longer
  # is a finding (the compiler and the colony must stay bounded).
  # The binary the build above made, run directly: `cargo fuzz run` would
  # build again first (compiler/build.rs runs on every build), once per
  # target, two at a time.
  # libduckdb.so is where scripts/setup.sh put it (cargo would add it to
  # the library path itself).
  LD_LIBRARY_PATH="$PWD/.toolchain/duckdb${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    ASAN_OPTIONS="detect_odr_violation=0:${ASAN_OPTIONS:-}" \
    "$CARGO_TARGET_DIR/$HOST/release/$target" \
    "$FUZZ_DIR/corpus/$target" "fuzz/corpus/$target" \
    -max_total_time=$((MINUTES * 60)) -timeout=60 -rss_limit_mb=4096 \
    -detect_leaks=0 -print_final_stats=1 \
    -artifact_prefix="$FUZZ_DIR/artifacts/$target/" \
    > "$FUZZ_DIR/logs/$target.log" 2>&1 || true
  echo "$target: $(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$FUZZ_DIR/logs/$target.log" | tail -1)"
  ls "$FUZZ_DIR/artifacts/$target"
}

# Two at a time.
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" &
  if [ $((i + 1)) -lt ${#targets[@]} ]; then run "${targets[i + 1]}" & fi
  wait
done
