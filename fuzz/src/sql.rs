//! The SQL guard: arbitrary SQL through `ExecuteQuery` (`colony/src/guard.rs`).
//!
//! The input becomes a request whose SQL is raw text (after a [`RAW`]
//! byte) or a sentence of the
//! tokens the guard must judge (statements that write, read files, change
//! settings or attach databases; table functions; telemetry tables with and
//! without schema names; comments and semicolons). Properties, checked
//! against DuckDB itself rather than the guard's own reasoning:
//!
//! * an accepted statement is, by DuckDB's parser on a separate plain
//!   connection, exactly one SELECT (`json_serialize_sql` serialises
//!   nothing else);
//! * the database is as it was: settings, attached databases, tables,
//!   views and the telemetry row counts;
//! * no answer holds the contents of a file (a canary written for the
//!   run, whose path the tokens name);
//! * a refusal is a typed error, never a panic.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::Unstructured;
use coral_colony::{ColonyConfig, ColonyError, Store, guard};
use coral_proto::colony::v1 as pb;
use duckdb::Connection;

use crate::sentence;

/// When the test colony's data ends (Unix µs), and the clock it answers at.
pub const ANCHOR_US: i64 = 1_750_000_000_000_000;

/// Text only the canary file holds.
const CANARY: &str = "coral-fuzz-canary-7f3a";

/// Tokens of SQL worth judging; `CANARY_PATH` is replaced by the canary's
/// path.
const TOKENS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "*",
    ",",
    "(",
    ")",
    ";",
    "--",
    "/*",
    "*/",
    "'",
    "\"",
    "1",
    "'x'",
    "AS",
    "WITH",
    "UNION ALL",
    "LIMIT",
    "ORDER BY",
    "GROUP BY",
    "count(*)",
    "spans",
    "metric_points",
    "resources",
    "services",
    "host_metrics",
    "trace_summary",
    "service_summary",
    "main.spans",
    "memory.main.spans",
    "system.main.duckdb_settings()",
    "'CANARY_PATH'",
    "read_text(",
    "read_blob(",
    "read_csv(",
    "read_csv_auto(",
    "read_json(",
    "read_parquet(",
    "glob(",
    "getenv(",
    "current_setting(",
    "duckdb_settings()",
    "duckdb_secrets()",
    "query(",
    "query_table(",
    "enable_profiling",
    "'https://example.com/x.csv'",
    "'s3://bucket/x'",
    "SET",
    "RESET",
    "PRAGMA",
    "ATTACH",
    "DETACH",
    "USE",
    "COPY",
    "TO",
    "EXPORT DATABASE",
    "IMPORT DATABASE",
    "INSTALL",
    "LOAD",
    "httpfs",
    "CREATE",
    "TABLE",
    "VIEW",
    "MACRO",
    "SECRET",
    "INSERT",
    "INTO",
    "VALUES",
    "UPDATE",
    "DELETE",
    "DROP",
    "ALTER",
    "CALL",
    "EXPLAIN",
    "ANALYZE",
    "DESCRIBE",
    "SUMMARIZE",
    "SHOW",
    "VACUUM",
    "CHECKPOINT",
    "BEGIN",
    "COMMIT",
    "PIVOT",
    "levenshtein(",
    "regexp_matches(",
    "repeat(",
    "range(",
    "1e9",
    "lambda x: x",
    "json_serialize_sql(",
    "sql_auto_complete(",
    "memory_limit",
    "=",
    "'1GB'",
    "enable_external_access",
    "lock_configuration",
    "false",
    "$1",
    "?",
    "FROM spans SELECT",
];

/// A first byte saying the rest is the SQL as it is (how the attack seeds
/// are stored); a request with no input left has the default limits.
pub const RAW: u8 = 0;

/// Checks one input (see the module docs).
pub fn check(data: &[u8]) {
    let (store, canary) = colony();
    let (sql, mut u) = match data.split_first() {
        Some((&RAW, rest)) => (
            String::from_utf8_lossy(rest).into_owned(),
            Unstructured::new(&[]),
        ),
        _ => {
            let mut u = Unstructured::new(data);
            (sentence(&mut u, TOKENS, 24), u)
        }
    };
    let sql = sql.replace("CANARY_PATH", &canary.display().to_string());
    let request = pb::ExecuteQueryRequest {
        sql: sql.clone(),
        max_rows: u.int_in_range(-1..=20).unwrap_or(0),
        time_range_ms: u.int_in_range(-1..=3_600_000).unwrap_or(0),
        no_auto_limits: u.arbitrary().unwrap_or(false),
    };
    let before = snapshot(store);
    let answer = guard::execute(store, &store.local_call(), &request);
    assert_eq!(
        snapshot(store),
        before,
        "the database changed after {sql:?}"
    );
    if let Ok(response) = answer {
        assert_eq!(one_select(&sql), Ok(()), "the guard accepted {sql:?}");
        let text = format!("{:?}", response.rows);
        assert!(!text.contains(CANARY), "{sql:?} read a file");
    }
}

/// DuckDB's parser, on a connection with nothing in it: `Ok` when `sql`
/// (as the guard trims it) is exactly one SELECT statement.
fn one_select(sql: &str) -> Result<(), String> {
    let sql = sql.trim().trim_end_matches(';').trim_end();
    let conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
    let json: String = conn
        .query_row("SELECT json_serialize_sql(?::VARCHAR)", [sql], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    let tree: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    match tree["statements"].as_array() {
        Some(statements) if tree["error"] == false && statements.len() == 1 => Ok(()),
        _ => Err(format!("DuckDB's parser says: {json}")),
    }
}

/// Everything a statement could change, as text.
fn snapshot(store: &Store) -> Vec<String> {
    const PROBES: &[&str] = &[
        "SELECT name || '=' || coalesce(value, 'NULL') FROM duckdb_settings() ORDER BY name",
        "SELECT database_name || ':' || coalesce(path, '') FROM duckdb_databases() ORDER BY 1",
        "SELECT database_name || '.' || schema_name || '.' || table_name || ':' || estimated_size FROM duckdb_tables() ORDER BY 1",
        "SELECT database_name || '.' || schema_name || '.' || view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1",
        "SELECT 'spans=' || count(*) FROM spans",
        "SELECT 'metric_points=' || count(*) FROM metric_points",
        "SELECT 'resources=' || count(*) FROM resources",
    ];
    store
        .read(|conn| {
            let mut lines = Vec::new();
            for probe in PROBES {
                let mut stmt = conn.prepare(probe)?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                for row in rows {
                    lines.push(row?);
                }
            }
            Ok::<_, ColonyError>(lines)
        })
        .expect("the database can be described")
}

/// The colony every input is checked against: demo data, one reader (so
/// the snapshot sees the connection the query ran on), a short query
/// timeout, and the canary file.
pub(crate) fn colony() -> &'static (Store, PathBuf) {
    static COLONY: OnceLock<(Store, PathBuf)> = OnceLock::new();
    COLONY.get_or_init(|| {
        let store = Store::open_in_memory(ColonyConfig {
            readers: 1,
            threads: 1,
            memory_limit: "512MB".into(),
            query_timeout: Duration::from_secs(2),
            fixed_now_us: Some(ANCHOR_US),
            ..ColonyConfig::default()
        })
        .expect("an in-memory colony");
        coral_colony::demo::generate(&store, 2_000, ANCHOR_US).expect("demo data");
        let dir = tempfile::tempdir().expect("a temporary folder").keep();
        let canary = dir.join("canary.csv");
        std::fs::write(&canary, format!("{CANARY}\n{CANARY}\n")).expect("write the canary");
        (store, canary)
    })
}
