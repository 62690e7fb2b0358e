#!/usr/bin/env python3
"""ExecuteQuery latency through the answer budget gate (colony/src/answer.rs).

  python3 benches/answers.py [--spans 1000000] [--rounds 30] [--coral PATH] [--baseline PATH]

`coral colony demo --spans N` into a scratch file, then `coral colony serve`
and the median of ROUNDS ExecuteQuery calls per query over one kept-alive
HTTP/1.1 connection (Connect JSON). With --baseline (another `coral` build)
the same queries run against it too, in the same run, and the ratio is
printed. The queries: a constant (answered without the gate when its rows
fit the budget at a fixed width), a GROUP BY over all spans, 10,000 rows of
three text columns (gated: text has no fixed width) and 10,000 rows of three
integer columns (fixed width: not gated).
"""
import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from benchlib import default_coral, serve_colony

QUERIES = [
    ("SELECT 42", "SELECT 42"),
    ("5-row GROUP BY over all spans",
     "SELECT service_name, count(*) FROM spans GROUP BY 1 ORDER BY 1 LIMIT 5"),
    ("10,000 rows, 3 text columns",
     "SELECT 'a' || range AS a, 'b' || range AS b, 'c' || range AS c FROM range(10000)"),
    ("10,000 rows, 3 integer columns",
     "SELECT range AS a, range * 2 AS b, range * 3 AS c FROM range(10000)"),
]


def medians(coral, db, rounds):
    out = {}
    with serve_colony(coral, db) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        for name, sql in QUERIES:
            body = json.dumps({"sql": sql, "noAutoLimits": True, "maxRows": 10000})
            times = []
            for _ in range(rounds + 1):
                start = time.perf_counter()
                conn.request("POST", "/coral.colony.v1.QueryService/ExecuteQuery", body,
                             {"Content-Type": "application/json"})
                response = conn.getresponse()
                payload = response.read()
                times.append((time.perf_counter() - start) * 1000.0)
                if response.status != 200:
                    raise SystemExit(f"{name}: HTTP {response.status}: {payload[:200]!r}")
            out[name] = statistics.median(times[1:])  # the first warms caches
        conn.close()
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--coral", default=default_coral())
    parser.add_argument("--baseline")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="coral-answers-bench-")
    try:
        db = os.path.join(work, "demo.duckdb")
        subprocess.run([args.coral, "colony", "demo", "--db", db, "--spans", str(args.spans)],
                       check=True, capture_output=True)
        now = medians(args.coral, db, args.rounds)
        base = medians(args.baseline, db, args.rounds) if args.baseline else None
        print(f"median of {args.rounds} ExecuteQuery calls, {args.spans:,} spans")
        for name, _ in QUERIES:
            line = f"{name:34} {now[name]:8.2f} ms"
            if base:
                line += f"   baseline {base[name]:8.2f} ms   ratio {now[name] / base[name]:.2f}"
            print(line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
