//! Fixture data with hand-computable answers, and a real server on loopback.

#![allow(dead_code)] // each test binary uses a subset

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use coral_colony::{ColonyConfig, Store, ingest};
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::metrics::v1::{
    Gauge, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics, metric, number_data_point,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{
    ResourceSpans, ScopeSpans, Span, Status, span, status,
};

pub const MS: i64 = 1_000_000;

pub fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64
}

pub fn kv(key: &str, value: any_value::Value) -> KeyValue {
    KeyValue {
        key: key.into(),
        value: Some(AnyValue { value: Some(value) }),
        ..Default::default()
    }
}

pub fn s(v: &str) -> any_value::Value {
    any_value::Value::StringValue(v.into())
}

pub fn resource(service: &str, instance: &str) -> Option<Resource> {
    Some(Resource {
        attributes: vec![
            kv("service.name", s(service)),
            kv("service.namespace", s("shop")),
            kv("cloud.region", s("eu-west-1")),
            kv("service.instance.id", s(instance)),
            kv("host.name", s(&format!("{instance}.local"))),
        ],
        ..Default::default()
    })
}

/// One SERVER span, `ago_ns` before now, lasting `duration_ms`.
pub fn server_span(
    n: u64,
    ago_ns: i64,
    duration_ms: i64,
    http_status: i64,
    error_status: bool,
) -> Span {
    let start = (now_ns() - ago_ns) as u64;
    let mut trace_id = vec![0u8; 16];
    trace_id[..8].copy_from_slice(&(n + 1).to_be_bytes());
    Span {
        trace_id,
        span_id: (n + 1).to_be_bytes().to_vec(),
        name: format!("GET /orders/{n}"),
        kind: span::SpanKind::Server as i32,
        start_time_unix_nano: start,
        end_time_unix_nano: start + (duration_ms * MS) as u64,
        attributes: vec![
            kv("http.request.method", s("GET")),
            kv("http.route", s("/orders/{id}")),
            kv(
                "http.response.status_code",
                any_value::Value::IntValue(http_status),
            ),
        ],
        status: Some(Status {
            code: if error_status {
                status::StatusCode::Error
            } else {
                status::StatusCode::Ok
            } as i32,
            message: if error_status {
                "boom".into()
            } else {
                String::new()
            },
        }),
        ..Default::default()
    }
}

pub fn traces(service: &str, instance: &str, spans: Vec<Span>) -> ExportTraceServiceRequest {
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: resource(service, instance),
            scope_spans: vec![ScopeSpans {
                spans,
                ..Default::default()
            }],
            ..Default::default()
        }],
    }
}

/// A gauge with points at absolute times (Unix ns).
pub fn gauge(
    service: &str,
    instance: &str,
    name: &str,
    unit: &str,
    points: &[(i64, f64)],
) -> ExportMetricsServiceRequest {
    ExportMetricsServiceRequest {
        resource_metrics: vec![ResourceMetrics {
            resource: resource(service, instance),
            scope_metrics: vec![ScopeMetrics {
                metrics: vec![Metric {
                    name: name.into(),
                    unit: unit.into(),
                    data: Some(metric::Data::Gauge(Gauge {
                        data_points: points
                            .iter()
                            .map(|(at, v)| NumberDataPoint {
                                time_unix_nano: *at as u64,
                                value: Some(number_data_point::Value::AsDouble(*v)),
                                ..Default::default()
                            })
                            .collect(),
                    })),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }],
    }
}

/// `checkout`: ten SERVER spans of 10, 20, …, 100 ms in the last ten
/// minutes. Failures: #3 (status ERROR), #5 (HTTP 500), #9 (HTTP 503); #7 is
/// an HTTP 404, which is not a failure. Two more spans two hours ago (outside
/// the default window), an INTERNAL span (not a request), and host metrics.
/// `quiet`: a service with only old data.
pub fn fixture_store() -> Store {
    let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
    let mut spans: Vec<Span> = (0..10)
        .map(|i| {
            let http = match i {
                5 => 500,
                9 => 503,
                7 => 404,
                _ => 200,
            };
            server_span(
                i,
                (i as i64 + 1) * 60_000 * MS,
                (i as i64 + 1) * 10,
                http,
                i == 3,
            )
        })
        .collect();
    spans.push(server_span(100, 2 * 3_600_000 * MS, 5000, 200, false));
    spans.push(server_span(101, 2 * 3_600_000 * MS, 6000, 500, false));
    let mut internal = server_span(102, 60_000 * MS, 9000, 200, true);
    internal.kind = span::SpanKind::Internal as i32;
    spans.push(internal);
    ingest::ingest_traces(&store, &traces("checkout", "checkout-1", spans)).unwrap();
    ingest::ingest_traces(
        &store,
        &traces(
            "quiet",
            "quiet-1",
            vec![server_span(200, 3 * 3_600_000 * MS, 50, 200, false)],
        ),
    )
    .unwrap();
    let (t1, t2) = (now_ns() - 60_000 * MS, now_ns() - 120_000 * MS);
    for (name, unit, values) in [
        ("system.cpu.utilization", "1", [0.2, 0.4]),
        ("system.memory.utilization", "1", [0.5, 0.5]),
        ("queue.depth", "{items}", [4.0, 8.0]),
    ] {
        let points = [(t1, values[0]), (t2, values[1])];
        ingest::ingest_metrics(
            &store,
            &gauge("checkout", "checkout-1", name, unit, &points),
        )
        .unwrap();
    }
    store
}

/// Serves `store` on an ephemeral loopback port.
pub async fn serve(store: impl Into<Arc<Store>>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(coral_colony::server::serve(listener, store.into()));
    addr
}

/// `grpc.health.v1.Health/Check` of `service` ("" for the server) on a
/// connection of its own: the serving status.
pub async fn health(addr: SocketAddr, service: &str) -> i32 {
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    tonic_health::pb::health_client::HealthClient::new(channel)
        .check(tonic_health::pb::HealthCheckRequest {
            service: service.into(),
        })
        .await
        .unwrap()
        .into_inner()
        .status
}

/// An OTLP/JSON attribute value holding `"leaf"` nested `levels` deep
/// through `kind` (`"kvlistValue"` or `"arrayValue"`).
pub fn nested_value(levels: usize, kind: &str) -> String {
    let mut value = r#"{"stringValue":"leaf"}"#.to_string();
    for _ in 1..levels {
        value = if kind == "kvlistValue" {
            format!(r#"{{"kvlistValue":{{"values":[{{"key":"k","value":{value}}}]}}}}"#)
        } else {
            format!(r#"{{"{kind}":{{"values":[{value}]}}}}"#)
        };
    }
    value
}

/// A Connect unary call over plain HTTP/1.1: (status, JSON body).
pub async fn connect_call(addr: SocketAddr, method: &str, body: &str) -> (u16, serde_json::Value) {
    connect_call_with(addr, method, body, "").await
}

/// [`connect_call`] with extra header lines (each ending in `\r\n`).
pub async fn connect_call_with(
    addr: SocketAddr,
    method: &str,
    body: &str,
    headers: &str,
) -> (u16, serde_json::Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /coral.colony.v1.QueryService/{method} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8(response).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (
        status,
        serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)),
    )
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}
