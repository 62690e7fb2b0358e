#!/usr/bin/env python3
"""Colony benchmark: ingest throughput and query latency on a big dataset.

  python3 benches/colony.py [--spans 10000000] [--rounds 30]

1. `coral colony demo --spans N` (bulk generation inside DuckDB): spans/s.
2. `coral colony ingest` of an OTLP/JSON file (the real ingest path: JSON
   parse, validation, appender): spans/s.
3. `coral colony serve`, then median latency over persistent HTTP/1.1
   connections (Connect JSON, so the numbers include HTTP + protojson) of
   GetPercentile, ListServices, GetErrorRate and a GROUP BY over all spans.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import default_coral, serve_colony

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def otlp_json(path, spans, now_ns):
    rnd = random.Random(7)
    per_line = 1000
    with open(path, "w") as f:
        for start in range(0, spans, per_line):
            batch = []
            for i in range(start, min(spans, start + per_line)):
                t = now_ns - rnd.randrange(3_600_000_000_000)
                batch.append({
                    "traceId": f"{i + 1:032x}", "spanId": f"{i + 1:016x}", "name": "GET /x", "kind": 2,
                    "startTimeUnixNano": str(t), "endTimeUnixNano": str(t + rnd.randrange(1, 10**9)),
                    "attributes": [{"key": "http.response.status_code", "value": {"intValue": "200"}}],
                })
            line = {"resourceSpans": [{"resource": {"attributes": [
                {"key": "service.name", "value": {"stringValue": f"svc-{start // per_line % 8}"}}]},
                "scopeSpans": [{"spans": batch}]}]}
            f.write(json.dumps(line) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spans", type=int, default=10_000_000)
    parser.add_argument("--ingest-spans", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--coral", default=default_coral())
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="coral-colony-bench-")
    db = os.path.join(work, "big.duckdb")

    started = time.perf_counter()
    subprocess.run([args.coral, "colony", "demo", "--db", db, "--spans", str(args.spans)], check=True, capture_output=True)
    demo_s = time.perf_counter() - started
    print(f"demo generation: {args.spans:,} spans in {demo_s:.1f} s = {args.spans / demo_s:,.0f} spans/s")

    src = os.path.join(work, "export.json")
    otlp_json(src, args.ingest_spans, time.time_ns())
    idb = os.path.join(work, "ingest.duckdb")
    started = time.perf_counter()
    subprocess.run([args.coral, "colony", "ingest", "--db", idb, src], check=True, capture_output=True)
    ingest_s = time.perf_counter() - started
    print(f"OTLP/JSON ingest: {args.ingest_spans:,} spans in {ingest_s:.2f} s = {args.ingest_spans / ingest_s:,.0f} spans/s")

    try:
        with serve_colony(args.coral, db) as port:
            conn = http.client.HTTPConnection("127.0.0.1", port)

            def call(method, body):
                conn.request("POST", f"/coral.colony.v1.QueryService/{method}", json.dumps(body),
                             {"Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
                if resp.status != 200:
                    sys.exit(f"{method}: {resp.status} {data[:200]}")
                return json.loads(data)

            cases = {
                "GetPercentile payments P99 (1 h)": ("GetPercentile", {"service": "payments", "percentile": 0.99}),
                "GetErrorRate inventory (1 h)": ("GetErrorRate", {"service": "inventory"}),
                "ListServices": ("ListServices", {}),
                "ExecuteQuery GROUP BY service (all spans)": ("ExecuteQuery", {
                    "sql": "SELECT service_name, count(*), avg(duration_ns), quantile_cont(duration_ns, 0.99) FROM spans GROUP BY service_name",
                    "noAutoLimits": True}),
            }
            print(f"{'query':44} {'median ms':>10} {'min ms':>8} {'p90 ms':>8}")
            for name, (method, body) in cases.items():
                call(method, body)  # warm
                times = []
                for _ in range(args.rounds):
                    t = time.perf_counter()
                    call(method, body)
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                print(f"{name:44} {statistics.median(times):10.1f} {times[0]:8.1f} {times[int(len(times) * 0.9) - 1]:8.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"rounds={args.rounds} cpus={os.cpu_count()}")


if __name__ == "__main__":
    main()
