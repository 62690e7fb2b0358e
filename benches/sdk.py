#!/usr/bin/env python3
"""SDK benchmark: per-call overhead and end-to-end script time.

  python3 benches/sdk.py [--calls 10000] [--rounds 5]

1. Per-call cost of `services.list()` (the colony answers it from its cached
   registry, so this is the SDK path itself: guest JS, host ABI, backend,
   protojson both ways), N calls in one script, in-process (embedded demo
   colony) and over gRPC on loopback (`coral colony serve` on the demo
   data). Also an empty host round trip (`params`, no colony) and a call the
   colony must run in DuckDB (`getErrorRate`).
2. End-to-end wall time of `coral run examples/latency-report.ts` (process
   start to exit: engine, demo colony generation and the queries).

Each figure is the median over --rounds runs; the script measures itself
with Date.now() around the loop, so process start-up is excluded from 1.
Per example, wasm against Deno: benches/engines.py.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from benchlib import default_coral, serve_colony

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LOOP = """
import * as coral from "@coral/sdk";
const hooks = (globalThis as any)[Symbol.for("coral.host")];
const n = coral.params.number("n");
const what = coral.params.string("what");
await coral.services.list();
const t0 = Date.now();
for (let i = 0; i < n; i++) {
  if (what === "list") await coral.services.list();
  else if (what === "rate") await coral.metrics.getErrorRate("payments");
  else hooks.call("params", {});
}
console.log(((Date.now() - t0) * 1000) / n);
"""


def per_call(coral, script, what, n, rounds, extra):
    samples = []
    for _ in range(rounds):
        out = subprocess.run([coral, "run", script, "--param", f"n={n}", "--param", f"what={what}", *extra],
                             check=True, capture_output=True, text=True, cwd=ROOT)
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--coral", default=default_coral())
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="coral-sdk-bench-")
    script = os.path.join(work, "loop.ts")
    with open(script, "w") as f:
        f.write(LOOP)
    db = os.path.join(work, "demo.duckdb")
    subprocess.run([args.coral, "colony", "demo", "--db", db], check=True, capture_output=True)
    # The server locks its file; `--db` runs read a copy.
    local_db = os.path.join(work, "local.duckdb")
    shutil.copy(db, local_db)
    try:
        with serve_colony(args.coral, db) as port:
            subprocess.run([args.coral, "run", script, "--param", "n=1", "--param", "what=list"],
                           check=True, capture_output=True, cwd=ROOT)  # compile once
            rows = [
                ("host round trip (params), no colony", per_call(args.coral, script, "params", args.calls, args.rounds, [])),
                ("services.list, embedded (in-process)", per_call(args.coral, script, "list", args.calls, args.rounds, [])),
                ("services.list, gRPC loopback", per_call(args.coral, script, "list", args.calls, args.rounds,
                                                          ["--colony", f"127.0.0.1:{port}"])),
                ("metrics.getErrorRate, embedded (DuckDB query)", per_call(args.coral, script, "rate", max(args.calls // 20, 10),
                                                                           args.rounds, [])),
                ("metrics.getErrorRate, gRPC loopback (DuckDB query)", per_call(args.coral, script, "rate", max(args.calls // 20, 10),
                                                                                args.rounds, ["--colony", f"127.0.0.1:{port}"])),
            ]
            print(f"{'per call':52} {'median us':>10}")
            for name, us in rows:
                print(f"{name:52} {us:10.1f}")

            print(f"\n{'end to end (process start to exit)':52} {'median ms':>10}")
            for label, extra in [("latency-report.ts, embedded demo colony", []),
                                 ("latency-report.ts, --db demo.duckdb", ["--db", local_db]),
                                 ("latency-report.ts, gRPC loopback", ["--colony", f"127.0.0.1:{port}"]),
                                 ("hello.ts (no colony)", None)]:
                path = "examples/hello.ts" if extra is None else "examples/latency-report.ts"
                times = []
                for _ in range(args.rounds):
                    t = time.perf_counter()
                    subprocess.run([args.coral, "run", path, *(extra or [])], check=True, capture_output=True, cwd=ROOT)
                    times.append((time.perf_counter() - t) * 1000)
                print(f"{label:52} {statistics.median(times):10.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"calls={args.calls} rounds={args.rounds} cpus={os.cpu_count()}")


if __name__ == "__main__":
    main()
