//! Writes the seed corpora in `fuzz/corpus/` (run from the repository root:
//! `cargo run --release -p coral-fuzz --example seeds`). Seeds come from the
//! existing tests (`tests/spec/*.ts`, `tests/fixtures/export.json`, the
//! attack lists of `colony/tests/guardrails.rs` and `docs/security.md`)
//! and from requests built here (deeply nested protobuf, compressed files).
//! Crashes found by fuzzing are added to the corpus by hand, named after
//! what they found.

use std::io::Write;
use std::path::{Path, PathBuf};

use coral_fuzz::{compiler, connect, sql};
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, ArrayValue, KeyValue, any_value};
use opentelemetry_proto::tonic::metrics::v1::{
    Histogram, HistogramDataPoint, Metric, ResourceMetrics, ScopeMetrics, metric,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span};
use prost::Message;

/// Statements the guard must refuse, and some it must accept.
const SQL: &[&str] = &[
    "COPY spans TO '/tmp/stolen.csv'",
    "ATTACH '/tmp/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "PRAGMA enable_profiling",
    "SELECT 1; DROP TABLE spans",
    "SELECT * FROM read_csv('CANARY_PATH')",
    "SELECT * FROM read_text('CANARY_PATH')",
    "SELECT * FROM 'CANARY_PATH'",
    "SELECT * FROM glob('/etc/*')",
    "SELECT getenv('HOME')",
    "SELECT * FROM read_csv('https://example.com/x.csv')",
    "SELECT * FROM query('DROP TABLE spans')",
    "SELECT 1 /* unterminated",
    "SELECT * FROM enable_profiling(save_location := '/tmp/x.duckdb')",
    "SELECT * FROM checkpoint()",
    "SELECT * FROM query_table('spans')",
    "SELECT * FROM range(3) WHERE range IN (SELECT 1 FROM enable_profiling())",
    "SELECT levenshtein(repeat('a', 60000), repeat('b', 60000))",
    "SELECT list_transform(['a'], x -> damerau_levenshtein(x, 'b'))",
    "SELECT system.main.levenshtein('a', 'b')",
    "SELECT repeat('a', 100000) LIKE '%_%_b'",
    "SELECT count(*) FROM memory.main.service_summary",
    "SELECT current_setting('memory_limit')",
    "SELECT * FROM duckdb_settings()",
    "WITH t AS (SELECT 1) SELECT * FROM t",
    "FROM spans SELECT count(*)",
    "SELECT service_name, count(*) FROM spans GROUP BY ALL ORDER BY 2 DESC",
    "SELECT [repeat('x', 1000)] AS l, {'a': 1} AS s, map(['k'], ['v']) AS m",
    "SELECT * FROM trace_summary LIMIT 3",
    "EXPLAIN SELECT 1",
    "SUMMARIZE spans",
    "DESCRIBE spans",
    "CREATE MACRO m(x) AS x",
    "SELECT 1;;",
    "",
];

/// Connect bodies, by method index ([`connect::METHODS`]).
const CONNECT: &[(&str, &str)] = &[
    ("ListServices", "{}"),
    ("ListServices", r#"{"timeRangeMs": "-1"}"#),
    ("GetService", r#"{"name": "api"}"#),
    ("GetService", r#"{"name": "'; DROP TABLE spans; --"}"#),
    (
        "GetPercentile",
        r#"{"service": "api", "percentile": 99, "timeRangeMs": 3600000}"#,
    ),
    (
        "GetPercentile",
        r#"{"service": "api", "percentile": 1e309}"#,
    ),
    ("GetErrorRate", r#"{"service": "checkout"}"#),
    (
        "FindSlowTraces",
        r#"{"service": "api", "minDurationNs": "18446744073709551615", "limit": -1}"#,
    ),
    ("FindErrorTraces", r#"{"limit": 2147483647}"#),
    ("GetSystemMetrics", r#"{"service": "api"}"#),
    ("ExecuteQuery", r#"{"sql": "SELECT 1", "maxRows": 5}"#),
    ("ExecuteQuery", r#"{"sql": 1}"#),
    ("Nope", "{}"),
    ("ListServices", "not json"),
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the repository");
    let mut rng = fastrand::Rng::with_seed(76);
    let mut random = |len: usize| -> Vec<u8> { (0..len).map(|_| rng.u8(..)).collect() };

    for target in ["abi", "console"] {
        for len in [64, 256, 1024, 4096] {
            write(&root, target, &format!("random-{len}"), &random(len));
        }
    }

    write(
        &root,
        "bundle",
        "raw-empty-module",
        b"\x00\x00asm\x01\x00\x00\x00",
    );
    let hello = wat::parse_str(
        r#"(module
             (import "coral" "write" (func $write (param i32 i32 i32)))
             (memory (export "memory") 1)
             (data (i32.const 0) "hi\n")
             (func (export "_start") (call $write (i32.const 1) (i32.const 0) (i32.const 3))))"#,
    )
    .expect("valid WAT");
    write(
        &root,
        "bundle",
        "raw-hello-bundle",
        &[&[0], &coral_fuzz::abi::bundle(hello)[..]].concat(),
    );
    for len in [256, 2048] {
        write(
            &root,
            "bundle",
            &format!("section-{len}"),
            &[&[1], &random(len)[..]].concat(),
        );
        write(
            &root,
            "bundle",
            &format!("generated-{len}"),
            &[&[2], &random(len * 4)[..]].concat(),
        );
    }

    let spec = repo.join("tests/spec");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&spec)
        .expect("tests/spec")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .collect();
    scripts.sort();
    for script in scripts {
        let text = std::fs::read(&script).expect("a spec script");
        let name = script.file_stem().expect("a name").to_string_lossy();
        write(
            &root,
            "compiler",
            &format!("spec-{name}"),
            &[&[compiler::RAW], &text[..]].concat(),
        );
    }
    let deep = format!("const x = {}1{};", "(".repeat(1_001), ")".repeat(1_001));
    write(
        &root,
        "compiler",
        "nesting-1001",
        &[&[compiler::RAW], deep.as_bytes()].concat(),
    );
    let arrows = format!("const f = {}0;", "() => ".repeat(1_200));
    write(
        &root,
        "compiler",
        "arrows-1200",
        &[&[compiler::RAW], arrows.as_bytes()].concat(),
    );
    write(&root, "compiler", "random-1024", &random(1024));

    for (i, statement) in SQL.iter().enumerate() {
        write(
            &root,
            "sql",
            &format!("statement-{i:02}"),
            &[&[sql::RAW], statement.as_bytes()].concat(),
        );
    }
    write(&root, "sql", "random-256", &random(256));

    for (i, (method, body)) in CONNECT.iter().enumerate() {
        let index = connect::METHODS
            .iter()
            .position(|m| m == method)
            .expect("a known method");
        write(
            &root,
            "connect",
            &format!("{method}-{i:02}"),
            &[&[index as u8], body.as_bytes()].concat(),
        );
    }
    write(&root, "connect", "random-256", &random(256));

    let export =
        std::fs::read_to_string(repo.join("tests/fixtures/export.json")).expect("the fixture");
    for (i, line) in export.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        write(
            &root,
            "otlp",
            &format!("json-fixture-{i}"),
            &[b"\x02", line.as_bytes()].concat(),
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(line.as_bytes()).expect("gzip");
        let gz = gz.finish().expect("gzip");
        write(
            &root,
            "otlp",
            &format!("file-gzip-fixture-{i}"),
            &[&[3], &gz[..]].concat(),
        );
        let zst = zstd::encode_all(line.as_bytes(), 3).expect("zstd");
        write(
            &root,
            "otlp",
            &format!("file-zstd-fixture-{i}"),
            &[&[3], &zst[..]].concat(),
        );
    }
    write(
        &root,
        "otlp",
        "proto-traces",
        &[&[0], &traces(3).encode_to_vec()[..]].concat(),
    );
    write(
        &root,
        "otlp",
        "proto-traces-nested-1000",
        &[&[0], &traces(1_000).encode_to_vec()[..]].concat(),
    );
    write(
        &root,
        "otlp",
        "proto-histogram",
        &[&[1], &histogram().encode_to_vec()[..]].concat(),
    );
    for kind in [4u8, 5, 6, 7] {
        write(
            &root,
            "otlp",
            &format!("random-kind-{kind}"),
            &[&[kind], &random(1024)[..]].concat(),
        );
    }
}

fn write(root: &Path, target: &str, name: &str, bytes: &[u8]) {
    let dir = root.join(target);
    std::fs::create_dir_all(&dir).expect("a corpus folder");
    std::fs::write(dir.join(name), bytes).expect("write a seed");
}

/// One span whose attribute value nests `levels` deep.
fn traces(levels: usize) -> ExportTraceServiceRequest {
    let mut value = AnyValue {
        value: Some(any_value::Value::StringValue("leaf".into())),
    };
    for _ in 1..levels {
        value = AnyValue {
            value: Some(any_value::Value::ArrayValue(ArrayValue {
                values: vec![value],
            })),
        };
    }
    let now = sql::ANCHOR_US as u64 * 1000;
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(Resource {
                attributes: vec![string("service.name", "seed")],
                ..Resource::default()
            }),
            scope_spans: vec![ScopeSpans {
                spans: vec![Span {
                    trace_id: vec![7; 16],
                    span_id: vec![levels as u8; 8],
                    name: "GET /seed".into(),
                    kind: 2,
                    start_time_unix_nano: now - 5_000_000,
                    end_time_unix_nano: now,
                    attributes: vec![KeyValue {
                        key: "nested".into(),
                        value: Some(value),
                        ..KeyValue::default()
                    }],
                    ..Span::default()
                }],
                ..ScopeSpans::default()
            }],
            ..ResourceSpans::default()
        }],
    }
}

/// One histogram point whose sum is NaN.
fn histogram() -> ExportMetricsServiceRequest {
    let now = sql::ANCHOR_US as u64 * 1000;
    ExportMetricsServiceRequest {
        resource_metrics: vec![ResourceMetrics {
            resource: Some(Resource {
                attributes: vec![string("service.name", "seed")],
                ..Resource::default()
            }),
            scope_metrics: vec![ScopeMetrics {
                metrics: vec![Metric {
                    name: "http.server.request.duration".into(),
                    unit: "s".into(),
                    data: Some(metric::Data::Histogram(Histogram {
                        data_points: vec![HistogramDataPoint {
                            start_time_unix_nano: now - 60_000_000_000,
                            time_unix_nano: now,
                            count: 3,
                            sum: Some(f64::NAN),
                            bucket_counts: vec![1, 1, 1],
                            explicit_bounds: vec![0.1, 0.5],
                            ..HistogramDataPoint::default()
                        }],
                        aggregation_temporality: 2,
                    })),
                    ..Metric::default()
                }],
                ..ScopeMetrics::default()
            }],
            ..ResourceMetrics::default()
        }],
    }
}

fn string(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.into(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(value.into())),
        }),
        ..KeyValue::default()
    }
}
