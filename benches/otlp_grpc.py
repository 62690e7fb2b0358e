#!/usr/bin/env python3
"""OTLP/gRPC ingest benchmark: spans/s through `coral colony serve`'s
TraceService/Export, the path OpenTelemetry SDKs and the Collector use.

  python3 benches/otlp_grpc.py [--requests 100] [--spans 500] [--coral PATH]

Export requests are built once with the OpenTelemetry Python protobuf
classes and sent one after another over one channel to a fresh colony:
first with flat attributes (eight per span, as SDKs send them), then with
one attribute per span nested 30 levels deep (kvlists and arrays, near what
prost alone could decode). Reports spans/s, the median of three passes, for
each set. Needs grpcio and opentelemetry-proto: `scripts/setup.sh --test`
installs them under CORAL_OTEL_PYTHONPATH.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

from benchlib import default_coral, serve_colony

PYTHONPATH = os.environ.get(
    "CORAL_OTEL_PYTHONPATH", os.path.expanduser("~/.cache/coral-toolchain/otel-python"))
sys.path.insert(0, PYTHONPATH)
import grpc  # noqa: E402
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: E402
from opentelemetry.proto.common.v1 import common_pb2  # noqa: E402
from opentelemetry.proto.resource.v1 import resource_pb2  # noqa: E402
from opentelemetry.proto.trace.v1 import trace_pb2  # noqa: E402

EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"


def kv(key, value):
    return common_pb2.KeyValue(key=key, value=value)


def nested(levels):
    value = common_pb2.AnyValue(string_value="leaf")
    for level in range(1, levels):
        if level % 2:
            value = common_pb2.AnyValue(kvlist_value=common_pb2.KeyValueList(values=[kv("k", value)]))
        else:
            value = common_pb2.AnyValue(array_value=common_pb2.ArrayValue(values=[value]))
    return value


def requests(count, spans, deep, seed):
    now = time.time_ns()
    deep_value = nested(30)
    out = []
    for r in range(count):
        batch = []
        for i in range(spans):
            n = seed + r * spans + i + 1
            attrs = [kv("http.request.method", common_pb2.AnyValue(string_value="GET")),
                     kv("http.route", common_pb2.AnyValue(string_value="/api/items/{id}")),
                     kv("http.response.status_code", common_pb2.AnyValue(int_value=200)),
                     kv("url.scheme", common_pb2.AnyValue(string_value="https")),
                     kv("server.address", common_pb2.AnyValue(string_value="api.example.com")),
                     kv("server.port", common_pb2.AnyValue(int_value=443)),
                     kv("network.protocol.version", common_pb2.AnyValue(string_value="1.1")),
                     kv("user_agent.original", common_pb2.AnyValue(string_value="bench/1.0"))]
            if deep:
                attrs.append(kv("deep", deep_value))
            start = now - (i % 3_600) * 1_000_000_000
            batch.append(trace_pb2.Span(
                trace_id=n.to_bytes(16, "big"), span_id=n.to_bytes(8, "big"), name="GET /api/items/{id}",
                kind=trace_pb2.Span.SPAN_KIND_SERVER, start_time_unix_nano=start,
                end_time_unix_nano=start + 5_000_000, attributes=attrs))
        resource = resource_pb2.Resource(attributes=[kv("service.name", common_pb2.AnyValue(string_value="bench"))])
        request = trace_service_pb2.ExportTraceServiceRequest(resource_spans=[trace_pb2.ResourceSpans(
            resource=resource, scope_spans=[trace_pb2.ScopeSpans(spans=batch)])])
        out.append(request.SerializeToString())
    return out


def spans_per_second(coral, bodies, spans):
    with tempfile.TemporaryDirectory() as work, serve_colony(coral, os.path.join(work, "c.duckdb")) as port:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            export = channel.unary_unary(EXPORT, request_serializer=None, response_deserializer=None)
            started = time.perf_counter()
            for body in bodies:
                export(body, timeout=60)
            return len(bodies) * spans / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--spans", type=int, default=500, help="spans per request")
    parser.add_argument("--coral", default=default_coral())
    args = parser.parse_args()
    for label, deep in (("flat attributes", False), ("one attribute 30 levels deep", True)):
        bodies = requests(args.requests, args.spans, deep, 0)
        size = sum(map(len, bodies)) / len(bodies)
        rates = [spans_per_second(args.coral, bodies, args.spans) for _ in range(3)]
        print(f"OTLP/gRPC ingest, {label}: {args.requests} requests x {args.spans} spans "
              f"({size / 1024:.0f} KiB each): median {statistics.median(rates):,.0f} spans/s "
              f"(passes: {', '.join(f'{r:,.0f}' for r in rates)})")


if __name__ == "__main__":
    main()
