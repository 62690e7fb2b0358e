//! OTLP ingest: from a real OpenTelemetry SDK over gRPC, from OTLP/JSON
//! files, and refusal of bad input without losing what was stored.

mod common;

use std::time::Duration;

use common::{MS, now_ns, serve, server_span, traces};
use coral_colony::{ColonyConfig, ColonyError, Store, ingest, query};
use opentelemetry::trace::{Span as _, SpanKind, Tracer, TracerProvider as _};
use opentelemetry_otlp::WithExportConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_from_a_real_opentelemetry_sdk_become_queryable() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("colony.duckdb"), ColonyConfig::default()).unwrap();
    let addr = serve(store).await;
    let endpoint = format!("http://{addr}");
    tokio::task::spawn_blocking(move || {
        // The SDK's simple processor exports synchronously when a span ends;
        // tonic needs a runtime with worker threads to drive the connection.
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let _context = runtime.enter();
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .with_endpoint(endpoint)
            .build()
            .unwrap();
        let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
            .with_simple_exporter(exporter)
            .with_resource(
                opentelemetry_sdk::Resource::builder()
                    .with_service_name("otel-app")
                    .with_attributes([
                        opentelemetry::KeyValue::new("service.namespace", "sdk-test"),
                        opentelemetry::KeyValue::new("cloud.region", "local-1"),
                    ])
                    .build(),
            )
            .build();
        let tracer = provider.tracer("coral-test");
        for i in 0..5 {
            let mut span = tracer
                .span_builder(format!("GET /items/{i}"))
                .with_kind(SpanKind::Server)
                .with_attributes([opentelemetry::KeyValue::new(
                    "http.response.status_code",
                    if i == 4 { 500 } else { 200 },
                )])
                .start(&tracer);
            std::thread::sleep(Duration::from_millis(2));
            span.end();
        }
        provider.force_flush().unwrap();
        provider.shutdown().unwrap();
    })
    .await
    .unwrap();
    // Query it back through the same server's QueryService.
    let mut client = coral_proto::colony::v1::query_service_client::QueryServiceClient::connect(
        format!("http://{addr}"),
    )
    .await
    .unwrap();
    let service = client
        .get_service(coral_proto::colony::v1::GetServiceRequest {
            name: "otel-app".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .service
        .unwrap();
    assert_eq!(
        (service.namespace.as_str(), service.region.as_str()),
        ("sdk-test", "local-1")
    );
    let rate = client
        .get_error_rate(coral_proto::colony::v1::GetErrorRateRequest {
            service: "otel-app".into(),
            time_range_ms: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((rate.error_count, rate.total_count), (1, 5));
}

const OTLP_JSON: &str = r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}},{"key":"cloud.region","value":{"stringValue":"ap-south-1"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /a","kind":2,"startTimeUnixNano":"START","endTimeUnixNano":"END","attributes":[{"key":"http.response.status_code","value":{"intValue":"502"}}],"status":{}}]}]}]}
{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}}]},"scopeMetrics":[{"metrics":[{"name":"system.cpu.utilization","unit":"1","gauge":{"dataPoints":[{"timeUnixNano":"START","asDouble":0.25}]}}]}]}]}
"#;

fn otlp_json() -> String {
    let start = now_ns() - 60_000 * MS;
    OTLP_JSON
        .replace("START", &start.to_string())
        .replace("END", &(start + 250 * MS).to_string())
}

#[test]
fn otlp_json_files_are_ingested() {
    let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
    let counts = ingest::ingest_otlp_json(&store, "export.json", &otlp_json()).unwrap();
    assert_eq!((counts.spans, counts.metric_points), (1, 1));
    let window = query::Window::ending_at(store.now_us() * 1000, 0).unwrap();
    let rate = query::error_rate(&store, &store.local_call(), "json-svc", window).unwrap();
    assert_eq!(
        (rate.error_count, rate.total_count),
        (1, 1),
        "HTTP 502 is a failure"
    );
    let p = query::percentile(
        &store,
        &store.local_call(),
        &coral_proto::colony::v1::GetPercentileRequest {
            service: "json-svc".into(),
            percentile: 0.5,
            ..Default::default()
        },
        window,
    )
    .unwrap();
    assert_eq!(p.value, (250 * MS) as f64);
    let m = query::system_metrics(&store, &store.local_call(), "json-svc", window).unwrap();
    assert_eq!(m.cpu_percent, 25.0);
    let s = query::get_service(&store, &store.local_call(), "json-svc")
        .unwrap()
        .service
        .unwrap();
    assert_eq!(s.region, "ap-south-1");
}

fn span_count(store: &Store) -> i64 {
    let r = coral_colony::guard::execute(
        store,
        &store.local_call(),
        &coral_proto::colony::v1::ExecuteQueryRequest {
            sql: "SELECT count(*) FROM spans".into(),
            no_auto_limits: true,
            ..Default::default()
        },
    )
    .unwrap();
    match r.rows[0].values[0].kind {
        Some(coral_proto::colony::v1::value::Kind::IntValue(n)) => n,
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn files_nest_attributes_to_the_documented_depth() {
    let line = |levels: usize| {
        let value = common::nested_value(levels, "arrayValue");
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"deep"}}}},{{"key":"nested","value":{value}}}]}},"scopeSpans":[]}}]}}"#
        )
    };
    let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
    ingest::ingest_otlp_json(&store, "deep.json", &line(1_000)).unwrap();
    let err = ingest::ingest_otlp_json(&store, "deeper.json", &line(1_001))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "deeper.json:1: not OTLP/JSON: attribute values are nested more than 1000 levels deep"
        ),
        "{err}"
    );
}

#[test]
fn bad_input_is_refused_and_nothing_stored_is_lost() {
    let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
    ingest::ingest_traces(
        &store,
        &traces("good", "g-1", vec![server_span(1, MS, 10, 200, false)]),
    )
    .unwrap();
    assert_eq!(span_count(&store), 1);

    // A batch with one bad span among good ones is refused whole.
    let mut bad_id = server_span(3, MS, 10, 200, false);
    bad_id.trace_id = vec![1, 2, 3];
    let mut backwards = server_span(4, MS, 10, 200, false);
    backwards.end_time_unix_nano = backwards.start_time_unix_nano - 1;
    for (broken, needle) in [(bad_id, "trace_id"), (backwards, "ends before it starts")] {
        let batch = traces(
            "good",
            "g-1",
            vec![server_span(2, MS, 10, 200, false), broken],
        );
        let err = ingest::ingest_traces(&store, &batch).unwrap_err();
        assert!(
            matches!(&err, ColonyError::InvalidTelemetry(m) if m.contains(needle)),
            "{err}"
        );
        assert_eq!(span_count(&store), 1);
    }
    // A file whose second line is broken stores nothing, not even line one.
    let broken_file = format!(
        "{}{{\"resourceSpans\": [{{\"scopeSpans\": \"nope\"}}]}}\n",
        otlp_json()
    );
    let err = ingest::ingest_otlp_json(&store, "broken.json", &broken_file).unwrap_err();
    assert!(err.to_string().contains("broken.json:3"), "{err}");
    let err = ingest::ingest_otlp_json(&store, "garbage.json", "this is not json\n").unwrap_err();
    assert!(err.to_string().contains("garbage.json:1"), "{err}");
    assert_eq!(span_count(&store), 1);
}

/// A one-point histogram metric (explicit or exponential) for `svc`.
fn histogram_request(
    data: opentelemetry_proto::tonic::metrics::v1::metric::Data,
) -> opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest {
    use opentelemetry_proto::tonic::metrics::v1::{Metric, ResourceMetrics, ScopeMetrics};
    opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest {
        resource_metrics: vec![ResourceMetrics {
            resource: common::resource("hist", "h-1"),
            scope_metrics: vec![ScopeMetrics {
                metrics: vec![Metric {
                    name: "latency".into(),
                    unit: "ms".into(),
                    data: Some(data),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }],
    }
}

#[test]
fn histogram_points_breaking_the_data_model_are_refused_with_the_rule() {
    use opentelemetry_proto::tonic::metrics::v1::exponential_histogram_data_point::Buckets;
    use opentelemetry_proto::tonic::metrics::v1::{
        ExponentialHistogram, ExponentialHistogramDataPoint, Histogram, HistogramDataPoint,
        metric::Data,
    };
    let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
    let time = now_ns() as u64;
    let explicit = |bounds: Vec<f64>, counts: Vec<u64>, count, temporality| {
        Data::Histogram(Histogram {
            data_points: vec![HistogramDataPoint {
                time_unix_nano: time,
                count,
                explicit_bounds: bounds,
                bucket_counts: counts,
                ..Default::default()
            }],
            aggregation_temporality: temporality,
        })
    };
    let exponential = |scale, zero_count, positive: Vec<u64>, count| {
        Data::ExponentialHistogram(ExponentialHistogram {
            data_points: vec![ExponentialHistogramDataPoint {
                time_unix_nano: time + 1, // another point of the series (one time, one point)
                scale,
                zero_count,
                count,
                positive: Some(Buckets {
                    offset: -3,
                    bucket_counts: positive,
                }),
                ..Default::default()
            }],
            aggregation_temporality: 1,
        })
    };
    for (data, rule) in [
        (
            explicit(vec![1.0], vec![1, 1], 2, 0),
            "aggregation_temporality 0",
        ),
        (
            explicit(vec![1.0, 2.0], vec![1, 1], 2, 1),
            "2 bucket_counts for 2 explicit_bounds",
        ),
        (
            explicit(vec![2.0, 1.0], vec![1, 1, 0], 2, 1),
            "not strictly increasing",
        ),
        (
            explicit(vec![f64::NAN], vec![1, 1], 2, 1),
            "not a finite number",
        ),
        (
            explicit(vec![1.0], vec![1, 1], 3, 1),
            "add up to 2, but count is 3",
        ),
        (
            exponential(21, 0, vec![1], 1),
            "scale 21 is outside -10..=20",
        ),
        (
            exponential(3, 1, vec![1, 2], 3),
            "add up to 4, but count is 3",
        ),
    ] {
        let err = ingest::ingest_metrics(&store, &histogram_request(data)).unwrap_err();
        assert!(
            matches!(&err, ColonyError::InvalidTelemetry(m) if m.contains("metric \"latency\"") && m.contains(rule)),
            "{rule}: {err}"
        );
    }
    // Valid points are stored with their buckets.
    ingest::ingest_metrics(
        &store,
        &histogram_request(explicit(vec![1.0, 2.5], vec![1, 0, 2], 3, 2)),
    )
    .unwrap();
    ingest::ingest_metrics(&store, &histogram_request(exponential(3, 1, vec![1, 2], 4))).unwrap();
    let stored: (String, String, String, String) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT string_agg(CAST(bucket_bounds AS VARCHAR), ''), string_agg(CAST(bucket_counts AS VARCHAR), ''),
                        string_agg(temporality, ',' ORDER BY temporality),
                        string_agg(CAST(exponential.positive_counts AS VARCHAR) || '@' || exponential.positive_offset, '')
                 FROM metric_points WHERE metric_name = 'latency'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?)
        })
        .unwrap();
    assert_eq!(
        stored,
        (
            "[1.0, 2.5]".into(),
            "[1, 0, 2]".into(),
            "CUMULATIVE,DELTA".into(),
            "[1, 2]@-3".into()
        )
    );
}

#[test]
fn files_from_an_older_coral_gain_the_histogram_columns_when_opened_for_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.duckdb");
    drop(Store::open(&path, ColonyConfig::default()).unwrap());
    {
        // The metric_points of the first release: without the columns
        // added since, and one gauge point in it.
        let conn = duckdb::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP VIEW metric_deltas;
             ALTER TABLE metric_points DROP COLUMN exponential;
             ALTER TABLE metric_points DROP COLUMN bucket_counts;
             ALTER TABLE metric_points DROP COLUMN bucket_bounds;
             ALTER TABLE metric_points DROP COLUMN max;
             ALTER TABLE metric_points DROP COLUMN min;
             ALTER TABLE metric_points DROP COLUMN flags;
             ALTER TABLE metric_points DROP COLUMN is_monotonic;
             ALTER TABLE metric_points DROP COLUMN temporality;
             ALTER TABLE metric_points DROP COLUMN start_time_unix_nano;
             INSERT INTO metric_points VALUES ('old', 'i', 'h', 'cpu', '1', 'gauge', now()::TIMESTAMP, 1, 0.5, NULL, NULL, '{}');",
        )
        .unwrap();
    }
    let err = Store::open_read_only(&path, ColonyConfig::default()).unwrap_err();
    assert!(
        err.to_string().contains("written by an older coral"),
        "{err}"
    );
    let store = Store::open(&path, ColonyConfig::default()).unwrap();
    ingest::ingest_metrics(
        &store,
        &histogram_request(
            opentelemetry_proto::tonic::metrics::v1::metric::Data::Histogram(
                opentelemetry_proto::tonic::metrics::v1::Histogram {
                    data_points: vec![
                        opentelemetry_proto::tonic::metrics::v1::HistogramDataPoint {
                            time_unix_nano: now_ns() as u64,
                            count: 1,
                            explicit_bounds: vec![1.0],
                            bucket_counts: vec![1, 0],
                            ..Default::default()
                        },
                    ],
                    aggregation_temporality: 1,
                },
            ),
        ),
    )
    .unwrap();
    drop(store);
    let store = Store::open_read_only(&path, ColonyConfig::default()).unwrap();
    let kinds: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT string_agg(kind, ',' ORDER BY kind) FROM metric_points",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(kinds, "gauge,histogram");
}

#[test]
fn otlp_json_enum_names_and_non_finite_doubles_are_read_as_the_specification_writes_them() {
    let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
    let t = now_ns();
    // Enum names, as the Collector's reader accepts them, and a histogram
    // whose second point's sum is proto3 JSON's "NaN".
    let file = format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"named"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /","kind":"SPAN_KIND_SERVER","startTimeUnixNano":"{t}","endTimeUnixNano":"{t}","status":{{"code":"STATUS_CODE_ERROR"}}}}]}}]}}]}}
{{"resourceMetrics":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"named"}}}}]}},"scopeMetrics":[{{"metrics":[{{"name":"latency","unit":"ms","histogram":{{"aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","dataPoints":[
  {{"timeUnixNano":"{t}","count":"1","sum":1.5,"explicitBounds":[1,2],"bucketCounts":["0","1","0"]}},
  {{"timeUnixNano":"{t1}","count":"2","sum":"NaN","explicitBounds":[1,2],"bucketCounts":["0","2","0"]}},
  {{"timeUnixNano":"{t2}","count":"3","sum":"Infinity","min":"-Infinity","explicitBounds":[1,2],"bucketCounts":["0","3","0"]}}]}}}}]}}]}}]}}
"#,
        t1 = t + 1,
        t2 = t + 2
    )
    .replace("\n  ", "");
    let counts = ingest::ingest_otlp_json(&store, "named.json", &file).unwrap();
    assert_eq!((counts.spans, counts.metric_points), (1, 3));
    let stored: (String, String, bool, String, i64, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT s.kind, s.status_code, s.is_error,
                        (SELECT string_agg(DISTINCT temporality, ',') FROM metric_points),
                        (SELECT count(*) FROM metric_points WHERE sum IS NULL),
                        (SELECT count(*) FROM metric_points WHERE min IS NULL)
                 FROM spans s",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )?)
        })
        .unwrap();
    assert_eq!(
        stored,
        (
            "SERVER".into(),
            "ERROR".into(),
            true,
            "CUMULATIVE".into(),
            2,
            3
        )
    );
    // A metric whose data does not decode is refused, not dropped.
    let broken = file.replace(
        r#""explicitBounds":[1,2],"bucketCounts":["0","3","0"]"#,
        r#""explicitBounds":[1,"two"],"bucketCounts":["0","3","0"]"#,
    );
    let err = ingest::ingest_otlp_json(&store, "broken.json", &broken).unwrap_err();
    assert!(
        err.to_string().contains("broken.json:2") && err.to_string().contains("metric \"latency\""),
        "{err}"
    );
}

#[test]
fn processes_sharing_a_resource_stay_separate_series_and_huge_points_are_refused() {
    use opentelemetry_proto::tonic::metrics::v1::{Histogram, HistogramDataPoint, metric::Data};
    let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
    let now = now_ns();
    // Two workers without service.instance.id (one resource), cumulative,
    // their exports interleaved: A counts 10 then 20, B 5 then 6.
    let point = |start: i64, at: i64, count: u64, flags: u32| HistogramDataPoint {
        start_time_unix_nano: start as u64,
        time_unix_nano: (now - at * MS) as u64,
        count,
        explicit_bounds: vec![10.0],
        bucket_counts: vec![count, 0],
        flags,
        ..Default::default()
    };
    let points = vec![
        point(now - 100 * MS, 40, 10, 0),
        point(now - 90 * MS, 30, 5, 0),
        point(now - 100 * MS, 20, 20, 0),
        // Reserved flag bits are stored, not refused.
        point(now - 90 * MS, 10, 6, 1 << 31),
    ];
    let data = |points| {
        Data::Histogram(Histogram {
            data_points: points,
            aggregation_temporality: 2,
        })
    };
    ingest::ingest_metrics(&store, &histogram_request(data(points))).unwrap();
    let window = query::Window::ending_at(now, 0).unwrap();
    let req = coral_proto::colony::v1::GetPercentileRequest {
        service: "hist".into(),
        metric: "latency".into(),
        percentile: 0.5,
        time_range_ms: 0,
    };
    let answer = query::percentile(&store, &store.local_call(), &req, window).unwrap();
    assert_eq!(
        (answer.sample_count, answer.method.as_str()),
        (26, "buckets")
    );
    let counted: i64 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT sum(delta_count) FROM metric_deltas WHERE metric_name = 'latency'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(counted, 26);
    // More buckets than a point may have: refused with the limit.
    let mut huge = point(now, 1, 0, 0);
    huge.explicit_bounds = (0..ingest::MAX_BUCKETS).map(|i| i as f64).collect();
    huge.bucket_counts = vec![0; ingest::MAX_BUCKETS + 1];
    let err = ingest::ingest_metrics(&store, &histogram_request(data(vec![huge]))).unwrap_err();
    assert!(err.to_string().contains("more than the 16384"), "{err}");
}

/// A gauge point with attributes.
fn attributed_gauge(
    name: &str,
    time: i64,
    points: &[(&[(&str, &str)], f64)],
) -> opentelemetry_proto::tonic::metrics::v1::Metric {
    use opentelemetry_proto::tonic::metrics::v1::{
        Gauge, Metric, NumberDataPoint, metric, number_data_point,
    };
    Metric {
        name: name.into(),
        data: Some(metric::Data::Gauge(Gauge {
            data_points: points
                .iter()
                .map(|(attrs, v)| NumberDataPoint {
                    time_unix_nano: time as u64,
                    value: Some(number_data_point::Value::AsDouble(*v)),
                    attributes: attrs
                        .iter()
                        .map(|(k, v)| common::kv(k, common::s(v)))
                        .collect(),
                    ..Default::default()
                })
                .collect(),
        })),
        ..Default::default()
    }
}

#[test]
fn colony_semantics_follow_the_definitions_of_what_they_read() {
    use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
    use opentelemetry_proto::tonic::metrics::v1::{ResourceMetrics, ScopeMetrics};
    let now = now_ns();
    // A fixed clock years from now (2030-01-01), so a clock function left
    // unpinned cannot pass by chance.
    let fixed_us = 1_893_456_000_000_000;
    let store = Store::open_in_memory(ColonyConfig {
        fixed_now_us: Some(fixed_us),
        ..ColonyConfig::default()
    })
    .unwrap();
    // The hostmetrics receiver's shapes: CPU per (cpu, state), memory per
    // state. Busy = the non-idle shares over the CPUs: (0.3 + 0.4) / 2.
    let t = now - MS;
    let metrics = vec![
        attributed_gauge(
            "system.cpu.utilization",
            t,
            &[
                (&[("cpu", "cpu0"), ("state", "user")], 0.2),
                (&[("cpu", "cpu0"), ("state", "system")], 0.1),
                (&[("cpu", "cpu0"), ("state", "idle")], 0.7),
                (&[("cpu", "cpu1"), ("state", "user")], 0.3),
                (&[("cpu", "cpu1"), ("state", "system")], 0.1),
                (&[("cpu", "cpu1"), ("state", "idle")], 0.6),
            ],
        ),
        attributed_gauge(
            "system.memory.utilization",
            t,
            &[(&[("state", "used")], 0.4), (&[("state", "free")], 0.6)],
        ),
        attributed_gauge(
            "system.memory.usage",
            t,
            &[(&[("state", "used")], 4e9), (&[("state", "free")], 6e9)],
        ),
    ];
    let request = ExportMetricsServiceRequest {
        resource_metrics: vec![ResourceMetrics {
            resource: common::resource("host-svc", "h-1"),
            scope_metrics: vec![ScopeMetrics {
                metrics,
                ..Default::default()
            }],
            ..Default::default()
        }],
    };
    ingest::ingest_metrics(&store, &request).unwrap();
    let window = query::Window::ending_at(now, 0).unwrap();
    let host = query::system_metrics(&store, &store.local_call(), "host-svc", window).unwrap();
    assert_eq!(
        (host.cpu_percent, host.memory_percent, host.memory_bytes),
        (35.0, 40.0, 4_000_000_000)
    );

    // The root span names the trace even when a child started earlier
    // (clock skew between hosts).
    let mut root = server_span(7, 5 * MS, 10, 200, false);
    let mut child = server_span(8, 6 * MS, 2, 200, false);
    child.trace_id = root.trace_id.clone();
    child.parent_span_id = root.span_id.clone();
    child.name = "SELECT orders".into();
    root.name = "GET /orders".into();
    ingest::ingest_traces(&store, &traces("host-svc", "h-1", vec![child, root])).unwrap();
    // A later batch without namespace and region keeps the known ones.
    let mut bare = traces("host-svc", "h-1", vec![server_span(9, MS, 1, 200, false)]);
    bare.resource_spans[0]
        .resource
        .as_mut()
        .unwrap()
        .attributes
        .retain(|kv| kv.key == "service.name" || kv.key == "service.instance.id");
    ingest::ingest_traces(&store, &bare).unwrap();
    let (root_name, placed): (String, String) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT (SELECT root_span_name FROM trace_summary WHERE span_count = 2),
                        (SELECT string_agg(DISTINCT service_namespace || '/' || region, ',') FROM spans)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(root_name, "GET /orders");
    assert_eq!(placed, "shop/eu-west-1");

    // Every spelling of SQL's clock is pinned by the fixed time.
    let clocks: (i64, i64, i64, i64, i64, bool, bool) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT epoch_us(now()), epoch_us(current_timestamp), epoch_us(get_current_timestamp()),
                        epoch_us(transaction_timestamp()), epoch_us(current_localtimestamp()),
                        current_date = CAST(make_timestamp(?) AS DATE), today() = current_date",
                [fixed_us],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
            )?)
        })
        .unwrap();
    assert_eq!(
        clocks,
        (fixed_us, fixed_us, fixed_us, fixed_us, fixed_us, true, true)
    );
}

#[test]
fn retried_exports_are_stored_once() {
    let store = Store::open_in_memory(ColonyConfig::default()).unwrap();
    let failed = server_span(2, 2 * MS, 10, 500, false);
    // A Zipkin shared span: the CLIENT half of span 2, from another service.
    let mut client_half = failed.clone();
    client_half.kind = opentelemetry_proto::tonic::trace::v1::span::SpanKind::Client as i32;
    let batch = traces(
        "retry",
        "r-1",
        vec![
            server_span(1, 2 * MS, 10, 200, false),
            failed.clone(),
            // The same span twice in one request.
            failed,
        ],
    );
    let first = ingest::ingest_traces(&store, &batch).unwrap();
    assert_eq!((first.spans, first.duplicates_skipped), (2, 1));
    let again = ingest::ingest_traces(&store, &batch).unwrap();
    assert_eq!((again.spans, again.duplicates_skipped), (0, 3));
    assert_eq!(span_count(&store), 2);
    let shared = traces("retry-client", "c-1", vec![client_half]);
    assert_eq!(ingest::ingest_traces(&store, &shared).unwrap().spans, 1);
    assert_eq!(span_count(&store), 3);

    let t = now_ns();
    let gauge = common::gauge(
        "retry",
        "r-1",
        "queue.depth",
        "1",
        &[(t, 3.0), (t + 1, 4.0)],
    );
    assert_eq!(
        ingest::ingest_metrics(&store, &gauge)
            .unwrap()
            .metric_points,
        2
    );
    let again = ingest::ingest_metrics(&store, &gauge).unwrap();
    assert_eq!((again.metric_points, again.duplicates_skipped), (0, 2));
    // Another instance's point at the same time is its own record.
    let other = common::gauge("retry", "r-2", "queue.depth", "1", &[(t, 3.0)]);
    assert_eq!(
        ingest::ingest_metrics(&store, &other)
            .unwrap()
            .metric_points,
        1
    );
    let errors = query::error_rate(
        &store,
        &store.local_call(),
        "retry",
        query::Window::ending_at(t, 0).unwrap(),
    )
    .unwrap();
    assert_eq!((errors.error_count, errors.total_count), (1, 2));
}
