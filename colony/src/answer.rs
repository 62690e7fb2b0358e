//! An ExecuteQuery answer: the rows of a guarded query ([`crate::guard`])
//! as `coral.colony.v1` values, held to the answer budget
//! ([`MAX_RESULT_BYTES`], 32 MiB of row data, the budget the runtime holds
//! answers to) while they are built: in DuckDB first, then here.
//!
//! duckdb-rs copies a result out of DuckDB before a row can be looked at
//! (the whole result, then each chunk of up to 2,048 rows as Arrow), so a
//! budget applied only here came too late: one 300 MB value took the server
//! to 1.25 GB, three at once to 3.34 GB, past DuckDB's `memory_limit`. So
//! when an answer has columns of variable size (text, blobs, nested values)
//! the query runs inside a gate ([`gated`]): DuckDB sums each row's size in
//! query order (a running `sum() OVER (ROWS UNBOUNDED PRECEDING)`, which
//! DuckDB streams in order) and hands over every value of a row past the
//! budget as NULL, so no more than the budget (plus one row's NULLs per
//! row) ever leaves DuckDB. Here, the first row past the budget ends the
//! answer (`truncated_by: "bytes"`), or refuses it when it is the first.
//! Sizes are estimates of the encoded answer: text and blobs by their
//! length (blobs are sent as hex), nested values by their text, a list or
//! map with more elements than could fit by its count alone (so a huge one
//! is not written out to be measured), anything else 12 bytes.

use coral_proto::MAX_RESULT_BYTES;
use coral_proto::colony::v1 as pb;
use duckdb::Connection;
use duckdb::types::{TimeUnit, ValueRef};

use crate::error::ColonyError;

/// Name of the running-size column the gate adds.
const RUNNING_BYTES: &str = "coral_answer_bytes";

/// Estimated bytes of a value of a fixed-width type (and of NULL).
const FIXED_BYTES: usize = 12;

/// Types whose values are [`FIXED_BYTES`] (as `DESCRIBE` names them;
/// `DECIMAL(w,s)` too).
const FIXED_WIDTH: &[&str] = &[
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "DATE",
    "TIME",
    "TIME WITH TIME ZONE",
    "TIME_NS",
    "TIMESTAMP",
    "TIMESTAMP WITH TIME ZONE",
    "TIMESTAMP_S",
    "TIMESTAMP_MS",
    "TIMESTAMP_NS",
    "INTERVAL",
    "UUID",
];

/// A result column as `DESCRIBE` gives it.
struct Described {
    name: String,
    ty: String,
}

fn describe(conn: &Connection, sql: &str) -> Result<Vec<Described>, ColonyError> {
    let mut stmt = conn.prepare(&format!("DESCRIBE {sql}")).map_err(refused)?;
    let columns = stmt
        .query_map([], |r| {
            Ok(Described {
                name: r.get(0)?,
                ty: r.get(1)?,
            })
        })
        .map_err(refused)?
        .collect::<Result<_, _>>()
        .map_err(refused)?;
    Ok(columns)
}

/// DuckDB's estimate of the bytes of column `c`'s value when its type `ty`
/// has no fixed width (see the module docs); `None` when it has.
fn value_bytes(c: &str, ty: &str) -> Option<String> {
    if FIXED_WIDTH.contains(&ty) || ty.starts_with("DECIMAL(") {
        return None;
    }
    // More elements than this cannot fit, at FIXED_BYTES each.
    let most = MAX_RESULT_BYTES / FIXED_BYTES;
    let text = format!("strlen(CAST({c} AS VARCHAR))");
    Some(match ty {
        "VARCHAR" | "JSON" => format!("8 + strlen({c})"),
        "BLOB" => format!("8 + 2 * octet_length({c})"),
        // LIST (`T[]`) and ARRAY (`T[n]`).
        t if t.ends_with(']') => {
            format!("8 + CASE WHEN len({c}) > {most} THEN {FIXED_BYTES} * len({c}) ELSE {text} END")
        }
        t if t.starts_with("MAP(") => format!(
            "8 + CASE WHEN cardinality({c}) > {most} THEN {FIXED_BYTES} * cardinality({c}) ELSE {text} END"
        ),
        _ => format!("8 + {text}"),
    })
}

/// `sql` inside the gate of the module docs, its columns renamed `c0`, `c1`,
/// … and the running size added last; `None` when every column has a fixed
/// width (the answer is then bounded by its row limit alone).
fn gated(sql: &str, columns: &[Described]) -> Option<String> {
    let names: Vec<String> = (0..columns.len()).map(|i| format!("c{i}")).collect();
    let sizes: Vec<String> = names
        .iter()
        .zip(columns)
        .filter_map(|(c, d)| value_bytes(c, &d.ty))
        .map(|e| format!("coalesce({e}, {FIXED_BYTES})"))
        .collect();
    if sizes.is_empty() {
        return None;
    }
    let fixed = FIXED_BYTES * (columns.len() - sizes.len());
    let budget = MAX_RESULT_BYTES;
    let values: Vec<String> = names
        .iter()
        .map(|c| format!("CASE WHEN {RUNNING_BYTES} <= {budget} THEN {c} END"))
        .collect();
    Some(format!(
        "SELECT {values}, {RUNNING_BYTES}\n\
         FROM (SELECT *, CAST(sum({fixed} + {sizes}) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS {RUNNING_BYTES}\n\
         FROM (\n{sql}\n) AS coral_answer({names})) AS coral_sized",
        values = values.join(", "),
        sizes = sizes.join(" + "),
        names = names.join(", "),
    ))
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
    let gate = gated(sql, &described);
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
