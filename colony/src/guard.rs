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

use coral_proto::MAX_RESULT_BYTES;
use coral_proto::colony::v1 as pb;
use duckdb::Connection;
use duckdb::types::{TimeUnit, ValueRef};

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
        run(conn, &executed, max_rows).map(|mut response| {
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

fn run(
    conn: &Connection,
    sql: &str,
    limit: usize,
) -> Result<pb::ExecuteQueryResponse, ColonyError> {
    let mut stmt = conn.prepare(sql).map_err(refused)?;
    let mut rows = stmt.query([]).map_err(refused)?;
    let mut out = Vec::new();
    let mut truncated_by = "";
    let mut bytes = 0usize;
    while let Some(row) = rows.next().map_err(refused)? {
        if out.len() == limit {
            truncated_by = "rows";
            break;
        }
        // Sized before anything is copied out of DuckDB: one huge value must
        // not take the host's memory past the budget (it took 2 GB).
        let width = row.as_ref().column_count();
        let mut values = Vec::with_capacity(width);
        let mut row_bytes = 0usize;
        for i in 0..width {
            let value = row.get_ref(i)?;
            let raw = raw_size(&value);
            row_bytes += raw;
            if bytes + row_bytes > MAX_RESULT_BYTES {
                break;
            }
            let value = convert(value);
            // Nested values are only sized once written out as text.
            row_bytes += value_size(&value).saturating_sub(raw);
            values.push(value);
        }
        if bytes + row_bytes > MAX_RESULT_BYTES {
            if out.is_empty() {
                return Err(ColonyError::ResourceExhausted(format!(
                    "the first row alone holds more than the {} MiB an answer may carry; select less of it (e.g. substr() or length() of a large value)",
                    MAX_RESULT_BYTES / (1024 * 1024)
                )));
            }
            truncated_by = "bytes";
            break;
        }
        bytes += row_bytes;
        out.push(pb::Row { values });
    }
    drop(rows);
    let columns = (0..stmt.column_count())
        .map(|i| pb::Column {
            name: stmt
                .column_name(i)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            r#type: format!("{:?}", stmt.column_logical_type(i).id()).to_ascii_uppercase(),
        })
        .collect();
    Ok(pb::ExecuteQueryResponse {
        columns,
        row_count: out.len() as i64,
        rows: out,
        truncated: !truncated_by.is_empty(),
        executed_sql: String::new(),
        truncated_by: truncated_by.into(),
    })
}

/// A DuckDB failure while preparing or running the user's query: running out
/// of memory is a limit, anything else a rejection with DuckDB's reason.
fn refused(e: duckdb::Error) -> ColonyError {
    let message = e.to_string();
    if message.starts_with("Out of Memory Error") {
        ColonyError::ResourceExhausted(message)
    } else {
        ColonyError::QueryRejected(message)
    }
}

/// Approximate encoded size of a value.
fn value_size(value: &pb::Value) -> usize {
    use pb::value::Kind;
    match &value.kind {
        Some(Kind::StringValue(s)) | Some(Kind::BigIntValue(s)) => s.len() + 8,
        _ => 12,
    }
}

/// Approximate encoded size of a value still in DuckDB: strings and blobs
/// by their length (blobs are sent as hex), lists, arrays and maps by their
/// element count (at least 12 bytes an element, before the whole value is
/// copied out: `range(0, 40000000)` took the host to 4.5 GB), anything else
/// 12 bytes. Elements nested inside elements are sized once written out.
fn raw_size(value: &ValueRef<'_>) -> usize {
    use duckdb::types::ListType;
    let elements = |n: usize| 12usize.saturating_mul(n).saturating_add(8);
    match value {
        ValueRef::Text(bytes) => bytes.len() + 8,
        ValueRef::Blob(bytes) => 2 * bytes.len() + 8,
        ValueRef::List(ListType::Regular(list), i) => {
            elements(usize::try_from(list.value_length(*i)).unwrap_or(0))
        }
        ValueRef::List(ListType::Large(list), i) => {
            elements(usize::try_from(list.value_length(*i)).unwrap_or(0))
        }
        ValueRef::Array(array, _) => elements(usize::try_from(array.value_length()).unwrap_or(0)),
        ValueRef::Map(map, i) => elements(2 * usize::try_from(map.value_length(*i)).unwrap_or(0)),
        ValueRef::Struct(fields, _) => elements(fields.num_columns()),
        _ => 12,
    }
}

fn convert(value: ValueRef<'_>) -> pb::Value {
    use pb::value::Kind;
    let int = |v: i128| match i64::try_from(v) {
        Ok(i) => Kind::IntValue(i),
        Err(_) => Kind::BigIntValue(v.to_string()),
    };
    let kind = match value {
        ValueRef::Null => Kind::NullValue(true),
        ValueRef::Boolean(b) => Kind::BoolValue(b),
        ValueRef::TinyInt(v) => Kind::IntValue(v.into()),
        ValueRef::SmallInt(v) => Kind::IntValue(v.into()),
        ValueRef::Int(v) => Kind::IntValue(v.into()),
        ValueRef::BigInt(v) => Kind::IntValue(v),
        ValueRef::UTinyInt(v) => Kind::IntValue(v.into()),
        ValueRef::USmallInt(v) => Kind::IntValue(v.into()),
        ValueRef::UInt(v) => Kind::IntValue(v.into()),
        ValueRef::UBigInt(v) => int(v.into()),
        ValueRef::HugeInt(v) => int(v),
        ValueRef::UHugeInt(v) => match i128::try_from(v) {
            Ok(v) => int(v),
            Err(_) => Kind::BigIntValue(v.to_string()),
        },
        ValueRef::Float(v) => Kind::DoubleValue(v.into()),
        ValueRef::Double(v) => Kind::DoubleValue(v),
        ValueRef::Decimal(d) => Kind::DoubleValue(d.to_string().parse().unwrap_or(f64::NAN)),
        ValueRef::Timestamp(unit, v) => Kind::TimestampMicros(match unit {
            TimeUnit::Second => v.saturating_mul(1_000_000),
            TimeUnit::Millisecond => v.saturating_mul(1000),
            TimeUnit::Microsecond => v,
            TimeUnit::Nanosecond => v.div_euclid(1000),
        }),
        ValueRef::Date32(days) => Kind::TimestampMicros(i64::from(days) * 86_400_000_000),
        ValueRef::Text(bytes) => Kind::StringValue(String::from_utf8_lossy(bytes).into_owned()),
        ValueRef::Blob(bytes) => {
            Kind::StringValue(bytes.iter().map(|b| format!("{b:02x}")).collect())
        }
        other => Kind::StringValue(text(&other.to_owned())),
    };
    pb::Value { kind: Some(kind) }
}

/// A nested or unusual value as text, written the way DuckDB prints it
/// (`[1, 2]`, `{'a': 1}`, `{k=v}`).
fn text(value: &duckdb::types::Value) -> String {
    use duckdb::types::Value;
    let join = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(", ");
    match value {
        Value::Null => "NULL".into(),
        Value::Text(s) | Value::Enum(s) => s.clone(),
        Value::List(items) | Value::Array(items) => {
            format!("[{}]", join(&mut items.iter().map(text)))
        }
        Value::Struct(fields) => format!(
            "{{{}}}",
            join(&mut fields.iter().map(|(k, v)| format!("'{k}': {}", text(v))))
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            join(
                &mut entries
                    .iter()
                    .map(|(k, v)| format!("{}={}", text(k), text(v)))
            )
        ),
        Value::Union(inner) => text(inner),
        Value::Boolean(b) => b.to_string(),
        Value::TinyInt(v) => v.to_string(),
        Value::SmallInt(v) => v.to_string(),
        Value::Int(v) => v.to_string(),
        Value::BigInt(v) => v.to_string(),
        Value::HugeInt(v) => v.to_string(),
        Value::UTinyInt(v) => v.to_string(),
        Value::USmallInt(v) => v.to_string(),
        Value::UInt(v) => v.to_string(),
        Value::UBigInt(v) => v.to_string(),
        Value::Float(v) => v.to_string(),
        Value::Double(v) => v.to_string(),
        other => format!("{other:?}"),
    }
}
