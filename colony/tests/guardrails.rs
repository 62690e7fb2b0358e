//! Raw SQL guardrails: an adversarial list of queries that must be refused
//! with a reason, and the automatic limits on the ones that are allowed.

mod common;

use coral_colony::{ColonyConfig, ColonyError, Store, guard};
use coral_proto::colony::v1 as pb;

fn run(store: &Store, sql: &str) -> Result<pb::ExecuteQueryResponse, ColonyError> {
    guard::execute(
        store,
        &store.local_call(),
        &pb::ExecuteQueryRequest {
            sql: sql.into(),
            ..Default::default()
        },
    )
}

/// Queries that must never run. Each entry: the SQL and a word the refusal
/// must contain (so the reason is a real one, not an accident).
const ADVERSARIAL: &[(&str, &str)] = &[
    ("DROP TABLE spans", "read-only"),
    ("DELETE FROM spans", "read-only"),
    ("UPDATE spans SET duration_ns = 0", "read-only"),
    (
        "INSERT INTO resources VALUES ('x','','','','',now(),now())",
        "read-only",
    ),
    ("CREATE TABLE evil AS SELECT 1", "read-only"),
    ("ALTER TABLE spans ADD COLUMN x INT", "read-only"),
    ("COPY spans TO '/tmp/stolen.csv'", "read-only"),
    ("EXPORT DATABASE '/tmp/dump'", "read-only"),
    ("ATTACH '/tmp/other.duckdb' AS other", "read-only"),
    ("DETACH memory", "read-only"),
    ("INSTALL httpfs", "read-only"),
    ("LOAD httpfs", "read-only"),
    ("SET enable_external_access = true", "read-only"),
    ("RESET memory_limit", "read-only"),
    ("PRAGMA enable_profiling", "read-only"),
    ("CALL pragma_version()", "read-only"),
    ("CHECKPOINT", "read-only"),
    ("VACUUM", "read-only"),
    (
        "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
        "read-only",
    ),
    ("BEGIN TRANSACTION", "read-only"),
    ("SELECT 1; DROP TABLE spans", "statement"),
    ("SELECT * FROM read_csv('/etc/passwd')", "not allowed"),
    ("SELECT * FROM read_text('/etc/passwd')", "not allowed"),
    (
        "SELECT * FROM read_parquet('/tmp/x.parquet')",
        "not allowed",
    ),
    ("SELECT * FROM read_json('/etc/hosts')", "not allowed"),
    ("SELECT * FROM glob('/etc/*')", "not allowed"),
    ("SELECT getenv('HOME')", ""),
    // Replacement scans pass the table-function check; the locked
    // `enable_external_access = false` stops them.
    ("SELECT * FROM '/etc/passwd.csv'", "disabled"),
    ("FROM 'https://example.com/data.parquet'", "disabled"),
    (
        "SELECT * FROM read_csv('https://example.com/x.csv')",
        "not allowed",
    ),
    ("SELECT * FROM query('DROP TABLE spans')", ""),
    ("SELECT 1 /* unterminated", ""),
    // SELECT-callable table functions that change state or hide tables.
    (
        "FROM enable_profiling(format := 'no_output')",
        "not allowed",
    ),
    (
        "SELECT * FROM enable_profiling(save_location := '/tmp/x.duckdb')",
        "not allowed",
    ),
    ("FROM enable_logging('QueryLog')", "not allowed"),
    ("SELECT * FROM checkpoint()", "not allowed"),
    ("SELECT * FROM query('SELECT * FROM spans')", "not allowed"),
    ("SELECT * FROM query_table('spans')", "not allowed"),
    (
        "SELECT * FROM range(3) WHERE range IN (SELECT 1 FROM enable_profiling())",
        "not allowed",
    ),
    // Work DuckDB cannot interrupt once started, whose cost grows faster
    // than its input.
    (
        "SELECT levenshtein(repeat('a', 60000), repeat('b', 60000))",
        "levenshtein() (at character 8) is not allowed",
    ),
    ("SELECT editdist3(name, 'x') FROM spans", "not allowed"),
    (
        "SELECT list_transform(['a'], x -> damerau_levenshtein(x, 'b'))",
        "not allowed",
    ),
    ("SELECT system.main.levenshtein('a', 'b')", "not allowed"),
    (
        "SELECT repeat('a', 100000) LIKE '%_%_b'",
        "has 2 '%' wildcards",
    ),
    (
        "SELECT name FROM spans WHERE name ILIKE '%a%b'",
        "backtracking",
    ),
    ("SELECT 'a' LIKE '%a%' ESCAPE '!'", "backtracking"),
    (
        "SELECT repeat('a', 2000) GLOB '*a*b'",
        "has 2 '*' wildcards",
    ),
    (
        "SELECT name FROM spans WHERE name LIKE name",
        "string literal",
    ),
    ("SELECT 'a' LIKE repeat('%a', 30) || 'b'", "string literal"),
    // Schema-qualified names would skip the automatic time window.
    ("SELECT count(*) FROM main.spans", "without a schema"),
    (
        "SELECT count(*) FROM memory.main.service_summary",
        "without a schema",
    ),
];

#[test]
fn adversarial_queries_are_refused_with_a_reason() {
    let store = common::fixture_store();
    assert!(ADVERSARIAL.len() >= 20);
    let mut failures = Vec::new();
    for (sql, reason) in ADVERSARIAL {
        match run(&store, sql) {
            Ok(r) => failures.push(format!("{sql}: ran and returned {} rows", r.row_count)),
            Err(e) => {
                let message = e.to_string();
                if !message.to_lowercase().contains(&reason.to_lowercase()) {
                    failures.push(format!(
                        "{sql}: refused, but the reason lacks {reason:?}: {message}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing was changed by any of it.
    let count = guard::execute(
        &store,
        &store.local_call(),
        &pb::ExecuteQueryRequest {
            sql: "SELECT count(*) FROM main.spans".into(),
            no_auto_limits: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        count.rows[0].values[0].kind,
        Some(pb::value::Kind::IntValue(14))
    );
}

#[test]
fn results_are_capped_and_marked_truncated() {
    let store = common::fixture_store();
    let all = run(&store, "SELECT * FROM range(100000)").unwrap();
    assert_eq!((all.row_count, all.truncated), (10_000, true));
    assert_eq!(all.truncated_by, "rows");
    let few = guard::execute(
        &store,
        &store.local_call(),
        &pb::ExecuteQueryRequest {
            sql: "SELECT * FROM range(100)".into(),
            max_rows: 7,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((few.row_count, few.truncated), (7, true));
    // Without the automatic limits the default LIMIT goes, max_rows stays,
    // and the colony's maximum caps the rest.
    let unlimited = |max_rows: i32| {
        guard::execute(
            &store,
            &store.local_call(),
            &pb::ExecuteQueryRequest {
                sql: "SELECT * FROM range(200000)".into(),
                max_rows,
                no_auto_limits: true,
                ..Default::default()
            },
        )
        .unwrap()
    };
    assert_eq!(unlimited(7).row_count, 7);
    let most = unlimited(0);
    assert_eq!(
        (most.row_count, most.truncated_by.as_str()),
        (coral_proto::MAX_ROWS as i64, "rows")
    );
    // Big values: the answer stops at its byte budget, well before 10,000 rows.
    let wide = run(&store, "SELECT repeat('x', 50000) FROM range(2000)").unwrap();
    assert!(
        wide.truncated && wide.row_count < 1000,
        "{} rows",
        wide.row_count
    );
    assert_eq!(wide.truncated_by, "bytes", "no max_rows would help");
    // One value past the budget is refused before it is copied out of
    // DuckDB (it took the host to 2 GB).
    for sql in [
        "SELECT repeat('x', 40 * 1024 * 1024) AS v",
        // A list is sized by its length before it is copied (4.5 GB before).
        "SELECT range(0, 3000000) AS l",
    ] {
        let huge = run(&store, sql).unwrap_err();
        assert!(
            huge.to_string()
                .contains("the first row alone holds more than the 32 MiB"),
            "{sql}: {huge}"
        );
    }
    let exact = run(&store, "SELECT * FROM range(10)").unwrap();
    assert_eq!((exact.row_count, exact.truncated), (10, false));
    assert_eq!(exact.truncated_by, "");
}

/// The size gate around answers with variable-size columns changes
/// nothing in them: names (duplicates too), types, values, NULLs and order.
#[test]
fn the_answer_budget_gate_keeps_answers_exact() {
    use pb::value::Kind;
    let store = common::fixture_store();
    let answer = run(
        &store,
        "SELECT x AS a, x * 2 AS a, CASE WHEN x = 1 THEN NULL ELSE 'v' || x END AS s, \
         '\\xAB'::BLOB AS b, [x, x] AS l, {'k': x} AS st, map([x], ['m']) AS m, x / 2 AS d \
         FROM range(3) t(x) ORDER BY x DESC",
    )
    .unwrap();
    let names: Vec<_> = answer.columns.iter().map(|c| c.name.as_str()).collect();
    // DuckDB renames a duplicate name through the row-limit subquery.
    assert_eq!(names, ["a", "a_1", "s", "b", "l", "st", "m", "d"]);
    let types: Vec<_> = answer.columns.iter().map(|c| c.r#type.as_str()).collect();
    assert_eq!(types[..4], ["BIGINT", "BIGINT", "VARCHAR", "BLOB"]);
    assert_eq!(answer.row_count, 3);
    let row = |i: usize| -> Vec<Kind> {
        answer.rows[i]
            .values
            .iter()
            .map(|v| v.kind.clone().unwrap())
            .collect()
    };
    assert_eq!(row(0)[..2], [Kind::IntValue(2), Kind::IntValue(4)]);
    assert_eq!(
        row(0)[2..],
        [
            Kind::StringValue("v2".into()),
            Kind::StringValue("ab".into()),
            Kind::StringValue("[2, 2]".into()),
            Kind::StringValue("{'k': 2}".into()),
            Kind::StringValue("{2=m}".into()),
            Kind::DoubleValue(1.0),
        ]
    );
    assert_eq!(row(1)[2], Kind::NullValue(true), "NULL stays NULL");
    assert_eq!(row(2)[0], Kind::IntValue(0), "ORDER BY is kept");
    // A nested value is sized by its text inside DuckDB: one list holding
    // a 40 MiB string is refused before it is copied out.
    let huge = run(&store, "SELECT [repeat('x', 40 * 1024 * 1024)] AS l").unwrap_err();
    assert!(huge.to_string().contains("first row alone"), "{huge}");
}

#[test]
fn telemetry_tables_are_seen_through_the_time_window_unless_opted_out() {
    let store = common::fixture_store();
    let count = |sql: &str, no_auto_limits: bool, time_range_ms: i64| {
        let r = guard::execute(
            &store,
            &store.local_call(),
            &pb::ExecuteQueryRequest {
                sql: sql.into(),
                no_auto_limits,
                time_range_ms,
                ..Default::default()
            },
        )
        .unwrap();
        match r.rows[0].values[0].kind {
            Some(pb::value::Kind::IntValue(n)) => n,
            ref other => panic!("{other:?}"),
        }
    };
    // 14 spans in all: 11 in the last hour, 13 in the last three.
    assert_eq!(count("SELECT count(*) FROM spans", false, 0), 11);
    assert_eq!(
        count("SELECT count(*) FROM spans", false, 3 * 3_600_000),
        13
    );
    assert_eq!(count("SELECT count(*) FROM spans", true, 0), 14);
    // The RFD's summary query runs verbatim.
    let r = run(
        &store,
        "SELECT service_name, AVG(p99_duration_ns) as avg_p99
         FROM service_summary
         WHERE timestamp > now() - INTERVAL '1 hour'
         GROUP BY service_name
         ORDER BY avg_p99 DESC",
    )
    .unwrap();
    assert_eq!(
        r.rows[0].values[0].kind,
        Some(pb::value::Kind::StringValue("checkout".into()))
    );
    // Allowed table functions still work.
    assert_eq!(count("SELECT count(*) FROM range(5)", false, 0), 5);
    // Names that merely contain a table name are left alone.
    assert_eq!(
        count("SELECT count(*) FROM (SELECT 1 AS spans_total)", false, 0),
        1
    );
}

#[test]
fn patterns_matched_in_linear_time_are_allowed() {
    let store = common::fixture_store();
    for sql in [
        "SELECT repeat('a', 1000000) LIKE '%a%a%b'",
        "SELECT repeat('a', 100000) LIKE '%__________b'",
        "SELECT 'GET /api' ILIKE 'get%'",
        "SELECT 'checkout' GLOB 'check*'",
        "SELECT 'x' NOT LIKE NULL",
        "SELECT jaro_winkler_similarity('checkout', 'checkuot')",
    ] {
        assert!(run(&store, sql).is_ok(), "{sql}");
    }
}

#[test]
fn slow_queries_are_interrupted_at_the_timeout() {
    let store = Store::open_in_memory(ColonyConfig {
        query_timeout: std::time::Duration::from_millis(300),
        ..ColonyConfig::default()
    })
    .unwrap();
    let err = run(
        &store,
        "SELECT count(*) FROM range(100000000000) a, range(1000) b WHERE a.range % 7 = b.range",
    )
    .unwrap_err();
    assert!(matches!(err, ColonyError::Timeout { .. }), "{err}");
    // The connection is still usable afterwards, and the pool is whole.
    for _ in 0..ColonyConfig::default().readers + 1 {
        assert!(run(&store, "SELECT 1").is_ok());
    }
}
