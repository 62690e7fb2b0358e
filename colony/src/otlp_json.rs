//! OTLP/JSON as the OpenTelemetry specification defines it, decoded into the
//! protobuf types (`opentelemetry-proto`'s serde), for files and OTLP/HTTP
//! bodies alike.
//!
//! `opentelemetry-proto`'s serde alone differs from the specification (and
//! from the Collector's reader) in ways that lose data, so the JSON is
//! prepared first and checked after:
//!
//! * **Enum names**: proto3 JSON allows an enum by name as well as by number
//!   (`"kind": "SPAN_KIND_SERVER"`, `"code": "STATUS_CODE_ERROR"`,
//!   `"aggregationTemporality": "AGGREGATION_TEMPORALITY_CUMULATIVE"`,
//!   `"severityNumber": "SEVERITY_NUMBER_INFO"`); names are turned into their
//!   numbers.
//! * **Non-finite doubles**: proto3 JSON spells them `"NaN"`, `"Infinity"`,
//!   `"-Infinity"`. In the optional `sum`, `min` and `max` of a distribution
//!   they become absent (stored as NULL, `docs/colony.md`'s rule), in an
//!   attribute's `doubleValue` too; a number point's `asDouble` and a
//!   summary's `sum` keep the non-finite value (ingest stores it as NULL).
//! * **Nothing silently dropped**: the crate flattens a metric's data and a
//!   point's value into optional fields, and a field that fails to decode
//!   there becomes "absent" instead of an error. A metric whose `gauge`,
//!   `sum`, `histogram`, `exponentialHistogram` or `summary` did not decode,
//!   or a number point whose `asDouble`/`asInt` did not, refuses the request
//!   with the reason.
//!
//! The tree is walked with an explicit stack (no recursion), so the walk
//! itself has no depth limit. Parsing has no fixed recursion limit either:
//! [`crate::nesting`] bounds the depth first (attribute values nested up to
//! 1,000 levels) and deep documents are decoded on a large stack.

use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::logs::v1::SeverityNumber;
use opentelemetry_proto::tonic::metrics::v1::{
    AggregationTemporality, ExponentialHistogram, Gauge, Histogram, Metric, Sum, Summary, metric,
    number_data_point,
};
use opentelemetry_proto::tonic::trace::v1::{span, status};
use serde_json::Value;

/// The keys of a metric's data, one per OTLP metric type.
const DATA_KEYS: [&str; 5] = [
    "gauge",
    "sum",
    "histogram",
    "exponentialHistogram",
    "summary",
];

/// Parses OTLP/JSON text into `T` (an export request).
///
/// # Errors
/// The reason, as text: not JSON, not shaped like `T`, or a metric or point
/// whose data did not decode.
pub fn from_slice<T: serde::de::DeserializeOwned + Send + 'static>(
    bytes: &[u8],
) -> Result<T, String> {
    let depth = crate::nesting::check_json(bytes)?;
    crate::nesting::on_deep_stack(depth, || parse(bytes).and_then(from_value))?
}

/// Parses JSON text without `serde_json`'s fixed 128-level limit: call it
/// after [`crate::nesting::check_json`], on the stack that check asks for.
///
/// # Errors
/// `serde_json`'s reason, as text.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let mut parser = serde_json::Deserializer::from_slice(bytes);
    parser.disable_recursion_limit();
    let value = serde::Deserialize::deserialize(&mut parser).map_err(|e| e.to_string())?;
    parser.end().map_err(|e| e.to_string())?;
    Ok(value)
}

/// [`from_slice`] for JSON already parsed.
///
/// # Errors
/// See [`from_slice`].
pub fn from_value<T: serde::de::DeserializeOwned + 'static>(mut value: Value) -> Result<T, String> {
    use std::any::{Any, TypeId};
    let patches = take_non_finite_plain_doubles(&mut value);
    normalize(&mut value);
    if TypeId::of::<T>() != TypeId::of::<ExportMetricsServiceRequest>() {
        return serde_json::from_value(value).map_err(|e| e.to_string());
    }
    // Metrics are decoded from a borrow: the JSON is kept to find data the
    // decoding lost.
    let mut request: ExportMetricsServiceRequest =
        serde::Deserialize::deserialize(&value).map_err(|e| e.to_string())?;
    restore(&mut request, &patches);
    check_metrics(&request, &value)?;
    let request: Box<dyn Any> = Box::new(request);
    request
        .downcast::<T>()
        .map(|t| *t)
        .map_err(|_| "internal error: not a metrics request".to_string())
}

/// A non-finite double in a field the crate reads as a plain `f64` (a
/// number point's `asDouble`, a summary point's `sum`): decoded as 0, then
/// restored (ingest stores it as NULL).
#[derive(Debug, Clone, Copy)]
struct Patch {
    metric: usize,
    point: usize,
    value: f64,
}

/// Replaces `"NaN"`, `"Infinity"` and `"-Infinity"` in those fields with 0
/// and says where they were.
fn take_non_finite_plain_doubles(request: &mut Value) -> Vec<Patch> {
    fn items_mut(v: Option<&mut Value>) -> Vec<&mut Value> {
        match v {
            Some(Value::Array(items)) => items.iter_mut().collect(),
            _ => Vec::new(),
        }
    }
    let mut patches = Vec::new();
    let metrics = items_mut(request.get_mut("resourceMetrics"))
        .into_iter()
        .flat_map(|r| items_mut(r.get_mut("scopeMetrics")))
        .flat_map(|s| items_mut(s.get_mut("metrics")));
    for (metric, m) in metrics.enumerate() {
        for (data, field) in [
            ("gauge", "asDouble"),
            ("sum", "asDouble"),
            ("summary", "sum"),
        ] {
            let points = items_mut(m.get_mut(data).and_then(|d| d.get_mut("dataPoints")));
            for (point, p) in points.into_iter().enumerate() {
                let value = match p.get(field).and_then(Value::as_str) {
                    Some("NaN") => f64::NAN,
                    Some("Infinity") => f64::INFINITY,
                    Some("-Infinity") => f64::NEG_INFINITY,
                    _ => continue,
                };
                p[field] = Value::from(0);
                patches.push(Patch {
                    metric,
                    point,
                    value,
                });
            }
        }
    }
    patches
}

/// Puts the non-finite values back (see [`Patch`]).
fn restore(request: &mut ExportMetricsServiceRequest, patches: &[Patch]) {
    let mut metrics: Vec<&mut Metric> = request
        .resource_metrics
        .iter_mut()
        .flat_map(|r| &mut r.scope_metrics)
        .flat_map(|s| &mut s.metrics)
        .collect();
    for patch in patches {
        let Some(m) = metrics.get_mut(patch.metric) else {
            continue;
        };
        match &mut m.data {
            Some(metric::Data::Gauge(Gauge { data_points, .. }))
            | Some(metric::Data::Sum(Sum { data_points, .. })) => {
                if let Some(p) = data_points.get_mut(patch.point) {
                    p.value = Some(number_data_point::Value::AsDouble(patch.value));
                }
            }
            Some(metric::Data::Summary(s)) => {
                if let Some(p) = s.data_points.get_mut(patch.point) {
                    p.sum = patch.value;
                }
            }
            _ => {}
        }
    }
}

/// Turns enum names into numbers and non-finite doubles of optional fields
/// into absent ones, everywhere in the tree.
fn normalize(root: &mut Value) {
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if let Value::String(name) = v {
                        if let Some(number) = enum_number(key, name) {
                            *v = Value::from(number);
                        } else if matches!(key.as_str(), "sum" | "min" | "max" | "doubleValue")
                            && matches!(name.as_str(), "NaN" | "Infinity" | "-Infinity")
                        {
                            *v = Value::Null;
                        }
                    } else {
                        stack.push(v);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// The number of an enum given by name in the field `key`.
fn enum_number(key: &str, name: &str) -> Option<i32> {
    match key {
        "kind" => span::SpanKind::from_str_name(name).map(|k| k as i32),
        "code" => status::StatusCode::from_str_name(name).map(|c| c as i32),
        "aggregationTemporality" => AggregationTemporality::from_str_name(name).map(|t| t as i32),
        "severityNumber" => SeverityNumber::from_str_name(name).map(|s| s as i32),
        _ => None,
    }
}

/// Where metrics sit in a metrics export: `resourceMetrics[].scopeMetrics[]
/// .metrics[]`, in order.
fn metric_objects(request: &Value) -> Vec<&Value> {
    fn items(v: Option<&Value>) -> Vec<&Value> {
        match v {
            Some(Value::Array(items)) => items.iter().collect(),
            _ => Vec::new(),
        }
    }
    items(request.get("resourceMetrics"))
        .into_iter()
        .flat_map(|r| items(r.get("scopeMetrics")))
        .flat_map(|s| items(s.get("metrics")))
        .collect()
}

/// Refuses a metrics request in which data was lost in decoding: a metric
/// whose JSON carries a data key but whose decoded data is absent (the
/// crate's flattened field swallowed the error, which decoding that key
/// alone gives back), or a number point without a value.
fn check_metrics(request: &ExportMetricsServiceRequest, json: &Value) -> Result<(), String> {
    let decoded = request
        .resource_metrics
        .iter()
        .flat_map(|r| &r.scope_metrics)
        .flat_map(|s| &s.metrics);
    for (m, sent) in decoded.zip(metric_objects(json)) {
        if m.data.is_none()
            && let Some(key) = DATA_KEYS.iter().find(|k| sent.get(**k).is_some())
        {
            return Err(lost_data(&m.name, key, &sent[*key]));
        }
        check_number_points(m)?;
    }
    Ok(())
}

/// Why the `key` data of metric `name` did not decode.
fn lost_data(name: &str, key: &str, data: &Value) -> String {
    use serde::Deserialize;
    let decoded = match key {
        "gauge" => Gauge::deserialize(data).map(|_| ()),
        "sum" => Sum::deserialize(data).map(|_| ()),
        "histogram" => Histogram::deserialize(data).map(|_| ()),
        "exponentialHistogram" => ExponentialHistogram::deserialize(data).map(|_| ()),
        _ => Summary::deserialize(data).map(|_| ()),
    };
    let why = decoded
        .err()
        .map_or_else(|| "it was dropped".to_string(), |e| e.to_string());
    format!("metric \"{name}\": its {key} data is not OTLP/JSON: {why}")
}

/// A number point must carry `asDouble` or `asInt` (the data model calls a
/// point without one invalid), unless flagged "no recorded value".
fn check_number_points(m: &Metric) -> Result<(), String> {
    let points = match &m.data {
        Some(metric::Data::Gauge(g)) => &g.data_points,
        Some(metric::Data::Sum(s)) => &s.data_points,
        _ => return Ok(()),
    };
    match points
        .iter()
        .position(|p| p.value.is_none() && p.flags & 1 == 0)
    {
        Some(i) => Err(format!(
            "metric \"{}\": point {} has no asDouble or asInt value (or one that is not a number)",
            m.name,
            i + 1
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;

    use super::*;

    #[test]
    fn enum_names_and_numbers_both_decode() {
        let by_name = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_SERVER","status":{"code":"STATUS_CODE_ERROR"}}]}]}]}"#;
        let by_number =
            r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":2,"status":{"code":2}}]}]}]}"#;
        for text in [by_name, by_number] {
            let r: ExportTraceServiceRequest = from_slice(text.as_bytes()).unwrap();
            let span = &r.resource_spans[0].scope_spans[0].spans[0];
            assert_eq!(span.kind, span::SpanKind::Server as i32);
            assert_eq!(span.status.as_ref().unwrap().code, 2);
        }
        let temporality = r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"c","sum":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","isMonotonic":true,"dataPoints":[{"timeUnixNano":"1","asInt":"3"}]}}]}]}]}"#;
        let r: ExportMetricsServiceRequest = from_slice(temporality.as_bytes()).unwrap();
        match &r.resource_metrics[0].scope_metrics[0].metrics[0].data {
            Some(metric::Data::Sum(s)) => assert_eq!(s.aggregation_temporality, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_finite_sums_become_absent_and_lost_data_is_refused() {
        let nan_sum = r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"h","histogram":{"aggregationTemporality":1,"dataPoints":[{"timeUnixNano":"1","count":"1","sum":"NaN","bucketCounts":["1"]}]}}]}]}]}"#;
        let r: ExportMetricsServiceRequest = from_slice(nan_sum.as_bytes()).unwrap();
        match &r.resource_metrics[0].scope_metrics[0].metrics[0].data {
            Some(metric::Data::Histogram(h)) => {
                assert_eq!(h.data_points.len(), 1);
                assert_eq!(h.data_points[0].sum, None);
            }
            other => panic!("{other:?}"),
        }
        // A bound that is not a number: the metric's data would vanish.
        let bad_bound = nan_sum.replace(
            r#""bucketCounts":["1"]"#,
            r#""explicitBounds":["x"],"bucketCounts":["1","0"]"#,
        );
        let err = from_slice::<ExportMetricsServiceRequest>(bad_bound.as_bytes()).unwrap_err();
        assert!(
            err.contains("metric \"h\": its histogram data is not OTLP/JSON"),
            "{err}"
        );
        // Non-finite values of plain doubles survive decoding.
        let nan_value = r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"1","asDouble":"NaN"},{"timeUnixNano":"2","asDouble":"-Infinity"}]}},{"name":"s","summary":{"dataPoints":[{"timeUnixNano":"1","count":"1","sum":"Infinity"}]}}]}]}]}"#;
        let r: ExportMetricsServiceRequest = from_slice(nan_value.as_bytes()).unwrap();
        let metrics = &r.resource_metrics[0].scope_metrics[0].metrics;
        match (&metrics[0].data, &metrics[1].data) {
            (Some(metric::Data::Gauge(g)), Some(metric::Data::Summary(s))) => {
                assert!(
                    matches!(g.data_points[0].value, Some(number_data_point::Value::AsDouble(v)) if v.is_nan())
                );
                assert_eq!(
                    g.data_points[1].value,
                    Some(number_data_point::Value::AsDouble(f64::NEG_INFINITY))
                );
                assert_eq!(s.data_points[0].sum, f64::INFINITY);
            }
            other => panic!("{other:?}"),
        }
        // A gauge point whose value is not a number.
        let bad_value = r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"1","asDouble":"lots"}]}}]}]}]}"#;
        let err = from_slice::<ExportMetricsServiceRequest>(bad_value.as_bytes()).unwrap_err();
        assert!(err.contains("metric \"g\""), "{err}");
    }
}
