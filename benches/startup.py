#!/usr/bin/env python3
"""Start-up benchmark: coral vs Deno, in one run, on this machine.

Measures whole processes (what a user waits for): median wall time and peak
RSS (from wait4's rusage) over N interleaved rounds of
  * coral run hello.wasm   (bundle built beforehand, compiled module cached)
  * coral run hello.ts     (engine and bytecode cached)
  * coral run <new>.ts     (a script never seen before: swc + bytecode compile)
  * deno run hello.ts
and prints the fuel of an empty script. Usage:
  python3 benches/startup.py [--rounds N] [--coral PATH] [--deno PATH]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import default_coral, run_measured

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(argv, env, cwd):
    ms, rss, code, out, _ = run_measured(argv, env, cwd)
    if code != 0:
        sys.exit(f"{' '.join(argv)} failed with {code}")
    return ms, rss / (1024 * 1024), out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--coral", default=default_coral())
    parser.add_argument("--deno", default=os.environ.get("CORAL_DENO") or shutil.which("deno"))
    args = parser.parse_args()
    if not args.deno:
        sys.exit("deno not found: run scripts/setup.sh or set CORAL_DENO")

    work = tempfile.mkdtemp(prefix="coral-bench-")
    env = dict(os.environ, CORAL_CACHE_DIR=os.path.join(work, "cache"), NO_COLOR="1")
    hello = os.path.join(work, "hello.ts")
    with open(hello, "w") as f:
        f.write('console.log("hello");\n')
    empty = os.path.join(work, "empty.ts")
    with open(empty, "w") as f:
        f.write("\n")
    bundle = os.path.join(work, "hello.wasm")
    subprocess.run([args.coral, "build", hello, "-o", bundle], check=True, env=env, capture_output=True)

    cases = {
        "coral run hello.wasm": lambda i: [args.coral, "run", bundle],
        "coral run hello.ts (cached)": lambda i: [args.coral, "run", hello],
        "coral run new.ts (first run)": lambda i: [args.coral, "run", fresh_script(work, i)],
        "deno run hello.ts": lambda i: [args.deno, "run", "--quiet", hello],
    }
    # Warm every cache (and the page cache) once, unmeasured.
    for make in cases.values():
        measure(make(-1), env, work)
    results = {name: ([], []) for name in cases}
    for i in range(args.rounds):
        for name, make in cases.items():
            ms, rss, out = measure(make(i), env, work)
            assert out.startswith(b"hello"), out
            results[name][0].append(ms)
            results[name][1].append(rss)

    deno_ms = statistics.median(results["deno run hello.ts"][0])
    print(f"{'case':32} {'median ms':>10} {'min ms':>8} {'peak RSS MiB':>13} {'vs deno':>8}")
    for name, (times, rss) in results.items():
        med = statistics.median(times)
        print(f"{name:32} {med:10.1f} {min(times):8.1f} {statistics.median(rss):13.1f} {deno_ms / med:7.1f}x")
    fuel = subprocess.run([args.coral, "run", empty, "--deterministic", "--stats"], env=env, capture_output=True, text=True)
    stats = [l for l in fuel.stderr.splitlines() if l.startswith("stats:")]
    print(f"empty script: {stats[0] if stats else fuel.stderr.strip()}")
    print(f"rounds={args.rounds} machine={os.cpu_count()} cpus")
    shutil.rmtree(work, ignore_errors=True)


def fresh_script(work, i):
    path = os.path.join(work, f"new-{i}-{time.monotonic_ns()}.ts")
    with open(path, "w") as f:
        f.write(f'const n: number = {i};\nconsole.log("hello", n);\n')
    return path


if __name__ == "__main__":
    main()
