//! Connect JSON decoding: any body to any QueryService method
//! (`coral_colony::api::call_json`, what `POST /coral.colony.v1.QueryService/<method>`
//! and the embedded colony run).
//!
//! The body is raw bytes (after a first byte below [`METHODS`]`.len()`
//! naming the method) or a JSON object built from the request fields
//! (`proto/coral/colony/v1/query.proto`, in both the protojson and the
//! proto spelling) with values at the edges of their types. Properties: an
//! answer is JSON; a refusal is typed, and never `internal` for a typed
//! method — those build their SQL themselves, so DuckDB refusing it means
//! a request reached the SQL unchecked. `ExecuteQuery` may fail inside
//! DuckDB (the SQL is the caller's) and is judged by the `sql` target.

use arbitrary::Unstructured;
use coral_colony::api::call_json;
use coral_proto::connect::Code;

use crate::{json, pick};

/// QueryService methods, and one that does not exist (also the `method`
/// of the `abi` target's colony requests).
pub const METHODS: &[&str] = &[
    "ListServices",
    "GetService",
    "GetPercentile",
    "GetErrorRate",
    "FindSlowTraces",
    "FindErrorTraces",
    "GetSystemMetrics",
    "ExecuteQuery",
    "Nope",
];

/// Request fields, in protojson (camelCase) and proto (snake_case) spelling.
const FIELDS: &[&str] = &[
    "service",
    "name",
    "namespace",
    "metric",
    "percentile",
    "timeRangeMs",
    "time_range_ms",
    "limit",
    "minDurationNs",
    "min_duration_ns",
    "sql",
    "maxRows",
    "max_rows",
    "noAutoLimits",
    "no_auto_limits",
    "traceId",
];

/// Checks one input (see the module docs).
pub fn check(data: &[u8]) {
    let (store, _) = crate::sql::colony();
    let (method, body) = match data.split_first() {
        // A method's index, then the body as it is (how seeds are stored).
        Some((&i, rest)) if usize::from(i) < METHODS.len() => {
            (METHODS[usize::from(i)], rest.to_vec())
        }
        _ => {
            let mut u = Unstructured::new(data);
            let method = pick(&mut u, METHODS);
            (
                method,
                serde_json::to_vec(&json::object(&mut u, FIELDS, 0)).unwrap_or_default(),
            )
        }
    };
    match call_json(store, &store.local_call(), method, &body) {
        Ok(answer) => {
            serde_json::from_slice::<serde_json::Value>(&answer).expect("the answer is JSON");
        }
        Err(e) => assert!(
            e.code != Code::Internal || method == "ExecuteQuery",
            "{method} {}: {e:?}",
            String::from_utf8_lossy(&body)
        ),
    }
}
