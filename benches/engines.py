#!/usr/bin/env python3
"""Engine benchmark: every example on the wasm engine and on Deno, in one run.

For each example (deterministic demo colony, monitors stopped after three
ticks or at a virtual deadline, as in the parity suite), N interleaved rounds
of `coral run --engine wasm|deno --stats`, measuring whole processes:
  * wall: what the user waits for, `coral` start to exit;
  * rss: peak resident memory. wasm: the `coral` process (wait4). deno: the
    `deno` child plus `coral` itself (the colony endpoint, and DuckDB, which
    is embedded in coral for both engines), from coral's --stats line.
Prints medians and the deno/wasm ratio. Then the same with the colony read
from a prepared DuckDB file (--db: no demo data to generate, so the engines
and their colony transports are what differ), and a pure-JS workload
(benches/scripts/compute.ts). Usage:
  python3 benches/engines.py [--rounds N] [--coral PATH] [--only NAME]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

from benchlib import default_coral, run_measured

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = ["--deterministic", "--timeout", "25", "--param", "ticks=3", "--stats"]
DENO_STATS = re.compile(r"engine=deno peak_rss=(\d+)B .* coral_peak_rss=(\d+)B")


def measure(coral, engine, script, env, extra=()):
    argv = [coral, "run", "--engine", engine, script, *ARGS, *extra]
    wall, rss, code, _, err = run_measured(argv, env, ROOT)
    err = err.decode()
    if code not in (0, 10):  # 10: a monitor reached its (virtual) deadline
        sys.exit(f"{' '.join(argv)} failed with {code}:\n{err}")
    if engine == "deno":
        m = DENO_STATS.search(err)
        if not m:
            sys.exit(f"no deno stats line in:\n{err}")
        rss = int(m.group(1)) + int(m.group(2))
    return wall, rss / (1024 * 1024)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--coral", default=default_coral())
    ap.add_argument("--only", help="one example, e.g. latency-report")
    args = ap.parse_args()
    env = dict(os.environ)
    examples = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".ts"))
    if args.only:
        examples = [f for f in examples if f.startswith(args.only)]
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "demo.duckdb")
        subprocess.run([args.coral, "colony", "demo", "--db", db, "--fixed-now", "1767225600"],
                       check=True, stderr=subprocess.DEVNULL)
        print(f"{'example':34} {'wasm ms':>8} {'deno ms':>8} {'ratio':>6}   {'wasm MiB':>8} {'deno MiB':>8}")
        cases = [(name, os.path.join("examples", name), ()) for name in examples]
        cases += [(name + " --db", os.path.join("examples", name), ("--db", db)) for name in examples]
        cases.append(("scripts/compute.ts", os.path.join("benches", "scripts", "compute.ts"), ()))
        for label, script, extra in cases:
            for engine in ("wasm", "deno"):  # warm both caches first
                measure(args.coral, engine, script, env, extra)
            runs = {"wasm": [], "deno": []}
            for _ in range(args.rounds):
                for engine in ("wasm", "deno"):
                    runs[engine].append(measure(args.coral, engine, script, env, extra))
            med = {e: (statistics.median(w for w, _ in r), statistics.median(m for _, m in r))
                   for e, r in runs.items()}
            print(f"{label:34} {med['wasm'][0]:8.1f} {med['deno'][0]:8.1f} {med['deno'][0] / med['wasm'][0]:6.2f}"
                  f"   {med['wasm'][1]:8.1f} {med['deno'][1]:8.1f}")

if __name__ == "__main__":
    main()
