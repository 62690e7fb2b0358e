//! OTLP ingest: protobuf (what gRPC and HTTP/protobuf carry), JSON lines
//! (HTTP/JSON and files) and compressed files.
//!
//! Inputs are raw bytes in each encoding, or export requests built from
//! the input (resources with and without `service.name`, ids of every
//! length, enum values outside their range, times at the edges, nested
//! attribute values, every metric kind with non-finite doubles and bucket
//! counts that do not match their bounds) and then encoded. Properties:
//! decoding answers with a request or a typed error; ingest stores every
//! record it reports and nothing when it refuses (the span and point counts
//! move by exactly what
//! [`IngestCounts`](coral_colony::ingest::IngestCounts) says, or not at all); never a
//! panic.

use std::sync::OnceLock;

use arbitrary::Unstructured;
use coral_colony::ingest;
use coral_colony::otlp_proto::Export;
use coral_colony::{ColonyConfig, ColonyError, Store, otlp_file};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{
    AnyValue, ArrayValue, InstrumentationScope, KeyValue, KeyValueList, any_value,
};
use opentelemetry_proto::tonic::metrics::v1::{
    Gauge, Histogram, HistogramDataPoint, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics,
    Sum, Summary, SummaryDataPoint, metric, number_data_point, summary_data_point,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span, Status};
use prost::Message;

use crate::pick;
use crate::sql::ANCHOR_US;

/// Deepest attribute value built (the colony takes 1,000; deeper inputs
/// come from the seeds and the fuzzer).
const MAX_DEPTH: usize = 40;

/// Attribute keys the colony reads.
const KEYS: &[&str] = &[
    "service.name",
    "service.namespace",
    "service.instance.id",
    "host.name",
    "cloud.region",
    "http.route",
    "http.request.method",
    "http.response.status_code",
    "state",
    "cpu",
    "device",
    "",
    "x",
];

/// Checks one input (see the module docs).
pub fn check(data: &[u8]) {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let store = store();
    let before = counts(store);
    let stored = match kind % 8 {
        0 => ExportTraceServiceRequest::decode_otlp(rest)
            .ok()
            .map(|r| ingest::ingest_traces(store, &r)),
        1 => ExportMetricsServiceRequest::decode_otlp(rest)
            .ok()
            .map(|r| ingest::ingest_metrics(store, &r)),
        2 => Some(ingest::ingest_otlp_json(
            store,
            "fuzz.json",
            &String::from_utf8_lossy(rest),
        )),
        3 => Some(
            otlp_file::decode("fuzz.json", rest.to_vec())
                .and_then(|text| ingest::ingest_otlp_json(store, "fuzz.json", &text)),
        ),
        4 => {
            let bytes = traces(&mut Unstructured::new(rest)).encode_to_vec();
            let request =
                ExportTraceServiceRequest::decode_otlp(&bytes).expect("an encoded request decodes");
            Some(ingest::ingest_traces(store, &request))
        }
        5 => {
            let bytes = metrics(&mut Unstructured::new(rest)).encode_to_vec();
            let request = ExportMetricsServiceRequest::decode_otlp(&bytes)
                .expect("an encoded request decodes");
            Some(ingest::ingest_metrics(store, &request))
        }
        6 => {
            let mut u = Unstructured::new(rest);
            let line = if u.arbitrary().unwrap_or(false) {
                serde_json::to_string(&traces(&mut u))
            } else {
                serde_json::to_string(&metrics(&mut u))
            }
            .expect("a request serialises");
            Some(ingest::ingest_otlp_json(store, "fuzz.json", &line))
        }
        _ => {
            if let Ok(request) = ExportLogsServiceRequest::decode_otlp(rest) {
                ingest::reject_logs(&request);
            }
            None
        }
    };
    let after = counts(store);
    match stored {
        Some(Ok(c)) => assert_eq!(
            (after.0 - before.0, after.1 - before.1),
            (c.spans, c.metric_points),
            "ingest reported {c:?}"
        ),
        Some(Err(e)) => assert_eq!(after, before, "refused ({e}) but stored"),
        None => assert_eq!(after, before, "nothing was ingested but rows appeared"),
    }
}

/// Spans and metric points stored so far.
fn counts(store: &Store) -> (usize, usize) {
    store
        .read(|conn| {
            let count = |table: &str| {
                conn.query_row(&format!("SELECT count(*) FROM main.{table}"), [], |r| {
                    r.get::<_, i64>(0)
                })
            };
            Ok::<_, ColonyError>((count("spans")? as usize, count("metric_points")? as usize))
        })
        .expect("the colony counts its rows")
}

/// The colony every input is ingested into.
fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        Store::open_in_memory(ColonyConfig {
            readers: 1,
            threads: 1,
            memory_limit: "512MB".into(),
            fixed_now_us: Some(ANCHOR_US),
            ..ColonyConfig::default()
        })
        .expect("an in-memory colony")
    })
}

/// Up to `most` values from `make`.
fn some<T>(
    u: &mut Unstructured<'_>,
    most: usize,
    make: impl Fn(&mut Unstructured<'_>) -> T,
) -> Vec<T> {
    (0..u.int_in_range(0..=most).unwrap_or(0))
        .map(|_| make(u))
        .collect()
}

/// A time in ns: near the colony's clock, or anything.
fn time(u: &mut Unstructured<'_>) -> u64 {
    let near = (ANCHOR_US as u64) * 1000;
    match u.int_in_range(0..=7u8).unwrap_or(0) {
        0 => 0,
        1 => u.arbitrary().unwrap_or(u64::MAX),
        _ => near - u.int_in_range(0..=3_600_000_000_000u64).unwrap_or(0),
    }
}

/// Bytes of a usual length `usual`, or any length.
fn id(u: &mut Unstructured<'_>, usual: usize) -> Vec<u8> {
    let len = if u.ratio(7, 8).unwrap_or(true) {
        usual
    } else {
        u.int_in_range(0..=20).unwrap_or(0)
    };
    (0..len).map(|_| u.arbitrary().unwrap_or(0)).collect()
}

fn double(u: &mut Unstructured<'_>) -> f64 {
    match u.int_in_range(0..=5u8).unwrap_or(0) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => f64::NEG_INFINITY,
        3 => -0.0,
        _ => u.arbitrary().unwrap_or(0.0),
    }
}

fn attributes(u: &mut Unstructured<'_>) -> Vec<KeyValue> {
    some(u, 4, |u| KeyValue {
        key: pick(u, KEYS).to_owned(),
        value: u.ratio(7, 8).unwrap_or(true).then(|| any(u, 0)),
        ..KeyValue::default()
    })
}

fn any(u: &mut Unstructured<'_>, depth: usize) -> AnyValue {
    use any_value::Value as V;
    let value = match u.int_in_range(0..=7u8).unwrap_or(0) {
        _ if depth >= MAX_DEPTH => V::StringValue(String::new()),
        0 => V::StringValue(u.arbitrary().unwrap_or_default()),
        1 => V::BoolValue(u.arbitrary().unwrap_or(false)),
        2 => V::IntValue(u.arbitrary().unwrap_or(0)),
        3 => V::DoubleValue(double(u)),
        4 => V::BytesValue(u.arbitrary().unwrap_or_default()),
        5 => V::ArrayValue(ArrayValue {
            values: some(u, 3, |u| any(u, depth + 1)),
        }),
        6 => V::KvlistValue(KeyValueList {
            values: some(u, 3, |u| KeyValue {
                key: pick(u, KEYS).to_owned(),
                value: Some(any(u, depth + 1)),
                ..KeyValue::default()
            }),
        }),
        _ => return AnyValue { value: None },
    };
    AnyValue { value: Some(value) }
}

fn resource(u: &mut Unstructured<'_>) -> Option<Resource> {
    u.ratio(7, 8).unwrap_or(true).then(|| {
        let mut attributes = attributes(u);
        if u.ratio(3, 4).unwrap_or(true) {
            attributes.push(KeyValue {
                key: "service.name".into(),
                value: Some(AnyValue {
                    value: Some(any_value::Value::StringValue(
                        pick(u, &["api", "checkout", "", "ünï"]).to_owned(),
                    )),
                }),
                ..KeyValue::default()
            });
        }
        Resource {
            attributes,
            ..Resource::default()
        }
    })
}

fn scope(u: &mut Unstructured<'_>) -> Option<InstrumentationScope> {
    u.arbitrary::<bool>()
        .unwrap_or(false)
        .then(|| InstrumentationScope {
            name: u.arbitrary().unwrap_or_default(),
            version: u.arbitrary().unwrap_or_default(),
            attributes: attributes(u),
            ..InstrumentationScope::default()
        })
}

/// A trace export request built from `u`.
fn traces(u: &mut Unstructured<'_>) -> ExportTraceServiceRequest {
    ExportTraceServiceRequest {
        resource_spans: some(u, 3, |u| ResourceSpans {
            resource: resource(u),
            scope_spans: some(u, 2, |u| ScopeSpans {
                scope: scope(u),
                spans: some(u, 6, span),
                ..ScopeSpans::default()
            }),
            ..ResourceSpans::default()
        }),
    }
}

fn span(u: &mut Unstructured<'_>) -> Span {
    let start = time(u);
    let end = if u.ratio(7, 8).unwrap_or(true) {
        start.saturating_add(u.int_in_range(0..=5_000_000_000u64).unwrap_or(0))
    } else {
        time(u)
    };
    Span {
        trace_id: id(u, 16),
        span_id: id(u, 8),
        parent_span_id: if u.arbitrary().unwrap_or(false) {
            id(u, 8)
        } else {
            Vec::new()
        },
        name: pick(u, &["GET /", "SELECT", "", "x"]).to_owned(),
        kind: u.int_in_range(-1..=6).unwrap_or(0),
        start_time_unix_nano: start,
        end_time_unix_nano: end,
        attributes: attributes(u),
        status: u.arbitrary::<bool>().unwrap_or(false).then(|| Status {
            code: u.int_in_range(-1..=3).unwrap_or(0),
            message: u.arbitrary().unwrap_or_default(),
        }),
        ..Span::default()
    }
}

/// A metrics export request built from `u`.
fn metrics(u: &mut Unstructured<'_>) -> ExportMetricsServiceRequest {
    ExportMetricsServiceRequest {
        resource_metrics: some(u, 3, |u| ResourceMetrics {
            resource: resource(u),
            scope_metrics: some(u, 2, |u| ScopeMetrics {
                scope: scope(u),
                metrics: some(u, 4, metric),
                ..ScopeMetrics::default()
            }),
            ..ResourceMetrics::default()
        }),
    }
}

fn metric(u: &mut Unstructured<'_>) -> Metric {
    let temporality = u.int_in_range(-1..=3).unwrap_or(0);
    let data = match u.int_in_range(0..=4u8).unwrap_or(0) {
        0 => Some(metric::Data::Gauge(Gauge {
            data_points: some(u, 4, number),
        })),
        1 => Some(metric::Data::Sum(Sum {
            data_points: some(u, 4, number),
            aggregation_temporality: temporality,
            is_monotonic: u.arbitrary().unwrap_or(false),
        })),
        2 => Some(metric::Data::Histogram(Histogram {
            data_points: some(u, 3, histogram),
            aggregation_temporality: temporality,
        })),
        3 => Some(metric::Data::Summary(Summary {
            data_points: some(u, 3, |u| SummaryDataPoint {
                attributes: attributes(u),
                start_time_unix_nano: time(u),
                time_unix_nano: time(u),
                count: u.arbitrary().unwrap_or(0),
                sum: double(u),
                quantile_values: some(u, 3, |u| summary_data_point::ValueAtQuantile {
                    quantile: double(u),
                    value: double(u),
                }),
                ..SummaryDataPoint::default()
            }),
        })),
        _ => None,
    };
    Metric {
        name: pick(
            u,
            &[
                "system.cpu.utilization",
                "system.memory.utilization",
                "system.memory.usage",
                "http.server.request.duration",
                "",
                "x",
            ],
        )
        .to_owned(),
        unit: pick(u, &["s", "ms", "By", "1", ""]).to_owned(),
        data,
        ..Metric::default()
    }
}

fn number(u: &mut Unstructured<'_>) -> NumberDataPoint {
    NumberDataPoint {
        attributes: attributes(u),
        start_time_unix_nano: time(u),
        time_unix_nano: time(u),
        value: match u.int_in_range(0..=2u8).unwrap_or(0) {
            0 => Some(number_data_point::Value::AsDouble(double(u))),
            1 => Some(number_data_point::Value::AsInt(u.arbitrary().unwrap_or(0))),
            _ => None,
        },
        ..NumberDataPoint::default()
    }
}

fn histogram(u: &mut Unstructured<'_>) -> HistogramDataPoint {
    let bounds = some(u, 6, double);
    let buckets = if u.ratio(3, 4).unwrap_or(true) {
        (0..=bounds.len())
            .map(|_| u.int_in_range(0..=100u64).unwrap_or(0))
            .collect()
    } else {
        some(u, 8, |u| u.arbitrary().unwrap_or(0))
    };
    HistogramDataPoint {
        attributes: attributes(u),
        start_time_unix_nano: time(u),
        time_unix_nano: time(u),
        count: u.arbitrary().unwrap_or(0),
        sum: u.arbitrary::<bool>().unwrap_or(false).then(|| double(u)),
        bucket_counts: buckets,
        explicit_bounds: bounds,
        min: u.arbitrary::<bool>().unwrap_or(false).then(|| double(u)),
        max: u.arbitrary::<bool>().unwrap_or(false).then(|| double(u)),
        ..HistogramDataPoint::default()
    }
}
