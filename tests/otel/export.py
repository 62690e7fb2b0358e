"""Telemetry from the real OpenTelemetry Python SDK, for colony tests.

Exports, with the SDK's standard OTLP exporters (gRPC or HTTP/protobuf) to
a colony on 127.0.0.1:

* 20 HTTP SERVER spans of 1-20 ms, every fifth answering 500 (4 errors);
* `http.server.request.duration` (seconds, the semantic conventions'
  advisory bucket boundaries) for those 20 requests;
* `queue.wait` (ms, explicit buckets) and `rpc.server.duration` (ms,
  base-2 exponential buckets through a View) with 600 pseudo-random values;
* `http.server.requests`, a monotonic counter.

Metrics are exported in three phases by two meter providers: the second is
a restarted process (a new start time: a reset for cumulative series), and
the first exports a repeated snapshot with nothing new in it. Prints every
recorded value as JSON on stdout, so the test can compute exact answers.

Usage: export.py --endpoint HOST:PORT --protocol grpc|http
                 --temporality cumulative|delta --service NAME
"""

import argparse
import json
import random
import time

from opentelemetry.sdk.metrics import (
    Counter,
    Histogram,
    MeterProvider,
)
from opentelemetry.sdk.metrics.export import (
    AggregationTemporality,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.metrics.view import (
    ExponentialBucketHistogramAggregation,
    View,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

# The HTTP semantic conventions' advisory boundaries for
# http.server.request.duration (seconds).
HTTP_BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
QUEUE_BOUNDARIES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]


def exporters(protocol, endpoint, temporality):
    preferred = {}
    if temporality == "delta":
        preferred = {
            Counter: AggregationTemporality.DELTA,
            Histogram: AggregationTemporality.DELTA,
        }
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return (
            OTLPSpanExporter(endpoint=endpoint, insecure=True),
            lambda: OTLPMetricExporter(endpoint=endpoint, insecure=True, preferred_temporality=preferred),
        )
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return (
        OTLPSpanExporter(endpoint=f"http://{endpoint}/v1/traces"),
        lambda: OTLPMetricExporter(endpoint=f"http://{endpoint}/v1/metrics", preferred_temporality=preferred),
    )


def meter_provider(resource, metric_exporter):
    reader = PeriodicExportingMetricReader(metric_exporter(), export_interval_millis=3_600_000)
    views = [View(instrument_name="rpc.server.duration", aggregation=ExponentialBucketHistogramAggregation())]
    return MeterProvider(resource=resource, metric_readers=[reader], views=views)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--protocol", choices=["grpc", "http"], required=True)
    parser.add_argument("--temporality", choices=["cumulative", "delta"], required=True)
    parser.add_argument("--service", required=True)
    args = parser.parse_args()

    resource = Resource.create({"service.name": args.service, "service.instance.id": "py-1"})
    span_exporter, metric_exporter = exporters(args.protocol, args.endpoint, args.temporality)
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    tracer = tracer_provider.get_tracer("coral-test")

    rng = random.Random(7)
    recorded = {"http.server.request.duration": [], "queue.wait": [], "rpc.server.duration": []}
    counted = 0

    def record_phase(provider, requests, samples):
        nonlocal counted
        meter = provider.get_meter("coral-test")
        duration = meter.create_histogram(
            "http.server.request.duration",
            unit="s",
            explicit_bucket_boundaries_advisory=HTTP_BOUNDARIES,
        )
        queue = meter.create_histogram(
            "queue.wait", unit="ms", explicit_bucket_boundaries_advisory=QUEUE_BOUNDARIES
        )
        rpc = meter.create_histogram("rpc.server.duration", unit="ms")
        counter = meter.create_counter("http.server.requests", unit="{request}")
        for ms, status in requests:
            attrs = {"http.request.method": "GET", "http.route": "/checkout"}
            duration.record(ms / 1000.0, {**attrs, "http.response.status_code": status})
            recorded["http.server.request.duration"].append(ms / 1000.0)
            counter.add(1, attrs)
            counted += 1
        for _ in range(samples):
            # Log-normal waits of ~1-1000 ms.
            value = min(rng.lognormvariate(3.0, 1.2), 5000.0)
            queue.record(value)
            rpc.record(value)
            recorded["queue.wait"].append(value)
            recorded["rpc.server.duration"].append(value)

    # The spans: 20 requests of 1-20 ms, every fifth failing.
    requests = []
    now = time.time_ns()
    for i in range(20):
        ms = i + 1
        status = 500 if i % 5 == 4 else 200
        requests.append((ms, status))
        start = now - (100 - i) * 1_000_000_000
        span = tracer.start_span(
            "GET /checkout",
            kind=SpanKind.SERVER,
            start_time=start,
            attributes={
                "http.request.method": "GET",
                "http.route": "/checkout",
                "http.response.status_code": status,
            },
        )
        if status >= 500:
            span.set_status(Status(StatusCode.ERROR))
        span.end(end_time=start + ms * 1_000_000)
    tracer_provider.force_flush()

    first = meter_provider(resource, metric_exporter)
    record_phase(first, requests[:10], 200)
    first.force_flush()
    record_phase(first, requests[10:15], 200)
    first.force_flush()
    # Nothing new: a cumulative exporter repeats its snapshot.
    first.force_flush()
    first.shutdown()
    # A restarted process: a new start time for every cumulative series.
    second = meter_provider(resource, metric_exporter)
    record_phase(second, requests[15:], 200)
    second.force_flush()
    second.shutdown()
    tracer_provider.shutdown()

    recorded["http.server.requests"] = counted
    print(json.dumps(recorded))


if __name__ == "__main__":
    main()
