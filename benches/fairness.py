#!/usr/bin/env python3
"""Colony fairness benchmark: latency of cheap calls from N concurrent gRPC
clients, alone and with hostile queries running alongside.

  python3 benches/fairness.py [--clients 8] [--seconds 10] [--hostile 4]

One `coral colony serve` (demo data, `--query-timeout 2`). Each cheap client
is its own gRPC channel (one connection) in this process, calling
ListServices and ExecuteQuery `SELECT 42` in turn as fast as it can. Round 1
runs them alone; round 2 adds `--hostile` clients, each on its own
connection, looping over a query DuckDB cannot interrupt (one `contains`
call on a long needle, ~4 s of CPU) and one it can (an endless `range`
scan), both cut by the 2 s timeout. Reports p50/p99/max per round and the
ratios. Needs grpcio: `scripts/setup.sh --test` installs it (with the
OpenTelemetry SDK) under CORAL_OTEL_PYTHONPATH.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from benchlib import default_coral, serve_colony

PYTHONPATH = os.environ.get(
    "CORAL_OTEL_PYTHONPATH", os.path.expanduser("~/.cache/coral-toolchain/otel-python"))
sys.path.insert(0, PYTHONPATH)
import grpc  # noqa: E402

SERVICE = "/coral.colony.v1.QueryService/"
UNINTERRUPTIBLE = "SELECT contains(repeat('a', 1000000), repeat('a', 200000) || 'b')"
ENDLESS = "SELECT count(*) FROM range(1000000000000) t(x) WHERE x % 7 = 3"


def execute_query(sql):
    """ExecuteQueryRequest{sql} in protobuf (field 1, length-delimited)."""
    data = sql.encode()
    length, varint = len(data), b""
    while True:
        byte = length & 0x7F
        length >>= 7
        varint += bytes([byte | (0x80 if length else 0)])
        if not length:
            return b"\x0a" + varint + data


def method(channel, name):
    return channel.unary_unary(SERVICE + name, request_serializer=None, response_deserializer=None)


def cheap_client(port, until, latencies, errors):
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        calls = [(method(channel, "ListServices"), b""),
                 (method(channel, "ExecuteQuery"), execute_query("SELECT 42"))]
        i = 0
        while time.perf_counter() < until:
            call, request = calls[i % 2]
            i += 1
            started = time.perf_counter()
            try:
                call(request, timeout=30)
            except grpc.RpcError as e:
                errors.append(e.code())
                continue
            latencies.append((time.perf_counter() - started) * 1000.0)


def hostile_client(port, until, counts):
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        call = method(channel, "ExecuteQuery")
        i = 0
        while time.perf_counter() < until:
            sql = UNINTERRUPTIBLE if i % 2 == 0 else ENDLESS
            i += 1
            try:
                call(execute_query(sql), timeout=30)
            except grpc.RpcError as e:
                counts[e.code().name] = counts.get(e.code().name, 0) + 1


def round_(port, clients, hostile, seconds):
    until = time.perf_counter() + seconds
    latencies, errors, hostile_answers = [], [], {}
    threads = [threading.Thread(target=hostile_client, args=(port, until, hostile_answers))
               for _ in range(hostile)]
    for t in threads:
        t.start()
    if hostile:
        time.sleep(0.5)  # the hostile queries are running
    cheap = [threading.Thread(target=cheap_client, args=(port, until, latencies, errors))
             for _ in range(clients)]
    for t in cheap:
        t.start()
    for t in cheap + threads:
        t.join()
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    return {
        "calls": len(latencies), "errors": len(errors),
        "p50": statistics.median(latencies), "p99": pick(0.99), "max": latencies[-1],
        "hostile": hostile_answers,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--hostile", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--coral", default=default_coral())
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="coral-fairness-bench-")
    db = os.path.join(work, "demo.duckdb")
    subprocess.run([args.coral, "colony", "demo", "--db", db], check=True, capture_output=True)
    with serve_colony(args.coral, db, extra=["--query-timeout", "2"]) as port:
        alone = round_(port, args.clients, 0, args.seconds)
        loaded = round_(port, args.clients, args.hostile, args.seconds)
    print(f"{args.clients} cheap clients, {args.seconds:g} s per round, --query-timeout 2")
    print(f"{'round':<28} {'calls':>7} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, r in [("alone", alone), (f"with {args.hostile} hostile clients", loaded)]:
        print(f"{name:<28} {r['calls']:>7} {r['errors']:>6} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['max']:>8.1f}")
    print(f"ratio p50 {loaded['p50'] / alone['p50']:.2f}x, p99 {loaded['p99'] / alone['p99']:.2f}x; "
          f"hostile answers: {loaded['hostile']}")


if __name__ == "__main__":
    main()
