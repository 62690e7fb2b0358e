//! Real OpenTelemetry SDKs against a colony on loopback: the Python SDK
//! (its standard OTLP exporters, `tests/otel/export.py`) and the Rust
//! `opentelemetry-otlp` crate, over OTLP/gRPC and OTLP/HTTP, with delta and
//! cumulative temporality, explicit and exponential histograms and a
//! restarted exporter. Percentiles from buckets must be within one bucket of
//! the exact percentile of the recorded values; counts and error rates exact.
//! Also the OTLP/HTTP receiver's answers to bad requests.

mod common;

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use common::serve;
use coral_colony::{ColonyConfig, Store};
use coral_proto::colony::v1 as pb;
use pb::query_service_client::QueryServiceClient;

/// The HTTP semantic conventions' advisory boundaries (seconds).
const HTTP_BOUNDS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];
/// `queue.wait`'s boundaries (ms), as in `tests/otel/export.py`.
const QUEUE_BOUNDS: [f64; 10] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0];

/// What an exporter recorded.
#[derive(Debug, Default, serde::Deserialize)]
struct Recorded {
    #[serde(rename = "http.server.request.duration")]
    request_duration: Vec<f64>,
    #[serde(rename = "queue.wait")]
    queue_wait: Vec<f64>,
    #[serde(rename = "rpc.server.duration")]
    rpc_duration: Vec<f64>,
    #[serde(rename = "http.server.requests")]
    requests: i64,
}

/// Linear interpolation between closest ranks (numpy's default).
fn exact(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// The estimate lies in the bucket holding the exact value or the one
/// next to it (the rank `q × n` and the order statistic `(n − 1) q + 1`
/// can fall on either side of a bound).
fn within_one_bucket(estimate: f64, exact: f64, bounds: &[f64]) -> bool {
    let i = bounds
        .iter()
        .position(|b| exact <= *b)
        .unwrap_or(bounds.len());
    let lower = if i >= 2 {
        bounds[i - 2]
    } else {
        f64::NEG_INFINITY
    };
    let upper = bounds.get(i + 1).copied().unwrap_or(f64::INFINITY);
    let slack = 1e-9 * exact.abs().max(1.0);
    estimate >= lower - slack && estimate <= upper + slack
}

async fn percentile(
    client: &mut QueryServiceClient<tonic::transport::Channel>,
    service: &str,
    metric: &str,
    q: f64,
) -> pb::GetPercentileResponse {
    client
        .get_percentile(pb::GetPercentileRequest {
            service: service.into(),
            metric: metric.into(),
            percentile: q,
            time_range_ms: 0,
        })
        .await
        .unwrap_or_else(|e| panic!("{service} {metric} P{q}: {e}"))
        .into_inner()
}

/// The smallest exponential scale stored for a metric (the merge's
/// resolution): its bucket base.
fn exponential_base(store: &Store, service: &str, metric: &str) -> f64 {
    let scale: i32 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT min(exponential.scale) FROM metric_points WHERE service_name = ? AND metric_name = ?",
                [service, metric],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    2f64.powf(2f64.powi(-scale))
}

/// Every answer a test exporter's data must give.
async fn check_answers(store: &Store, addr: SocketAddr, service: &str, recorded: &Recorded) {
    let mut client = QueryServiceClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    let base = exponential_base(store, service, "rpc.server.duration");
    assert!(
        base > 1.0 && base < 1.5,
        "{service}: exponential base {base}"
    );
    for q in [0.5, 0.9, 0.99] {
        for (metric, values, unit, bounds) in [
            (
                "http.server.request.duration",
                &recorded.request_duration,
                "s",
                &HTTP_BOUNDS[..],
            ),
            ("queue.wait", &recorded.queue_wait, "ms", &QUEUE_BOUNDS[..]),
        ] {
            let r = percentile(&mut client, service, metric, q).await;
            let want = exact(values, q);
            assert_eq!(
                (r.method.as_str(), r.unit.as_str(), r.sample_count),
                ("buckets", unit, values.len() as i64),
                "{service} {metric} P{q}"
            );
            assert!(
                within_one_bucket(r.value, want, bounds),
                "{service} {metric} P{q}: {} is more than a bucket from {want}",
                r.value
            );
        }
        let r = percentile(&mut client, service, "rpc.server.duration", q).await;
        let want = exact(&recorded.rpc_duration, q);
        assert_eq!(
            (r.method.as_str(), r.sample_count),
            ("buckets", recorded.rpc_duration.len() as i64),
            "{service} rpc P{q}"
        );
        let ratio = r.value / want;
        assert!(
            ratio >= 1.0 / (base * base) && ratio <= base * base,
            "{service} rpc.server.duration P{q}: {} vs exact {want} (bucket base {base})",
            r.value
        );
    }
    // The counter's per-interval deltas add up to what was counted, across
    // the repeated snapshot and the restart.
    let counted: f64 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT sum(delta_value) FROM metric_deltas WHERE service_name = ? AND metric_name = 'http.server.requests'",
                [service],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(counted, recorded.requests as f64, "{service}");
}

/// The Python SDK test clients (`scripts/setup.sh --test` installs them and
/// `scripts/env.sh` names them).
fn python_path() -> String {
    std::env::var("CORAL_OTEL_PYTHONPATH").unwrap_or_else(|_| {
        panic!(
            "CORAL_OTEL_PYTHONPATH is not set: run `bash scripts/setup.sh --test` and `. scripts/env.sh` (the OpenTelemetry Python SDK these tests export with)"
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_sdk_over_grpc_and_http_gives_exact_counts_and_bucket_percentiles() {
    let pythonpath = python_path();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/otel/export.py");
    let store = Arc::new(Store::open_in_memory(ColonyConfig::default()).unwrap());
    let addr = serve(store.clone()).await;
    for protocol in ["grpc", "http"] {
        for temporality in ["cumulative", "delta"] {
            let service = format!("checkout-py-{protocol}-{temporality}");
            let mut python = std::process::Command::new("python3");
            python
                .arg(script)
                .args(["--endpoint", &addr.to_string()])
                .args(["--protocol", protocol, "--temporality", temporality])
                .args(["--service", &service])
                .env("PYTHONPATH", &pythonpath);
            let out = tokio::task::spawn_blocking(move || python.output())
                .await
                .unwrap()
                .expect("python3 runs");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{service}: {stderr}");
            // The SDK logs an export it could not deliver and goes on.
            assert!(
                !stderr.contains("Failed to export") && !stderr.contains("Traceback"),
                "{service}: {stderr}"
            );
            let recorded: Recorded = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(recorded.request_duration.len(), 20);
            assert_eq!(recorded.queue_wait.len(), 600);
            check_answers(&store, addr, &service, &recorded).await;

            let mut client = QueryServiceClient::connect(format!("http://{addr}"))
                .await
                .unwrap();
            let rate = client
                .get_error_rate(pb::GetErrorRateRequest {
                    service: service.clone(),
                    time_range_ms: 0,
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!((rate.error_count, rate.total_count), (4, 20), "{service}");
            assert!((rate.rate - 0.2).abs() < 1e-12);
            // Spans are the exact source: 1..20 ms, P50 10.5 ms.
            let p50 = percentile(&mut client, &service, "http.server.duration", 0.5).await;
            assert_eq!(
                (p50.value, p50.sample_count, p50.method.as_str()),
                (10_500_000.0, 20, "exact")
            );
        }
    }
}

/// Records the same shapes of data as `tests/otel/export.py` with the Rust
/// SDK: two phases on one meter provider, a third on a restarted one.
fn rust_sdk_export(
    addr: SocketAddr,
    service: &str,
    protocol: &str,
    temporality: opentelemetry_sdk::metrics::Temporality,
) -> Recorded {
    use opentelemetry::metrics::MeterProvider as _;
    use opentelemetry_otlp::{Protocol, WithExportConfig};
    use opentelemetry_sdk::metrics::{Aggregation, Instrument, SdkMeterProvider, Stream};

    let provider = || {
        let builder = opentelemetry_otlp::MetricExporter::builder();
        let exporter = match protocol {
            "grpc" => builder
                .with_tonic()
                .with_endpoint(format!("http://{addr}"))
                .with_temporality(temporality)
                .build(),
            json_or_proto => builder
                .with_http()
                .with_protocol(if json_or_proto == "http-json" {
                    Protocol::HttpJson
                } else {
                    Protocol::HttpBinary
                })
                .with_endpoint(format!("http://{addr}/v1/metrics"))
                .with_temporality(temporality)
                .build(),
        }
        .unwrap();
        let reader = opentelemetry_sdk::metrics::periodic_reader_with_async_runtime::PeriodicReader::builder(
            exporter,
            opentelemetry_sdk::runtime::Tokio,
        )
        .with_interval(Duration::from_secs(3600))
        .build();
        SdkMeterProvider::builder()
            .with_reader(reader)
            .with_resource(
                opentelemetry_sdk::Resource::builder()
                    .with_service_name(service.to_string())
                    .build(),
            )
            .with_view(|i: &Instrument| {
                (i.name() == "rpc.server.duration").then(|| {
                    Stream::builder()
                        .with_aggregation(Aggregation::Base2ExponentialHistogram {
                            max_size: 160,
                            max_scale: 20,
                            record_min_max: true,
                        })
                        .build()
                        .unwrap()
                })
            })
            .build()
    };
    let mut recorded = Recorded::default();
    // A deterministic spread of ~1-1000 ms values.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let u = (x >> 11) as f64 / (1u64 << 53) as f64;
        (u * 6.9).exp()
    };
    let mut phase = |provider: &SdkMeterProvider, requests: std::ops::Range<u32>, samples| {
        let meter = provider.meter("coral-test");
        let duration = meter
            .f64_histogram("http.server.request.duration")
            .with_unit("s")
            .with_boundaries(HTTP_BOUNDS.to_vec())
            .build();
        let queue = meter
            .f64_histogram("queue.wait")
            .with_unit("ms")
            .with_boundaries(QUEUE_BOUNDS.to_vec())
            .build();
        let rpc = meter
            .f64_histogram("rpc.server.duration")
            .with_unit("ms")
            .build();
        let counter = meter.u64_counter("http.server.requests").build();
        for i in requests {
            let seconds = f64::from(i + 1) / 1000.0;
            duration.record(seconds, &[]);
            recorded.request_duration.push(seconds);
            counter.add(1, &[]);
            recorded.requests += 1;
        }
        for _ in 0..samples {
            let v = next();
            queue.record(v, &[]);
            rpc.record(v, &[]);
            recorded.queue_wait.push(v);
            recorded.rpc_duration.push(v);
        }
    };
    let first = provider();
    phase(&first, 0..10, 200);
    first.force_flush().unwrap();
    phase(&first, 10..15, 200);
    first.force_flush().unwrap();
    first.force_flush().unwrap();
    first.shutdown().unwrap();
    let second = provider();
    phase(&second, 15..20, 200);
    second.force_flush().unwrap();
    second.shutdown().unwrap();
    recorded
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_sdk_over_grpc_http_protobuf_and_http_json() {
    use opentelemetry_sdk::metrics::Temporality;
    let store = Arc::new(Store::open_in_memory(ColonyConfig::default()).unwrap());
    let addr = serve(store.clone()).await;
    for protocol in ["grpc", "http-proto", "http-json"] {
        for (name, temporality) in [
            ("cumulative", Temporality::Cumulative),
            ("delta", Temporality::Delta),
        ] {
            let service = format!("checkout-rs-{protocol}-{name}");
            let recorded = {
                let service = service.clone();
                // The async-runtime reader exports on this runtime; flushing
                // waits for it, so it runs off the runtime's workers.
                tokio::task::spawn_blocking(move || {
                    rust_sdk_export(addr, &service, protocol, temporality)
                })
                .await
                .unwrap()
            };
            check_answers(&store, addr, &service, &recorded).await;
        }
    }
}

/// One HTTP/1.1 request on a fresh connection: status, content type, body.
/// An OTLP/JSON trace export of one span whose attribute `deep` nests
/// `levels` deep through `kvlistValue`s.
fn deep_span(levels: usize) -> String {
    let value = common::nested_value(levels, "kvlistValue");
    format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"deep-svc"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":"5b8efff798038103d269b633813fc60d","spanId":"eee19b7ec3c1b176","name":"deep","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000001000000","attributes":[{{"key":"deep","value":{value}}}]}}]}}]}}]}}"#
    )
}

fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete HTTP answer");
    let head = String::from_utf8_lossy(&answer[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-type")
                .then(|| v.trim().to_string())
        })
        .unwrap_or_default();
    (status, content_type, answer[split + 4..].to_vec())
}

/// `google.rpc.Status`, as the receiver encodes errors.
#[derive(Clone, PartialEq, prost::Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn otlp_http_answers_bad_requests_with_the_specified_statuses() {
    use prost::Message as _;
    let store = Arc::new(Store::open_in_memory(ColonyConfig::default()).unwrap());
    let addr = serve(store.clone()).await;
    let spans_stored = || -> i64 {
        store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM spans", [], |r| r.get(0))?))
            .unwrap()
    };
    let proto = [("Content-Type", "application/x-protobuf")];
    let json = [("Content-Type", "application/json")];
    tokio::task::spawn_blocking(move || {
        // Valid protobuf, gzip-compressed: stored, answered in protobuf.
        let request = common::traces(
            "http-svc",
            "i-1",
            vec![common::server_span(1, 5 * common::MS, 3, 200, false)],
        );
        let body = gzip(&request.encode_to_vec());
        let (status, ct, answer) = http(
            addr,
            "POST",
            "/v1/traces",
            &[proto[0], ("Content-Encoding", "gzip")],
            &body,
        );
        assert_eq!((status, ct.as_str()), (200, "application/x-protobuf"));
        assert!(
            opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceResponse::decode(
                answer.as_slice()
            )
            .unwrap()
            .partial_success
            .is_none()
        );

        // Garbage protobuf: 400 with a google.rpc.Status in protobuf.
        let (status, ct, answer) = http(addr, "POST", "/v1/traces", &proto, b"\xff\xff\xff");
        assert_eq!((status, ct.as_str()), (400, "application/x-protobuf"));
        let why = RpcStatus::decode(answer.as_slice()).unwrap();
        assert_eq!(why.code, tonic::Code::InvalidArgument as i32);
        assert!(why.message.contains("not an OTLP protobuf export request"), "{}", why.message);

        // Bad JSON: 400 with the status as JSON.
        let (status, ct, answer) = http(addr, "POST", "/v1/metrics", &json, b"{\"resourceMetrics\": 7}");
        assert_eq!((status, ct.as_str()), (400, "application/json"));
        let why: serde_json::Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(why["code"], 3, "{why}");
        assert!(why["message"].as_str().unwrap().contains("not an OTLP/JSON export request"));

        // Attribute values nested 1,000 levels deep are stored (past
        // serde_json's 128 and the ~30 levels the colony took before);
        // 1,001 are refused with the bound.
        let (status, _, answer) = http(addr, "POST", "/v1/traces", &json, deep_span(1_000).as_bytes());
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
        let (status, _, answer) = http(addr, "POST", "/v1/traces", &json, deep_span(1_001).as_bytes());
        assert_eq!(status, 400);
        assert!(String::from_utf8_lossy(&answer).contains("more than 1000 levels"));

        // Valid JSON but invalid telemetry (an 8-byte trace id): 400, and
        // the span beside it in the same request is not stored.
        let body = br#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"http-svc"}}]},"scopeSpans":[{"spans":[
            {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"ok","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000001000000"},
            {"traceId":"5b8efff798038103","spanId":"eee19b7ec3c1b175","name":"bad","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000001000000"}]}]}]}"#;
        let (status, _, answer) = http(addr, "POST", "/v1/traces", &json, body);
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(&answer));
        assert!(String::from_utf8_lossy(&answer).contains("trace_id must be 16"));

        // Unsupported content type and encoding: 415.
        let (status, ct, _) = http(addr, "POST", "/v1/traces", &[("Content-Type", "text/plain")], b"x");
        assert_eq!((status, ct.as_str()), (415, "application/json"));
        let (status, _, answer) = http(addr, "POST", "/v1/traces", &[proto[0], ("Content-Encoding", "br")], b"x");
        assert_eq!(status, 415);
        assert!(RpcStatus::decode(answer.as_slice()).unwrap().message.contains("\"br\""));

        // Corrupt gzip: 400. A gzip bomb past 64 MiB: 413, decompression
        // stopped at the limit.
        let (status, _, _) = http(addr, "POST", "/v1/traces", &[proto[0], ("Content-Encoding", "gzip")], b"\x1f\x8bnot gzip");
        assert_eq!(status, 400);
        let bomb = gzip(&vec![0u8; coral_proto::MAX_MESSAGE_BYTES + 1024]);
        assert!(bomb.len() < 1024 * 1024);
        let (status, _, answer) = http(addr, "POST", "/v1/traces", &[proto[0], ("Content-Encoding", "gzip")], &bomb);
        assert_eq!(status, 413);
        assert!(RpcStatus::decode(answer.as_slice()).unwrap().message.contains("larger than"));

        // Only POST; only the three signals. Both with a status body.
        let (status, _, answer) = http(addr, "GET", "/v1/traces", &[], b"");
        assert_eq!(status, 405);
        let why: serde_json::Value = serde_json::from_slice(&answer).unwrap();
        assert!(why["message"].as_str().unwrap().contains("POST"), "{why}");
        let (status, _, answer) = http(addr, "POST", "/v1/profiles", &proto, b"");
        assert_eq!(status, 404);
        assert!(RpcStatus::decode(answer.as_slice()).unwrap().message.contains("/v1/traces"));

        // Logs: decoded, every record rejected with the reason.
        let logs = br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"a"}},{"body":{"stringValue":"b"}}]}]}]}"#;
        let (status, _, answer) = http(addr, "POST", "/v1/logs", &json, logs);
        assert_eq!(status, 200);
        let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(answer["partialSuccess"]["rejectedLogRecords"], 2, "{answer}");
        assert!(answer["partialSuccess"]["errorMessage"].as_str().unwrap().contains("not logs"));
    })
    .await
    .unwrap();
    assert_eq!(
        spans_stored(),
        2,
        "only the first, valid request and the 1,000-level one were stored"
    );
    let deep: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT CAST(attributes AS VARCHAR) FROM spans WHERE name = 'deep'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(deep.matches("\"k\"").count(), 999, "every level is kept");
}

/// Sends raw bytes as a gRPC request body.
#[derive(Debug, Clone, Default)]
struct RawCodec;

#[derive(Debug)]
struct RawCoder;

impl tonic::codec::Encoder for RawCoder {
    type Item = Vec<u8>;
    type Error = tonic::Status;
    fn encode(
        &mut self,
        item: Vec<u8>,
        dst: &mut tonic::codec::EncodeBuf<'_>,
    ) -> Result<(), tonic::Status> {
        use prost::bytes::BufMut;
        dst.put_slice(&item);
        Ok(())
    }
}

impl tonic::codec::Decoder for RawCoder {
    type Item = Vec<u8>;
    type Error = tonic::Status;
    fn decode(
        &mut self,
        src: &mut tonic::codec::DecodeBuf<'_>,
    ) -> Result<Option<Vec<u8>>, tonic::Status> {
        use prost::bytes::Buf;
        let mut out = vec![0; src.remaining()];
        src.copy_to_slice(&mut out);
        Ok(Some(out))
    }
}

impl tonic::codec::Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCoder;
    type Decoder = RawCoder;
    fn encoder(&mut self) -> RawCoder {
        RawCoder
    }
    fn decoder(&mut self) -> RawCoder {
        RawCoder
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_requests_that_do_not_decode_are_invalid_arguments() {
    let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
    let addr = serve(store).await;
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    for path in [
        "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
        "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
        "/coral.colony.v1.QueryService/GetPercentile",
    ] {
        let mut grpc = tonic::client::Grpc::new(channel.clone());
        grpc.ready().await.unwrap();
        let status = grpc
            .unary(
                tonic::Request::new(vec![0xff, 0xff, 0xff]),
                http::uri::PathAndQuery::from_static(path),
                RawCodec,
            )
            .await
            .unwrap_err();
        assert_eq!(
            status.code(),
            tonic::Code::InvalidArgument,
            "{path}: {status}"
        );
        assert!(status.message().contains("failed to decode"), "{status}");
    }
}

/// Attribute values nest 1,000 levels over OTLP/gRPC and OTLP/HTTP protobuf
/// (prost alone stops near 33) and are stored exactly as the same value
/// sent as OTLP/JSON; 1,001 levels are refused with the bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attributes_nest_1000_levels_over_grpc_and_http_protobuf_as_over_json() {
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
    use prost::Message as _;
    let store = Arc::new(Store::open_in_memory(ColonyConfig::default()).unwrap());
    let addr = serve(store.clone()).await;
    // The JSON request, renamed and re-identified, as protobuf (deep values
    // are built and encoded off the async workers).
    // 1,001 levels is one kvlist around the 1,000 the JSON path takes.
    fn encoded(levels: usize, name: &str) -> Vec<u8> {
        use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, KeyValueList, any_value};
        let mut request: ExportTraceServiceRequest =
            coral_colony::otlp_json::from_slice(deep_span(levels.min(1_000)).as_bytes()).unwrap();
        let span = &mut request.resource_spans[0].scope_spans[0].spans[0];
        for _ in 1_000..levels {
            let value = span.attributes[0].value.take();
            span.attributes[0].value = Some(AnyValue {
                value: Some(any_value::Value::KvlistValue(KeyValueList {
                    values: vec![KeyValue {
                        key: "k".into(),
                        value,
                        ..Default::default()
                    }],
                })),
            });
        }
        span.name = name.into();
        span.span_id = name
            .bytes()
            .chain(std::iter::repeat(b'.'))
            .take(8)
            .collect();
        request.encode_to_vec()
    }
    let off_workers = |levels, name| tokio::task::spawn_blocking(move || encoded(levels, name));
    let (json_ok, http_ok, http_deeper) = tokio::task::spawn_blocking(move || {
        let json = [("Content-Type", "application/json")];
        let proto = [("Content-Type", "application/x-protobuf")];
        let body = deep_span(1_000);
        let json_ok = http(addr, "POST", "/v1/traces", &json, body.as_bytes());
        let http_ok = http(addr, "POST", "/v1/traces", &proto, &encoded(1_000, "http"));
        let deeper = encoded(1_001, "http2");
        (
            json_ok,
            http_ok,
            http(addr, "POST", "/v1/traces", &proto, &deeper),
        )
    })
    .await
    .unwrap();
    assert_eq!(json_ok.0, 200, "{}", String::from_utf8_lossy(&json_ok.2));
    assert_eq!(http_ok.0, 200, "{}", String::from_utf8_lossy(&http_ok.2));
    assert_eq!(http_deeper.0, 400);
    let why = RpcStatus::decode(http_deeper.2.as_slice()).unwrap();
    assert!(
        why.message.contains("more than 1000 levels"),
        "{}",
        why.message
    );

    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let export = |body: Vec<u8>| {
        let channel = channel.clone();
        async move {
            let mut grpc = tonic::client::Grpc::new(channel)
                .max_encoding_message_size(coral_proto::MAX_MESSAGE_BYTES);
            grpc.ready().await.unwrap();
            grpc.unary(
                tonic::Request::new(body),
                http::uri::PathAndQuery::from_static(
                    "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
                ),
                RawCodec,
            )
            .await
        }
    };
    // A deep value decoded before a malformed field (a length past the end)
    // is dropped with the refused request, over gRPC and HTTP, and the
    // colony goes on serving (the export after it is stored).
    let mut broken = off_workers(1_000, "broken").await.unwrap();
    broken.extend_from_slice(&[0x0a, 0xff, 0x01]);
    let status = export(broken.clone()).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status}");
    let http_broken = tokio::task::spawn_blocking(move || {
        let proto = [("Content-Type", "application/x-protobuf")];
        http(addr, "POST", "/v1/traces", &proto, &broken)
    })
    .await
    .unwrap();
    assert_eq!(http_broken.0, 400);
    let answer = export(off_workers(1_000, "grpc").await.unwrap())
        .await
        .unwrap();
    assert!(
        answer.into_inner().is_empty(),
        "an empty ExportTraceServiceResponse"
    );
    let status = export(off_workers(1_001, "grpc2").await.unwrap())
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status}");
    assert!(
        status.message().contains("more than 1000 levels"),
        "{status}"
    );

    let stored = |name: &'static str| -> String {
        store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT CAST(attributes AS VARCHAR) FROM spans WHERE name = ?",
                    [name],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    };
    let json = stored("deep");
    assert_eq!(json.matches("\"k\"").count(), 999, "every level is kept");
    assert_eq!(stored("http"), json);
    assert_eq!(stored("grpc"), json);
    let spans: i64 = store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM spans", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(spans, 3, "the refused requests stored nothing");
}
