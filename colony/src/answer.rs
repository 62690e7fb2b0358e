//! An ExecuteQuery answer: the rows of a guarded query ([`crate::guard`])
//! as `coral.colony.v1` values, held to the answer budget
//! ([`MAX_RESULT_BYTES`], 32 MiB of row data, the budget the runtime holds
//! answers to) while they are built: in DuckDB first, then here.
//!
//! duckdb-rs copies a result out of DuckDB before a row can be looked at
//! (the whole result, then each chunk of up to 2,048 rows as Arrow), so a
//! budget applied only here came too late: one 300 MB value took the server
//! to 1,186 MiB, three at once to 3,040 MiB, past DuckDB's `memory_limit`. So
//! unless every row the query may answer (its row limit plus one, at a
//! fixed width) fits the budget, the query runs inside a gate ([`gated`]):
//! DuckDB sums each row's size in query order (a running `sum() OVER (ROWS
//! UNBOUNDED PRECEDING)`, which DuckDB streams in order), hands over every
//! value of the first row past the budget as NULL (and, when every column
//! has a fixed width, no row after it; see [`gated`]), so no more than the
//! budget plus NULLs ever leaves DuckDB.
//! Here, that row ends the answer (`truncated_by: "bytes"`), or refuses it
//! when it is the first.
//!
//! Sizes are estimates of the encoded answer, computed from the column's
//! type ([`value_bytes`]): text and blobs by their length (blobs are sent as
//! hex), nested values by their parts (never written out as text to be
//! measured: a list of 400 million numbers inside a list would have been),
//! a list with more elements than could fit by its count alone, anything
//! else 12 bytes.

use coral_proto::MAX_RESULT_BYTES;
use coral_proto::colony::v1 as pb;
use duckdb::Connection;
use duckdb::core::{LogicalTypeHandle, LogicalTypeId};
use duckdb::types::{TimeUnit, ValueRef};

use crate::error::ColonyError;

/// Name of the running-size column the gate adds.
const RUNNING_BYTES: &str = "coral_answer_bytes";

/// Name of the gate's column holding one row's size.
const ROW_BYTES: &str = "coral_row_bytes";

/// Estimated bytes of a value of a fixed-width type (and of NULL).
const FIXED_BYTES: usize = 12;

/// Deepest nesting of an answer column's type that the gate sizes; a
/// deeper column is refused (its size expression would grow with it).
const MAX_TYPE_DEPTH: usize = 64;

/// A result column as `DESCRIBE` names it, with its type as the prepared
/// query gives it.
struct Described {
    name: String,
    ty: LogicalTypeHandle,
}

/// The result columns of `sql`: names from `DESCRIBE`, types from the
/// prepared (not executed) query.
fn describe(conn: &Connection, sql: &str) -> Result<Vec<Described>, ColonyError> {
    let names: Vec<String> = conn
        .prepare(&format!("DESCRIBE {sql}"))
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
        .map_err(refused)?;
    let stmt = conn.prepare(sql).map_err(refused)?;
    Ok(names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Described {
            name,
            ty: stmt.column_logical_type(i),
        })
        .collect())
}

/// A DuckDB expression estimating the bytes of `e`, a value of type `ty`
/// `depth` levels down a column's type (see the module docs); `None` when
/// the type has a fixed width ([`FIXED_BYTES`], NULL too). Nested values
/// are sized from their parts, never written out as text: a list of lists
/// is its elements' sizes summed with `list_transform`, skipped for a list
/// with more elements than could fit (sized by its count alone).
///
/// # Errors
/// [`ColonyError::QueryRejected`] when the type nests deeper than
/// [`MAX_TYPE_DEPTH`].
fn value_bytes(
    e: &str,
    ty: &LogicalTypeHandle,
    depth: usize,
) -> Result<Option<String>, ColonyError> {
    use LogicalTypeId as T;
    if depth > MAX_TYPE_DEPTH {
        return Err(ColonyError::QueryRejected(format!(
            "an answer column's type nests more than {MAX_TYPE_DEPTH} levels deep; select its parts instead"
        )));
    }
    Ok(Some(match ty.id() {
        T::Boolean
        | T::Tinyint
        | T::Smallint
        | T::Integer
        | T::Bigint
        | T::Hugeint
        | T::UTinyint
        | T::USmallint
        | T::UInteger
        | T::UBigint
        | T::UHugeint
        | T::Float
        | T::Double
        | T::Decimal
        | T::Date
        | T::Time
        | T::TimeTZ
        | T::TimeNs
        | T::Timestamp
        | T::TimestampTZ
        | T::TimestampS
        | T::TimestampMs
        | T::TimestampNs
        | T::Interval
        | T::Uuid
        | T::SqlNull => return Ok(None),
        T::Varchar => format!("8 + strlen({e})"),
        T::Blob => format!("8 + 2 * octet_length({e})"),
        T::List | T::Array => format!("8 + {}", elements(e, &ty.child(0), depth)?),
        T::Map => format!(
            "8 + {} + {}",
            elements(&format!("map_keys({e})"), &ty.child(0), depth)?,
            elements(&format!("map_values({e})"), &ty.child(1), depth)?
        ),
        T::Struct => {
            let fields = (0..ty.num_children())
                .map(|i| {
                    part(
                        &format!("struct_extract_at({e}, {})", i + 1),
                        &ty.child(i),
                        depth,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            format!("8 + {}", fields.join(" + "))
        }
        T::Union => {
            // Only the member a value holds is not NULL.
            let members = (0..ty.num_children())
                .map(|i| {
                    let tag = ty.child_name(i).replace('\'', "''");
                    let member = format!("union_extract({e}, '{tag}')");
                    Ok(match value_bytes(&member, &ty.child(i), depth + 1)? {
                        None => "0".to_owned(),
                        Some(size) => format!("coalesce({size}, 0)"),
                    })
                })
                .collect::<Result<Vec<_>, ColonyError>>()?;
            format!("{FIXED_BYTES} + {}", members.join(" + "))
        }
        // Enums, bit strings, big numbers and anything newer: small values
        // sent as their text.
        _ => format!("8 + strlen(CAST({e} AS VARCHAR))"),
    }))
}

/// The bytes of part `e` of a nested value.
fn part(e: &str, ty: &LogicalTypeHandle, depth: usize) -> Result<String, ColonyError> {
    value_bytes(e, ty, depth + 1).map(or_fixed)
}

/// A size from [`value_bytes`] with NULL and fixed-width values counted as
/// [`FIXED_BYTES`].
fn or_fixed(size: Option<String>) -> String {
    size.map_or(FIXED_BYTES.to_string(), |s| {
        format!("coalesce({s}, {FIXED_BYTES})")
    })
}

/// The bytes of the elements of `list` (a LIST or ARRAY expression) whose
/// elements have type `child`.
fn elements(list: &str, child: &LogicalTypeHandle, depth: usize) -> Result<String, ColonyError> {
    // More elements than this cannot fit, at FIXED_BYTES each.
    let most = MAX_RESULT_BYTES / FIXED_BYTES;
    // NULL when the list is NULL (sized as one by the caller).
    let count = format!("{FIXED_BYTES} * len({list})");
    let element = format!("coral_e{depth}");
    Ok(match value_bytes(&element, child, depth + 1)? {
        None => count,
        Some(each) => format!(
            "CASE WHEN len({list}) > {most} THEN {count} WHEN len({list}) >= 0 \
             THEN coalesce(list_sum(list_transform({list}, lambda {element}: {each})), 0) END",
            each = or_fixed(Some(each))
        ),
    })
}

/// `sql` inside the gate of the module docs, its columns renamed `c0`, `c1`,
/// … and the running size added last; `None` when no row can go past the
/// budget (every column has a fixed width and `limit + 1` rows of them
/// fit).
fn gated(sql: &str, columns: &[Described], limit: usize) -> Result<Option<String>, ColonyError> {
    let names: Vec<String> = (0..columns.len()).map(|i| format!("c{i}")).collect();
    let sizes = names
        .iter()
        .zip(columns)
        .map(|(c, d)| value_bytes(c, &d.ty, 0))
        .collect::<Result<Vec<_>, _>>()?;
    let budget = MAX_RESULT_BYTES;
    let fixed_only = sizes.iter().all(Option::is_none);
    if fixed_only
        && FIXED_BYTES
            .saturating_mul(columns.len())
            .saturating_mul(limit + 1)
            <= budget
    {
        return Ok(None);
    }
    let sizes: Vec<String> = sizes.into_iter().map(or_fixed).collect();
    let values: Vec<String> = names
        .iter()
        .map(|c| format!("CASE WHEN {RUNNING_BYTES} <= {budget} THEN {c} END"))
        .collect();
    // With only fixed-width columns, rows after the first one past the
    // budget never leave DuckDB (as NULLs they would still take their
    // width: 3,000 BIGINT columns × 100,001 rows). With variable-width
    // columns that filter is left out: measured, it took the server's peak
    // with three 300 MB values from 1.5–1.7 GB to 1.9–2.5 GB (DuckDB keeps
    // more of each value alive); there the rows after it leave as NULLs
    // (16 bytes a value), and the reader stops at the first.
    let stop = if fixed_only {
        format!("\nWHERE {RUNNING_BYTES} - {ROW_BYTES} <= {budget}")
    } else {
        String::new()
    };
    Ok(Some(format!(
        "SELECT {values}, {RUNNING_BYTES}\n\
         FROM (SELECT *, CAST(sum({ROW_BYTES}) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS {RUNNING_BYTES}\n\
         FROM (SELECT *, {sizes} AS {ROW_BYTES}\n\
         FROM (\n{sql}\n) AS coral_answer({names})) AS coral_row) AS coral_sized{stop}",
        values = values.join(", "),
        sizes = sizes.join(" + "),
        names = names.join(", "),
    )))
}

/// Runs the guarded query `sql` and answers at most `limit` rows and
/// [`MAX_RESULT_BYTES`] of row data (`truncated_by` says which cut it).
///
/// # Errors
/// [`ColonyError::QueryRejected`] with DuckDB's reason,
/// [`ColonyError::ResourceExhausted`] when DuckDB ran out of memory or the
/// first row alone is over the budget.
pub(crate) fn run(
    conn: &Connection,
    sql: &str,
    limit: usize,
) -> Result<pb::ExecuteQueryResponse, ColonyError> {
    let described = describe(conn, sql)?;
    let width = described.len();
    let gate = gated(sql, &described, limit)?;
    let mut stmt = conn
        .prepare(gate.as_deref().unwrap_or(sql))
        .map_err(refused)?;
    let mut rows = stmt.query([]).map_err(refused)?;
    let mut out = Vec::new();
    let mut truncated_by = "";
    let mut bytes = 0usize;
    while let Some(row) = rows.next().map_err(refused)? {
        if out.len() == limit {
            truncated_by = "rows";
            break;
        }
        let within_gate = gate.is_none()
            || row
                .get::<_, i64>(width)
                .is_ok_and(|b| usize::try_from(b).is_ok_and(|b| b <= MAX_RESULT_BYTES));
        let sized = if within_gate {
            sized_row(row, width, MAX_RESULT_BYTES - bytes)?
        } else {
            None
        };
        let Some((values, row_bytes)) = sized else {
            if out.is_empty() {
                return Err(ColonyError::ResourceExhausted(format!(
                    "the first row alone holds more than the {} MiB an answer may carry; select less of it (e.g. substr() or length() of a large value)",
                    MAX_RESULT_BYTES / (1024 * 1024)
                )));
            }
            truncated_by = "bytes";
            break;
        };
        bytes += row_bytes;
        out.push(pb::Row { values });
    }
    drop(rows);
    let columns = described
        .into_iter()
        .enumerate()
        .map(|(i, d)| pb::Column {
            name: d.name,
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

/// The first `width` values of `row` and their size, or `None` when they
/// hold more than `room` bytes. Sized before anything is copied out of
/// DuckDB's Arrow chunk: one huge value must not take the host's memory
/// past the budget (it took 2 GB).
fn sized_row(
    row: &duckdb::Row<'_>,
    width: usize,
    room: usize,
) -> Result<Option<(Vec<pb::Value>, usize)>, ColonyError> {
    let mut values = Vec::with_capacity(width);
    let mut row_bytes = 0usize;
    for i in 0..width {
        let value = row.get_ref(i)?;
        let raw = raw_size(&value);
        row_bytes += raw;
        if row_bytes > room {
            return Ok(None);
        }
        let value = convert(value);
        // Nested values are only sized once written out as text.
        row_bytes += value_size(&value).saturating_sub(raw);
        values.push(value);
    }
    Ok((row_bytes <= room).then_some((values, row_bytes)))
}

/// A DuckDB failure while preparing or running the user's query: running out
/// of memory is a limit, anything else a rejection with DuckDB's reason.
pub(crate) fn refused(e: duckdb::Error) -> ColonyError {
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
        ValueRef::Date32(days) => {
            Kind::TimestampMicros(i64::from(days).saturating_mul(86_400_000_000))
        }
        ValueRef::Text(bytes) => Kind::StringValue(String::from_utf8_lossy(bytes).into_owned()),
        ValueRef::Blob(bytes) => Kind::StringValue(const_hex::encode(bytes)),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        Connection::open_in_memory().unwrap()
    }

    /// What the gate estimates for the one column of `sql`.
    fn estimate(conn: &Connection, sql: &str) -> i64 {
        let columns = describe(conn, sql).unwrap();
        let size = or_fixed(value_bytes("c0", &columns[0].ty, 0).unwrap());
        conn.query_row(&format!("SELECT {size} FROM ({sql}) AS t(c0)"), [], |r| {
            r.get(0)
        })
        .unwrap()
    }

    #[test]
    fn nested_values_are_sized_from_their_parts() {
        let conn = conn();
        let cases = [
            ("SELECT 'xy'", 10),
            ("SELECT NULL::VARCHAR", 12),
            ("SELECT '\\xAB\\xCD'::BLOB", 8 + 4),
            // 8 + (8 + 2 × 12) + (8 + 12)
            ("SELECT [[1, 2], [3]]", 60),
            ("SELECT [['a'], NULL]", 8 + (8 + 9) + 12),
            ("SELECT NULL::VARCHAR[]", 12),
            ("SELECT []::VARCHAR[]", 8),
            ("SELECT {'a': 'xy', 'b': 1}", 8 + 10 + 12),
            ("SELECT map(['k'], ['vv'])", 8 + 9 + 10),
            ("SELECT [1, 2, 3]::INTEGER[3]", 8 + 36),
            ("SELECT ['a', 'bb']::VARCHAR[2]", 8 + 9 + 10),
            (
                "SELECT union_value(s := 'abc')::UNION(n INTEGER, s VARCHAR)",
                12 + 11,
            ),
            ("SELECT 'b'::ENUM('a', 'b')", 9),
            ("SELECT 42", 12),
        ];
        for (sql, bytes) in cases {
            assert_eq!(estimate(&conn, sql), bytes, "{sql}");
        }
    }

    /// A list too long to fit is sized by its count, and a list of lists
    /// by its parts: nothing is written out as text to be measured.
    #[test]
    fn nested_values_are_never_sized_as_text() {
        let conn = conn();
        let sql = "SELECT [range(3000000)] AS l";
        let columns = describe(&conn, sql).unwrap();
        let gate = gated(sql, &columns, 10).unwrap().unwrap();
        assert!(!gate.contains("VARCHAR"), "{gate}");
        assert_eq!(estimate(&conn, sql), 8 + 8 + 12 * 3_000_000);
    }

    #[test]
    fn types_nested_past_the_bound_are_refused() {
        let conn = conn();
        let deep = |levels: usize| format!("SELECT {}1{}", "[".repeat(levels), "]".repeat(levels));
        let sql = deep(MAX_TYPE_DEPTH);
        assert!(gated(&sql, &describe(&conn, &sql).unwrap(), 1).is_ok());
        let sql = deep(MAX_TYPE_DEPTH + 2);
        let refused = gated(&sql, &describe(&conn, &sql).unwrap(), 1).unwrap_err();
        assert!(refused.to_string().contains("64 levels"), "{refused}");
    }

    /// DuckDB streams the running size (a blocking WINDOW would hold the
    /// whole result before the first row is sized).
    #[test]
    fn the_gate_streams() {
        let conn = conn();
        let sql = "SELECT repeat('a', x::INTEGER) AS s FROM range(100) t(x)";
        let gate = gated(sql, &describe(&conn, sql).unwrap(), 10)
            .unwrap()
            .unwrap();
        let plan: String = conn
            .prepare(&format!("EXPLAIN {gate}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(plan.contains("STREAMING_WINDOW"), "{plan}");
        assert!(!plan.contains(" WINDOW "), "{plan}");
    }

    /// Rows of fixed-width columns are gated too when the row limit would
    /// let more than the budget through, and no row after the first one
    /// past the budget leaves DuckDB.
    #[test]
    fn wide_rows_are_gated_and_stop_at_the_budget() {
        let conn = conn();
        let columns: Vec<String> = (0..300).map(|i| format!("x + {i} AS c{i}")).collect();
        let sql = format!("SELECT {} FROM range(20000) t(x)", columns.join(", "));
        let described = describe(&conn, &sql).unwrap();
        assert!(
            gated(&sql, &described, 9_000).unwrap().is_none(),
            "9,001 rows fit"
        );
        let gate = gated(&sql, &described, 10_000).unwrap().unwrap();
        let rows: i64 = conn
            .query_row(&format!("SELECT count(*) FROM ({gate})"), [], |r| r.get(0))
            .unwrap();
        let row_bytes = 12 * 300;
        assert_eq!(rows, (MAX_RESULT_BYTES / row_bytes + 1) as i64);
        let answer = run(&conn, &sql, 10_000).unwrap();
        assert_eq!(answer.truncated_by, "bytes");
        assert_eq!(answer.row_count, (MAX_RESULT_BYTES / row_bytes) as i64);
    }

    #[test]
    fn dates_far_from_1970_saturate() {
        let value = convert(ValueRef::Date32(i32::MAX));
        assert_eq!(value.kind, Some(pb::value::Kind::TimestampMicros(i64::MAX)));
    }
}
