//! Every QueryService RPC against hand-computed values on the fixture data,
//! over gRPC and over Connect JSON, from a real server on 127.0.0.1.

mod common;

use common::{MS, connect_call, fixture_store, serve};
use coral_proto::colony::v1 as pb;
use coral_proto::colony::v1::query_service_client::QueryServiceClient;
use tonic::Code;

async fn client() -> (
    QueryServiceClient<tonic::transport::Channel>,
    std::net::SocketAddr,
) {
    let addr = serve(fixture_store()).await;
    let client = QueryServiceClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    (client, addr)
}

#[tokio::test]
async fn list_and_get_services() {
    let (mut c, _) = client().await;
    let all = c
        .list_services(pb::ListServicesRequest::default())
        .await
        .unwrap()
        .into_inner();
    let names: Vec<_> = all.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["checkout", "quiet"]);
    let checkout = &all.services[0];
    assert_eq!(
        (
            checkout.namespace.as_str(),
            checkout.region.as_str(),
            checkout.instance_count
        ),
        ("shop", "eu-west-1", 1)
    );
    assert!(checkout.last_seen.is_some());
    let none = c
        .list_services(pb::ListServicesRequest {
            namespace: "nope".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(none.services.is_empty());
    let got = c
        .get_service(pb::GetServiceRequest {
            name: "checkout".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(got.service.unwrap().name, "checkout");
    let missing = c
        .get_service(pb::GetServiceRequest {
            name: "ghost".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
}

fn percentile(p: f64, range_ms: i64) -> pb::GetPercentileRequest {
    pb::GetPercentileRequest {
        service: "checkout".into(),
        metric: "http.server.duration".into(),
        percentile: p,
        time_range_ms: range_ms,
    }
}

#[tokio::test]
async fn percentiles_interpolate_over_server_span_durations() {
    let (mut c, _) = client().await;
    // Durations 10..=100 ms: position (n-1)p between closest ranks.
    for (p, expected_ms) in [
        (0.5, 55.0),
        (0.9, 91.0),
        (0.99, 99.1),
        (0.0, 10.0),
        (1.0, 100.0),
    ] {
        let r = c
            .get_percentile(percentile(p, 0))
            .await
            .unwrap()
            .into_inner();
        assert!(
            (r.value - expected_ms * MS as f64).abs() < 1.0,
            "p{p}: {} vs {expected_ms} ms",
            r.value
        );
        assert_eq!((r.unit.as_str(), r.sample_count), ("nanoseconds", 10));
    }
    // Three hours reach the two old 5 s and 6 s spans: 12 samples, max 6 s.
    let wide = c
        .get_percentile(percentile(1.0, 3 * 3_600_000))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(wide.sample_count, 12);
    assert!((wide.value - 6000.0 * MS as f64).abs() < 1.0);
    // Another metric: the values of `queue.depth`, 4 and 8.
    let mut q = percentile(0.5, 0);
    q.metric = "queue.depth".into();
    let depth = c.get_percentile(q).await.unwrap().into_inner();
    assert_eq!(
        (depth.value, depth.unit.as_str(), depth.sample_count),
        (6.0, "{items}", 2)
    );
}

#[tokio::test]
async fn percentile_errors_and_empty_windows() {
    let (mut c, _) = client().await;
    assert_eq!(
        c.get_percentile(percentile(99.0, 0))
            .await
            .unwrap_err()
            .code(),
        Code::InvalidArgument
    );
    assert_eq!(
        c.get_percentile(percentile(0.5, -5))
            .await
            .unwrap_err()
            .code(),
        Code::InvalidArgument
    );
    let mut ghost = percentile(0.5, 0);
    ghost.service = "ghost".into();
    assert_eq!(
        c.get_percentile(ghost).await.unwrap_err().code(),
        Code::NotFound
    );
    let mut unknown_metric = percentile(0.5, 0);
    unknown_metric.metric = "no.such.metric".into();
    assert_eq!(
        c.get_percentile(unknown_metric).await.unwrap_err().code(),
        Code::NotFound
    );
    // `quiet` has data, but not in the last hour: an empty answer.
    let mut quiet = percentile(0.5, 0);
    quiet.service = "quiet".into();
    let empty = c.get_percentile(quiet).await.unwrap().into_inner();
    assert_eq!((empty.value, empty.sample_count), (0.0, 0));
}

#[tokio::test]
async fn error_rate_counts_error_status_and_5xx_only() {
    let (mut c, _) = client().await;
    let r = c
        .get_error_rate(pb::GetErrorRateRequest {
            service: "checkout".into(),
            time_range_ms: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((r.error_count, r.total_count), (3, 10));
    assert!((r.rate - 0.3).abs() < 1e-12);
    let wide = c
        .get_error_rate(pb::GetErrorRateRequest {
            service: "checkout".into(),
            time_range_ms: 3 * 3_600_000,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((wide.error_count, wide.total_count), (4, 12));
    let quiet = c
        .get_error_rate(pb::GetErrorRateRequest {
            service: "quiet".into(),
            time_range_ms: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((quiet.rate, quiet.total_count), (0.0, 0));
}

fn trace_id(n: u64) -> String {
    format!("{:016x}{}", n + 1, "0".repeat(16))
}

#[tokio::test]
async fn slow_and_error_traces() {
    let (mut c, _) = client().await;
    let slow = c
        .find_slow_traces(pb::FindSlowTracesRequest {
            service: "checkout".into(),
            min_duration_ns: 75 * MS,
            time_range_ms: 0,
            limit: 2,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(slow.total_count, 3);
    let got: Vec<_> = slow
        .traces
        .iter()
        .map(|t| (t.trace_id.clone(), t.duration_ns))
        .collect();
    assert_eq!(got, [(trace_id(9), 100 * MS), (trace_id(8), 90 * MS)]);
    assert_eq!(slow.traces[0].http_status_code, 503);
    assert!(slow.traces[0].error);

    let errors = c
        .find_error_traces(pb::FindErrorTracesRequest {
            service: "checkout".into(),
            time_range_ms: 0,
            limit: 0,
        })
        .await
        .unwrap()
        .into_inner();
    let ids: Vec<_> = errors.traces.iter().map(|t| t.trace_id.clone()).collect();
    assert_eq!(ids, [trace_id(3), trace_id(5), trace_id(9)], "newest first");
    assert_eq!(errors.total_count, 3);
    assert_eq!(errors.traces[0].status_message, "boom");
    let bad = c
        .find_slow_traces(pb::FindSlowTracesRequest {
            service: "checkout".into(),
            limit: 100_000,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn system_metrics_average_the_window() {
    let (mut c, _) = client().await;
    let m = c
        .get_system_metrics(pb::GetSystemMetricsRequest {
            service: "checkout".into(),
            time_range_ms: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert!((m.cpu_percent - 30.0).abs() < 1e-9, "{}", m.cpu_percent);
    assert!((m.memory_percent - 50.0).abs() < 1e-9);
    assert_eq!(m.sample_count, 2);
    assert!(m.last_sample.is_some());
    let ghost = c
        .get_system_metrics(pb::GetSystemMetricsRequest {
            service: "ghost".into(),
            time_range_ms: 0,
        })
        .await
        .unwrap_err();
    assert_eq!(ghost.code(), Code::NotFound);
}

#[tokio::test]
async fn execute_query_returns_typed_rows() {
    let (mut c, _) = client().await;
    let r = c
        .execute_query(pb::ExecuteQueryRequest {
            sql: "SELECT service_name, count(*) AS n, max(duration_ns) AS slowest, bool_or(is_error) AS any_error,
                         min(\"timestamp\") AS first, NULL AS nothing, 12345678901234567890::UBIGINT AS big
                  FROM spans WHERE kind = 'SERVER' GROUP BY service_name ORDER BY service_name"
                .into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let names: Vec<_> = r
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.r#type.as_str()))
        .collect();
    assert_eq!(names[0], ("service_name", "VARCHAR"));
    assert_eq!(names[1], ("n", "BIGINT"));
    // One hour by default: `quiet` (3 h old) is filtered out.
    assert_eq!(r.row_count, 1);
    use pb::value::Kind;
    let row = &r.rows[0].values;
    assert_eq!(row[0].kind, Some(Kind::StringValue("checkout".into())));
    assert_eq!(row[1].kind, Some(Kind::IntValue(10)));
    assert_eq!(row[2].kind, Some(Kind::IntValue(100 * MS)));
    assert_eq!(row[3].kind, Some(Kind::BoolValue(true)));
    assert!(matches!(row[4].kind, Some(Kind::TimestampMicros(_))));
    assert_eq!(row[5].kind, Some(Kind::NullValue(true)));
    assert_eq!(
        row[6].kind,
        Some(Kind::BigIntValue("12345678901234567890".into()))
    );
    assert!(!r.truncated);
}

#[tokio::test]
async fn connect_json_serves_every_method_with_protojson_names() {
    let (_, addr) = client().await;
    let (status, body) = connect_call(addr, "ListServices", "{}").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["services"][0]["name"], "checkout");
    assert_eq!(body["services"][0]["instanceCount"], 1);
    let (status, body) = connect_call(addr, "GetService", r#"{"name":"checkout"}"#).await;
    assert_eq!(
        (status, body["service"]["region"].as_str()),
        (200, Some("eu-west-1"))
    );
    let (_, body) = connect_call(
        addr,
        "GetPercentile",
        r#"{"service":"checkout","percentile":0.5}"#,
    )
    .await;
    assert!(
        (body["value"].as_f64().unwrap() - 55.0 * MS as f64).abs() < 1.0,
        "{body}"
    );
    assert_eq!(body["sampleCount"], "10", "protojson int64 is a string");
    let (_, body) = connect_call(addr, "GetErrorRate", r#"{"service":"checkout"}"#).await;
    assert_eq!(
        (body["errorCount"].as_str(), body["totalCount"].as_str()),
        (Some("3"), Some("10"))
    );
    let (_, body) = connect_call(
        addr,
        "FindSlowTraces",
        r#"{"service":"checkout","minDurationNs":"75000000","limit":2}"#,
    )
    .await;
    assert_eq!(body["totalCount"], "3");
    assert_eq!(body["traces"][0]["traceId"], trace_id(9));
    let (_, body) = connect_call(addr, "FindErrorTraces", r#"{"service":"checkout"}"#).await;
    assert_eq!(body["traces"].as_array().unwrap().len(), 3);
    let (_, body) = connect_call(addr, "GetSystemMetrics", r#"{"service":"checkout"}"#).await;
    assert_eq!(body["cpuPercent"], 30.0);
    let (_, body) =
        connect_call(addr, "ExecuteQuery", r#"{"sql":"SELECT 41 + 1 AS answer"}"#).await;
    assert_eq!(body["rows"][0]["values"][0]["intValue"], "42");

    // Errors are Connect errors.
    let (status, body) = connect_call(addr, "GetService", r#"{"name":"ghost"}"#).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, body) = connect_call(addr, "ExecuteQuery", r#"{"sql":"DROP TABLE spans"}"#).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("failed_precondition"))
    );
    let (status, body) = connect_call(addr, "GetPercentile", "not json").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_argument"))
    );
    let (status, body) = connect_call(addr, "NoSuchMethod", "{}").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (501, Some("unimplemented"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_clients_all_get_answers() {
    let (c, _) = client().await;
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let mut c = c.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    c.get_percentile(percentile(0.5, 0))
                        .await
                        .unwrap()
                        .into_inner()
                        .sample_count
                } else {
                    let r = c
                        .execute_query(pb::ExecuteQueryRequest {
                            sql: "SELECT count(*) FROM spans".into(),
                            ..Default::default()
                        })
                        .await
                        .unwrap()
                        .into_inner();
                    match r.rows[0].values[0].kind {
                        Some(pb::value::Kind::IntValue(n)) => n,
                        _ => -1,
                    }
                }
            })
        })
        .collect();
    for (i, t) in tasks.into_iter().enumerate() {
        let n = t.await.unwrap();
        // 10 server spans; 11 spans of any kind in the last hour.
        assert_eq!(n, if i % 2 == 0 { 10 } else { 11 });
    }
}

#[tokio::test]
async fn health_and_reflection_are_served() {
    let (_, addr) = client().await;
    assert_eq!(
        common::health(addr, "coral.colony.v1.QueryService").await,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
}
