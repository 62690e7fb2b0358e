//! ExecuteQuery: raw SQL under guardrails.
//!
//! 1. Exactly one statement, and it must be a query: DuckDB's own parser
//!    decides (`json_serialize_sql` serialises only SELECT statements), so
//!    writes, DDL, `COPY`, `ATTACH`, `INSTALL`/`LOAD`, `SET`, `PRAGMA`, `CALL`
//!    and friends are refused before anything runs. Its syntax tree is then
//!    walked: only allow-listed table functions (some, like
//!    `enable_profiling`, change state from a SELECT), no schema-qualified
//!    telemetry tables (which would skip the time filter), and no work that
//!    DuckDB cannot interrupt once started and whose cost grows faster than
//!    its input ([`check_function`]: edit distances, backtracking patterns).
//! 2. What a query can reach is limited by the database settings locked at
//!    open (`store`): no external access (files, URLs, `getenv`), no
//!    extension loading, memory and thread caps.
//! 3. Unless the caller opts out, the query sees the telemetry tables and
//!    views through a time filter (the last hour, or `time_range_ms`) and its
//!    result is capped (10,000 rows by default).
//! 4. It is interrupted when its call runs out of time ([`crate::call`]),
//!    and its client is answered then even if DuckDB is still busy
//!    ([`crate::readers`]).
//! 5. Its answer is held to the 32 MiB budget while DuckDB builds it
//!    ([`crate::answer`]).

use coral_proto::colony::v1 as pb;
use duckdb::Connection;

use crate::call::Call;
use crate::error::ColonyError;
use crate::query::DEFAULT_WINDOW_MS;
use crate::schema::TIME_SERIES;
use crate::store::Store;

/// Runs a raw SQL query.
pub fn execute(
    store: &Store,
    call: &Call,
    req: &pb::ExecuteQueryRequest,
) -> Result<pb::ExecuteQueryResponse, ColonyError> {
    let sql = req.sql.trim().trim_end_matches(';').trim_end();
    if sql.is_empty() {
        return Err(ColonyError::InvalidArgument("the query is empty".into()));
    }
    let config = store.config();
    // Without the automatic limits the default LIMIT goes too: the cap is
    // what the caller asks, or the colony's maximum.
    let max_rows = match req.max_rows {
        0 if req.no_auto_limits => config.max_rows,
        0 => config.default_rows,
        n if n < 0 => {
            return Err(ColonyError::InvalidArgument(
                "max_rows must not be negative".into(),
            ));
        }
        n => (n as usize).min(config.max_rows),
    };
    if req.time_range_ms < 0 {
        return Err(ColonyError::InvalidArgument(
            "time_range_ms must not be negative".into(),
        ));
    }
    let window_ms = if req.time_range_ms == 0 {
        DEFAULT_WINDOW_MS
    } else {
        req.time_range_ms
    };
    store.read_for(call, |conn| {
        let tables = check_single_query(conn, sql, req.no_auto_limits)?;
        let executed = if req.no_auto_limits {
            format!("SELECT * FROM (\n{sql}\n) AS q LIMIT {}", max_rows + 1)
        } else {
            format!(
                "{}SELECT * FROM (\n{sql}\n) AS q LIMIT {}",
                time_filter(&tables, store.now_us(), window_ms),
                max_rows + 1
            )
        };
        crate::answer::run(conn, &executed, max_rows).map(|mut response| {
            response.executed_sql = executed.clone();
            response
        })
    })
}

/// Refuses anything but exactly one SELECT-like statement over allowed
/// tables; returns the telemetry tables and views it reads.
fn check_single_query(
    conn: &Connection,
    sql: &str,
    no_auto_limits: bool,
) -> Result<Vec<&'static str>, ColonyError> {
    let verdict: String =
        conn.query_row("SELECT json_serialize_sql(?::VARCHAR)", [sql], |r| r.get(0))?;
    let verdict: serde_json::Value = serde_json::from_str(&verdict).map_err(|e| {
        ColonyError::QueryRejected(format!("could not classify the statement: {e}"))
    })?;
    if verdict.get("error").and_then(serde_json::Value::as_bool) == Some(true) {
        let message = verdict
            .get("error_message")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("unknown error");
        return Err(ColonyError::QueryRejected(
            if message.contains("Only SELECT") {
                "only read-only queries (SELECT, WITH … SELECT) are allowed; this statement would change the database or its settings".into()
            } else {
                message.to_string()
            },
        ));
    }
    let count = verdict
        .get("statements")
        .and_then(serde_json::Value::as_array)
        .map_or(0, Vec::len);
    if count != 1 {
        return Err(ColonyError::QueryRejected(format!(
            "exactly one statement is allowed, got {count}"
        )));
    }
    let mut tables = Vec::new();
    check_tables(&verdict["statements"], no_auto_limits, &mut tables)?;
    Ok(tables)
}

/// Table functions a query may call. Everything else is refused: several
/// DuckDB table functions change state although they are called from a
/// SELECT (`enable_profiling`, `enable_logging`, `checkpoint`, …) and
/// `query`/`query_table` would hide the tables a query reads.
const ALLOWED_TABLE_FUNCTIONS: &[&str] = &[
    "range",
    "generate_series",
    "unnest",
    "json_each",
    "json_tree",
    "duckdb_tables",
    "duckdb_columns",
    "duckdb_views",
    "duckdb_types",
];

/// Walks DuckDB's own syntax tree of the query: only allowed table
/// functions, and no schema-qualified telemetry table (that would skip the
/// time filter) unless the caller opted out of it. Collects the telemetry
/// tables read, for the time filter.
fn check_tables(
    node: &serde_json::Value,
    no_auto_limits: bool,
    tables: &mut Vec<&'static str>,
) -> Result<(), ColonyError> {
    let text = |map: &serde_json::Map<String, serde_json::Value>, key: &str| {
        map.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match node {
        serde_json::Value::Object(map) => {
            match map.get("type").and_then(serde_json::Value::as_str) {
                Some("TABLE_FUNCTION") => {
                    let name = map
                        .get("function")
                        .and_then(serde_json::Value::as_object)
                        .map(|f| text(f, "function_name"))
                        .unwrap_or_default();
                    if !ALLOWED_TABLE_FUNCTIONS.contains(&name.to_ascii_lowercase().as_str()) {
                        return Err(ColonyError::QueryRejected(format!(
                            "table function {name}() is not allowed (allowed: {})",
                            ALLOWED_TABLE_FUNCTIONS.join(", ")
                        )));
                    }
                }
                Some("FUNCTION") => check_function(map)?,
                Some("BASE_TABLE") if !no_auto_limits => {
                    let table = text(map, "table_name");
                    let lower = table.to_ascii_lowercase();
                    if let Some(name) = TIME_SERIES.iter().find(|name| **name == lower) {
                        let qualified = !text(map, "schema_name").is_empty()
                            || !text(map, "catalog_name").is_empty();
                        if qualified {
                            return Err(ColonyError::QueryRejected(format!(
                                "write `{table}` without a schema: a qualified name would skip the automatic time window (set no_auto_limits to read all of it)"
                            )));
                        }
                        if !tables.contains(name) {
                            tables.push(name);
                        }
                    }
                }
                _ => {}
            }
            map.values()
                .try_for_each(|v| check_tables(v, no_auto_limits, tables))
        }
        serde_json::Value::Array(items) => items
            .iter()
            .try_for_each(|v| check_tables(v, no_auto_limits, tables)),
        _ => Ok(()),
    }
}

/// Scalar functions whose cost grows with the product of their inputs'
/// lengths: one call on two long strings ran for minutes, and DuckDB cannot
/// interrupt a call once it has started.
const QUADRATIC_FUNCTIONS: &[&str] = &["levenshtein", "editdist3", "damerau_levenshtein"];

/// DuckDB's names for LIKE, ILIKE and GLOB (operators and the `ESCAPE`
/// forms), and whether the pattern's `*` (GLOB) or `%` (the others) is
/// its many-character wildcard.
const PATTERN_FUNCTIONS: &[(&str, char)] = &[
    ("~~", '%'),
    ("!~~", '%'),
    ("~~*", '%'),
    ("!~~*", '%'),
    ("like_escape", '%'),
    ("not_like_escape", '%'),
    ("ilike_escape", '%'),
    ("not_ilike_escape", '%'),
    ("~~~", '*'),
];

/// Most characters in a LIKE, ILIKE or GLOB pattern.
const MAX_PATTERN_CHARS: usize = 1_000;

/// Refuses calls DuckDB could not interrupt in time (see
/// [`QUADRATIC_FUNCTIONS`]), and LIKE, ILIKE and GLOB patterns it would
/// match by backtracking with more than one many-character wildcard (two
/// wildcards already took longer than any timeout on a 100,000-character
/// string): such a pattern must be a string literal with at most one `%`
/// (`*` for GLOB), unless it is a case-sensitive LIKE made only of `%` and
/// plain text, which DuckDB matches in linear time.
fn check_function(map: &serde_json::Map<String, serde_json::Value>) -> Result<(), ColonyError> {
    let name = map
        .get("function_name")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    let at = map
        .get("query_location")
        .and_then(serde_json::Value::as_u64)
        .map(|at| format!(" (at character {})", at + 1))
        .unwrap_or_default();
    if QUADRATIC_FUNCTIONS.contains(&name.as_str()) {
        return Err(ColonyError::QueryRejected(format!(
            "{name}(){at} is not allowed: its cost grows with the product of its inputs' lengths and DuckDB cannot interrupt one call of it, so it could outlive the query timeout; use jaro_winkler_similarity() or jaccard(), which are linear"
        )));
    }
    let Some(&(operator, many)) = PATTERN_FUNCTIONS.iter().find(|(n, _)| *n == name) else {
        return Ok(());
    };
    let pattern = map
        .get("children")
        .and_then(|c| c.get(1))
        .filter(|p| p.get("type").and_then(serde_json::Value::as_str) == Some("VALUE_CONSTANT"))
        .map(|p| &p["value"]);
    let Some(pattern) = pattern else {
        return Err(ColonyError::QueryRejected(format!(
            "the pattern of LIKE, ILIKE or GLOB{at} must be a string literal: DuckDB matches a computed pattern by backtracking, which it cannot interrupt; use regexp_matches() (RE2, linear time)"
        )));
    };
    if pattern.get("is_null").and_then(serde_json::Value::as_bool) == Some(true) {
        return Ok(());
    }
    let text = pattern
        .get("value")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    if text.chars().count() > MAX_PATTERN_CHARS {
        return Err(ColonyError::QueryRejected(format!(
            "the pattern of LIKE, ILIKE or GLOB{at} is longer than {MAX_PATTERN_CHARS} characters; use regexp_matches() (RE2, linear time)"
        )));
    }
    let wildcards = text.chars().filter(|&c| c == many).count();
    let plain_like = operator == "~~" || operator == "!~~";
    let linear = plain_like && !text.contains('_');
    if wildcards > 1 && !linear {
        return Err(ColonyError::QueryRejected(format!(
            "the pattern '{text}'{at} has {wildcards} '{many}' wildcards: DuckDB matches it by backtracking, which can take longer than any timeout and cannot be interrupted; use at most one '{many}' here, or regexp_matches() (RE2, linear time)"
        )));
    }
    Ok(())
}

/// `WITH spans AS (… last hour …), …` for every telemetry table the query
/// reads, so that it sees only the window.
fn time_filter(tables: &[&str], now_us: i64, window_ms: i64) -> String {
    let start_us = now_us - window_ms.saturating_mul(1000);
    let ctes: Vec<String> = tables
        .iter()
        .map(|name| format!("{name} AS (SELECT * FROM main.{name} WHERE \"timestamp\" >= make_timestamp({start_us}))"))
        .collect();
    if ctes.is_empty() {
        String::new()
    } else {
        format!("WITH {}\n", ctes.join(",\n     "))
    }
}
