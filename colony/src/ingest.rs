//! OTLP ingest: traces and metrics (the OpenTelemetry protocol's protobuf
//! types, from gRPC or from OTLP/JSON files) into the colony's tables.
//!
//! A request is validated completely before anything is written, and written
//! in one transaction: bad input is rejected with the reason and nothing
//! already stored is touched.

use std::collections::BTreeMap;

use duckdb::types::{TimeUnit, Value as DbValue};
use duckdb::{OptionalExt, params};
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsPartialSuccess, ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::metrics::v1::{
    AggregationTemporality, ExponentialHistogramDataPoint, HistogramDataPoint, Metric,
    NumberDataPoint, metric, number_data_point,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{span, status};

use crate::error::ColonyError;
use crate::histogram::Temporality;
use crate::otlp_json;
use crate::schema;
use crate::store::Store;

/// How a record is recognised as one already stored, for one table: a
/// retried export must not count twice.
struct Identity {
    /// The table written.
    table: &'static str,
    /// Its staging twin on the writer connection (`temp.main.…`).
    staged: &'static str,
    /// The columns that make a record itself.
    key: &'static [&'static str],
    /// A time column every copy of a record shares, with zone maps: the
    /// search for copies only reads the batch's time range of the table.
    time: &'static str,
}

/// A span is its trace id, span id, service, kind and start: a retry
/// carries them all, while Zipkin's shared spans (a CLIENT and a SERVER
/// half with one span id, from two services) stay two records.
const SPAN_IDENTITY: Identity = Identity {
    table: "spans",
    staged: schema::STAGED_SPANS,
    key: &[
        "trace_id",
        "span_id",
        "service_name",
        "kind",
        "start_time_unix_nano",
    ],
    time: "start_time_unix_nano",
};

/// A metric point is its metric, resource, attributes, start and time.
const POINT_IDENTITY: Identity = Identity {
    table: "metric_points",
    staged: schema::STAGED_METRIC_POINTS,
    key: &[
        "metric_name",
        "service_name",
        "instance_id",
        "attributes",
        "start_time_unix_nano",
        "time_unix_nano",
    ],
    time: "time_unix_nano",
};

/// The smallest and largest of `times` (`None` when there are none).
fn time_range(times: impl Iterator<Item = i64>) -> Option<(i64, i64)> {
    times.fold(None, |range, t| match range {
        None => Some((t, t)),
        Some((lo, hi)) => Some((lo.min(t), hi.max(t))),
    })
}

/// Moves the staged records that are not stored yet (nor repeated in the
/// batch) into the table, inside the ingest transaction, and empties the
/// staging table. Returns how many were stored. Needs no table constraint
/// (a lake has none).
fn insert_new(
    tx: &duckdb::Transaction<'_>,
    id: &Identity,
    range: Option<(i64, i64)>,
) -> Result<usize, ColonyError> {
    let Some((lo, hi)) = range else {
        return Ok(0);
    };
    let same = id
        .key
        .iter()
        .map(|c| format!("t.{c} IS NOT DISTINCT FROM s.{c}"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let partition = id
        .key
        .iter()
        .map(|c| format!("s.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let (table, staged, time) = (id.table, id.staged, id.time);
    let stored = tx.execute(
        &format!(
            "INSERT INTO main.{table} SELECT s.* FROM temp.main.{staged} s
             WHERE NOT EXISTS (SELECT 1 FROM main.{table} t WHERE t.{time} BETWEEN ? AND ? AND {same})
             QUALIFY row_number() OVER (PARTITION BY {partition}) = 1
             -- The window operator groups rows by hash: put them back in time
             -- order, or every row group would span the batch (zone maps).
             ORDER BY s.{time}"
        ),
        params![lo, hi],
    )?;
    // Inside the transaction: a failed batch rolls its staged rows back.
    tx.execute(&format!("DELETE FROM temp.main.{staged}"), [])?;
    Ok(stored)
}

/// What one ingest call stored.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct IngestCounts {
    /// Spans written.
    pub spans: usize,
    /// Metric data points written.
    pub metric_points: usize,
    /// Spans and metric points not stored because the colony already had
    /// them (a retried export) or the request repeated them.
    pub duplicates_skipped: usize,
    /// Log records read and not stored: the colony keeps no logs yet, and a
    /// file exporter's output mixes them with spans and metrics.
    pub log_records_skipped: usize,
}

/// Who emitted the telemetry, from the resource attributes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ResourceKey {
    service_name: String,
    instance_id: String,
    service_namespace: String,
    region: String,
    host_name: String,
}

impl ResourceKey {
    fn from_resource(resource: Option<&Resource>) -> Self {
        let attrs = resource
            .map(|r| r.attributes.as_slice())
            .unwrap_or_default();
        let get = |key: &str| attr_string(attrs, key).unwrap_or_default();
        let service_name = attr_string(attrs, "service.name")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "unknown_service".into());
        Self {
            service_name,
            // Without `service.instance.id`, hosts still tell instances apart.
            instance_id: attr_string(attrs, "service.instance.id")
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| get("host.name")),
            service_namespace: get("service.namespace"),
            region: get("cloud.region"),
            host_name: get("host.name"),
        }
    }
}

/// First and last time a resource was seen in this request (µs).
type SeenRange = (i64, i64);

struct SpanRow {
    resource: usize,
    trace_id: String,
    span_id: String,
    parent_span_id: String,
    name: String,
    kind: &'static str,
    start_ns: i64,
    duration_ns: i64,
    status_code: &'static str,
    status_message: String,
    http_method: Option<String>,
    http_route: Option<String>,
    http_status_code: Option<i32>,
    is_error: bool,
    attributes: String,
}

struct MetricRow {
    resource: usize,
    metric_name: String,
    unit: String,
    time_ns: i64,
    start_ns: Option<i64>,
    attributes: String,
    point: Point,
}

fn attr_string(attrs: &[KeyValue], key: &str) -> Option<String> {
    let value = attrs.iter().find(|kv| kv.key == key)?.value.as_ref()?;
    match value.value.as_ref()? {
        any_value::Value::StringValue(s) => Some(s.clone()),
        any_value::Value::IntValue(i) => Some(i.to_string()),
        any_value::Value::DoubleValue(d) => Some(d.to_string()),
        any_value::Value::BoolValue(b) => Some(b.to_string()),
        _ => None,
    }
}

fn attr_int(attrs: &[KeyValue], key: &str) -> Option<i64> {
    let value = attrs.iter().find(|kv| kv.key == key)?.value.as_ref()?;
    match value.value.as_ref()? {
        any_value::Value::IntValue(i) => Some(*i),
        any_value::Value::StringValue(s) => s.parse().ok(),
        any_value::Value::DoubleValue(d) if d.fract() == 0.0 => Some(*d as i64),
        _ => None,
    }
}

fn any_to_json(value: &AnyValue) -> serde_json::Value {
    use serde_json::Value as J;
    match &value.value {
        Some(any_value::Value::StringValue(s)) => J::String(s.clone()),
        Some(any_value::Value::BoolValue(b)) => J::Bool(*b),
        Some(any_value::Value::IntValue(i)) => J::from(*i),
        Some(any_value::Value::DoubleValue(d)) => serde_json::Number::from_f64(*d)
            .map(J::Number)
            .unwrap_or(J::Null),
        Some(any_value::Value::ArrayValue(a)) => {
            J::Array(a.values.iter().map(any_to_json).collect())
        }
        Some(any_value::Value::KvlistValue(kv)) => attrs_to_json(&kv.values),
        Some(any_value::Value::BytesValue(b)) => J::String(const_hex::encode(b)),
        _ => J::Null,
    }
}

fn attrs_to_json(attrs: &[KeyValue]) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = attrs
        .iter()
        .map(|kv| {
            (
                kv.key.clone(),
                kv.value.as_ref().map(any_to_json).unwrap_or_default(),
            )
        })
        .collect();
    serde_json::Value::Object(map)
}

fn to_i64(ns: u64, what: &str) -> Result<i64, ColonyError> {
    i64::try_from(ns)
        .map_err(|_| ColonyError::InvalidTelemetry(format!("{what} {ns} is out of range")))
}

fn micros(ns: i64) -> DbValue {
    DbValue::Timestamp(TimeUnit::Microsecond, ns.div_euclid(1000))
}

/// Registry of the resources a request mentions.
#[derive(Default)]
struct Resources {
    keys: Vec<ResourceKey>,
    index: BTreeMap<ResourceKey, usize>,
    seen: Vec<SeenRange>,
}

impl Resources {
    fn add(&mut self, key: ResourceKey) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.keys.push(key.clone());
        self.seen.push((i64::MAX, i64::MIN));
        self.index.insert(key, self.keys.len() - 1);
        self.keys.len() - 1
    }

    fn saw(&mut self, i: usize, ns: i64) {
        let us = ns.div_euclid(1000);
        let (first, last) = &mut self.seen[i];
        *first = (*first).min(us);
        *last = (*last).max(us);
    }

    /// Namespace and region of every resource as `resources` now holds
    /// them (after [`Resources::upsert`]): a batch that lacks one still
    /// files its spans under the known one.
    fn placement(
        &self,
        tx: &duckdb::Transaction<'_>,
    ) -> Result<Vec<(String, String)>, ColonyError> {
        let mut stmt = tx.prepare(
            "SELECT service_namespace, region FROM resources WHERE service_name = ? AND instance_id = ?",
        )?;
        self.keys
            .iter()
            .map(|key| {
                if !key.service_namespace.is_empty() && !key.region.is_empty() {
                    return Ok((key.service_namespace.clone(), key.region.clone()));
                }
                let known: Option<(String, String)> = stmt
                    .query_row(params![key.service_name, key.instance_id], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()?;
                Ok(known.unwrap_or_else(|| (key.service_namespace.clone(), key.region.clone())))
            })
            .collect()
    }

    fn upsert(&self, tx: &duckdb::Transaction<'_>) -> Result<(), ColonyError> {
        let mut stmt = tx.prepare(
            "INSERT INTO resources (service_name, service_namespace, region, instance_id, host_name, first_seen, last_seen)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (service_name, instance_id) DO UPDATE SET
                 -- A batch that lacks an attribute does not erase a known one.
                 service_namespace = coalesce(nullif(excluded.service_namespace, ''), resources.service_namespace),
                 region = coalesce(nullif(excluded.region, ''), resources.region),
                 host_name = coalesce(nullif(excluded.host_name, ''), resources.host_name),
                 first_seen = least(resources.first_seen, excluded.first_seen),
                 last_seen = greatest(resources.last_seen, excluded.last_seen)",
        )?;
        for (key, &(first, last)) in self.keys.iter().zip(&self.seen) {
            if first > last {
                continue; // mentioned, but carried no data
            }
            stmt.execute(params![
                key.service_name,
                key.service_namespace,
                key.region,
                key.instance_id,
                key.host_name,
                DbValue::Timestamp(TimeUnit::Microsecond, first),
                DbValue::Timestamp(TimeUnit::Microsecond, last),
            ])?;
        }
        Ok(())
    }
}

/// Validated rows of one or more export requests, written in one transaction.
#[derive(Default)]
struct Batch {
    resources: Resources,
    spans: Vec<SpanRow>,
    metrics: Vec<MetricRow>,
}

/// Stores an OTLP trace export.
pub fn ingest_traces(
    store: &Store,
    request: &ExportTraceServiceRequest,
) -> Result<IngestCounts, ColonyError> {
    let mut batch = Batch::default();
    batch.add_traces(request)?;
    batch.write(store)
}

/// Stores an OTLP metrics export (gauges, sums and histograms; host metrics
/// arrive as `system.cpu.utilization`, `system.memory.utilization` and
/// `system.memory.usage`).
pub fn ingest_metrics(
    store: &Store,
    request: &ExportMetricsServiceRequest,
) -> Result<IngestCounts, ColonyError> {
    let mut batch = Batch::default();
    batch.add_metrics(request)?;
    batch.write(store)
}

impl Batch {
    fn add_traces(&mut self, request: &ExportTraceServiceRequest) -> Result<(), ColonyError> {
        for rs in &request.resource_spans {
            let resource = self
                .resources
                .add(ResourceKey::from_resource(rs.resource.as_ref()));
            for ss in &rs.scope_spans {
                for s in &ss.spans {
                    let row = span_row(resource, s)?;
                    self.resources.saw(resource, row.start_ns);
                    self.spans.push(row);
                }
            }
        }
        Ok(())
    }

    fn write(self, store: &Store) -> Result<IngestCounts, ColonyError> {
        let Self {
            resources,
            spans,
            metrics,
        } = self;
        let stored = store.write(|conn| {
            let tx = conn.transaction()?;
            resources.upsert(&tx)?;
            let placed = resources.placement(&tx)?;
            {
                let mut app =
                    tx.appender_to_catalog_and_db(schema::STAGED_SPANS, "temp", "main")?;
                for r in &spans {
                    let key = &resources.keys[r.resource];
                    let (namespace, region) = &placed[r.resource];
                    app.append_row(params![
                        r.trace_id,
                        r.span_id,
                        r.parent_span_id,
                        key.service_name,
                        namespace,
                        region,
                        key.instance_id,
                        r.name,
                        r.kind,
                        micros(r.start_ns),
                        r.start_ns,
                        r.duration_ns,
                        r.status_code,
                        r.status_message,
                        r.http_method,
                        r.http_route,
                        r.http_status_code,
                        r.is_error,
                        r.attributes,
                    ])?;
                }
                app.flush()?;
            }
            let stored_spans = insert_new(
                &tx,
                &SPAN_IDENTITY,
                time_range(spans.iter().map(|s| s.start_ns)),
            )?;
            {
                let mut app =
                    tx.appender_to_catalog_and_db(schema::STAGED_METRIC_POINTS, "temp", "main")?;
                for r in &metrics {
                    let key = &resources.keys[r.resource];
                    let p = &r.point;
                    app.append_row(params![
                        key.service_name,
                        key.instance_id,
                        key.host_name,
                        r.metric_name,
                        r.unit,
                        p.kind,
                        micros(r.time_ns),
                        r.time_ns,
                        p.value,
                        p.count,
                        p.sum,
                        r.attributes,
                        r.start_ns,
                        p.temporality.map(Temporality::as_str),
                        p.is_monotonic,
                        i64::from(p.flags),
                        p.min,
                        p.max,
                        p.bucket_bounds,
                        p.bucket_counts,
                        p.exponential,
                    ])?;
                }
                app.flush()?;
            }
            let stored_points = insert_new(
                &tx,
                &POINT_IDENTITY,
                time_range(metrics.iter().map(|p| p.time_ns)),
            )?;
            tx.commit()?;
            Ok((stored_spans, stored_points))
        })?;
        let (stored_spans, stored_points) = stored;
        Ok(IngestCounts {
            spans: stored_spans,
            metric_points: stored_points,
            log_records_skipped: 0,
            duplicates_skipped: (spans.len() + metrics.len())
                .saturating_sub(stored_spans + stored_points),
        })
    }
}

fn span_row(
    resource: usize,
    s: &opentelemetry_proto::tonic::trace::v1::Span,
) -> Result<SpanRow, ColonyError> {
    let bad = |why: String| ColonyError::InvalidTelemetry(format!("span \"{}\": {why}", s.name));
    if s.trace_id.len() != 16 || s.trace_id.iter().all(|b| *b == 0) {
        return Err(bad(format!(
            "trace_id must be 16 non-zero bytes, got {}",
            s.trace_id.len()
        )));
    }
    if s.span_id.len() != 8 || s.span_id.iter().all(|b| *b == 0) {
        return Err(bad(format!(
            "span_id must be 8 non-zero bytes, got {}",
            s.span_id.len()
        )));
    }
    if s.start_time_unix_nano == 0 {
        return Err(bad("start_time_unix_nano is missing".into()));
    }
    if s.end_time_unix_nano < s.start_time_unix_nano {
        return Err(bad("ends before it starts".into()));
    }
    let start_ns =
        to_i64(s.start_time_unix_nano, "start_time_unix_nano").map_err(|e| bad(e.to_string()))?;
    let duration_ns = to_i64(s.end_time_unix_nano - s.start_time_unix_nano, "duration")
        .map_err(|e| bad(e.to_string()))?;
    let kind = match span::SpanKind::try_from(s.kind).unwrap_or(span::SpanKind::Unspecified) {
        span::SpanKind::Server => "SERVER",
        span::SpanKind::Client => "CLIENT",
        span::SpanKind::Producer => "PRODUCER",
        span::SpanKind::Consumer => "CONSUMER",
        span::SpanKind::Internal => "INTERNAL",
        span::SpanKind::Unspecified => "UNSPECIFIED",
    };
    let (status_code, status_message) = match &s.status {
        Some(st) => (
            match status::StatusCode::try_from(st.code).unwrap_or(status::StatusCode::Unset) {
                status::StatusCode::Ok => "OK",
                status::StatusCode::Error => "ERROR",
                status::StatusCode::Unset => "UNSET",
            },
            st.message.clone(),
        ),
        None => ("UNSET", String::new()),
    };
    let attrs = &s.attributes;
    let http_status_code = attr_int(attrs, "http.response.status_code")
        .or_else(|| attr_int(attrs, "http.status_code"))
        .and_then(|c| i32::try_from(c).ok());
    let is_error = status_code == "ERROR" || http_status_code.is_some_and(|c| c >= 500);
    Ok(SpanRow {
        resource,
        trace_id: const_hex::encode(&s.trace_id),
        span_id: const_hex::encode(&s.span_id),
        parent_span_id: const_hex::encode(&s.parent_span_id),
        name: s.name.clone(),
        kind,
        start_ns,
        duration_ns,
        status_code,
        status_message,
        http_method: attr_string(attrs, "http.request.method")
            .or_else(|| attr_string(attrs, "http.method")),
        http_route: attr_string(attrs, "http.route"),
        http_status_code,
        is_error,
        attributes: attrs_to_json(attrs).to_string(),
    })
}

/// The values of one metric data point, whatever its OTLP type, as stored.
struct Point {
    kind: &'static str,
    start_time_unix_nano: u64,
    time_unix_nano: u64,
    /// Gauges and sums: the value; distributions: the mean.
    value: Option<f64>,
    count: Option<i64>,
    sum: Option<f64>,
    /// Sums and distributions.
    temporality: Option<Temporality>,
    /// Sums only.
    is_monotonic: Option<bool>,
    flags: u32,
    min: Option<f64>,
    max: Option<f64>,
    /// Explicit bounds and counts, as DuckDB list literals.
    bucket_bounds: Option<String>,
    bucket_counts: Option<String>,
    /// Exponential buckets, as a DuckDB struct literal.
    exponential: Option<String>,
}

impl Point {
    fn new(kind: &'static str, start: u64, time: u64, flags: u32) -> Self {
        Self {
            kind,
            start_time_unix_nano: start,
            time_unix_nano: time,
            value: None,
            count: None,
            sum: None,
            temporality: None,
            is_monotonic: None,
            flags,
            min: None,
            max: None,
            bucket_bounds: None,
            bucket_counts: None,
            exponential: None,
        }
    }

    /// Temporality, count, sum (and the mean as the value), min and max of
    /// a distribution. Non-finite doubles are stored as NULL.
    fn distribution(
        mut self,
        temporality: Option<Temporality>,
        count: u64,
        sum: Option<f64>,
        min: Option<f64>,
        max: Option<f64>,
    ) -> Result<Self, String> {
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
        self.temporality = temporality;
        self.count =
            Some(i64::try_from(count).map_err(|_| format!("count {count} is out of range"))?);
        self.sum = finite(sum);
        self.value = self.sum.filter(|_| count > 0).map(|s| s / count as f64);
        self.min = finite(min);
        self.max = finite(max);
        Ok(self)
    }
}

/// `[a, b, …]`: a DuckDB list literal (cast to the column's list type when
/// appended). Rust's `Debug` for floats round-trips and DuckDB reads it.
fn list_literal<T: std::fmt::Debug>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(|v| format!("{v:?}")).collect();
    format!("[{}]", items.join(", "))
}

fn aggregation_temporality(code: i32) -> Result<Temporality, String> {
    match AggregationTemporality::try_from(code) {
        Ok(AggregationTemporality::Delta) => Ok(Temporality::Delta),
        Ok(AggregationTemporality::Cumulative) => Ok(Temporality::Cumulative),
        _ => Err(format!(
            "aggregation_temporality {code} is not DELTA (1) or CUMULATIVE (2), which the OTLP metrics data model requires"
        )),
    }
}

/// Checks an explicit-bucket histogram point (the data model's rules) and
/// returns its bounds and counts as list literals.
fn explicit_buckets(p: &HistogramDataPoint) -> Result<(String, String), String> {
    let (bounds, counts) = (&p.explicit_bounds, &p.bucket_counts);
    if counts.len() > MAX_BUCKETS {
        return Err(format!(
            "{} buckets, more than the {MAX_BUCKETS} a point may have",
            counts.len()
        ));
    }
    if counts.is_empty() && !bounds.is_empty() {
        return Err(format!(
            "{} explicit_bounds but no bucket_counts",
            bounds.len()
        ));
    }
    if !counts.is_empty() && counts.len() != bounds.len() + 1 {
        return Err(format!(
            "{} bucket_counts for {} explicit_bounds (there must be one more count than bounds)",
            counts.len(),
            bounds.len()
        ));
    }
    if let Some(bad) = bounds.iter().find(|b| !b.is_finite()) {
        return Err(format!("explicit_bounds holds {bad}, not a finite number"));
    }
    if bounds.windows(2).any(|w| w[0] >= w[1]) {
        return Err("explicit_bounds are not strictly increasing".into());
    }
    let total = counts.iter().try_fold(0u64, |a, c| a.checked_add(*c));
    if !counts.is_empty() && total != Some(p.count) {
        return Err(format!(
            "bucket_counts add up to {}, but count is {}",
            total.map_or("more than 2^64".into(), |t| t.to_string()),
            p.count
        ));
    }
    if counts.iter().any(|c| i64::try_from(*c).is_err()) {
        return Err("a bucket count is out of range".into());
    }
    Ok((list_literal(bounds), list_literal(counts)))
}

/// Most buckets one histogram point may have (explicit, or each side of an
/// exponential one): SDKs default to 160 and percentiles merge every bucket
/// in a window, so a point with millions is refused rather than stored.
pub const MAX_BUCKETS: usize = 16_384;

/// Scales the OTLP data model allows for exponential histograms.
const EXPONENTIAL_SCALES: std::ops::RangeInclusive<i32> = -10..=20;

/// Checks an exponential histogram point and returns its buckets as a
/// struct literal.
fn exponential_buckets(p: &ExponentialHistogramDataPoint) -> Result<String, String> {
    if !EXPONENTIAL_SCALES.contains(&p.scale) {
        return Err(format!(
            "scale {} is outside {}..={}",
            p.scale,
            EXPONENTIAL_SCALES.start(),
            EXPONENTIAL_SCALES.end()
        ));
    }
    if !(p.zero_threshold.is_finite() && p.zero_threshold >= 0.0) {
        return Err(format!(
            "zero_threshold {} is not a finite number >= 0",
            p.zero_threshold
        ));
    }
    let empty = Default::default();
    let positive = p.positive.as_ref().unwrap_or(&empty);
    let negative = p.negative.as_ref().unwrap_or(&empty);
    let mut total = Some(p.zero_count);
    for side in [positive, negative] {
        if side.bucket_counts.len() > MAX_BUCKETS {
            return Err(format!(
                "{} buckets on one side, more than the {MAX_BUCKETS} a point may have",
                side.bucket_counts.len()
            ));
        }
        if i32::try_from(side.bucket_counts.len())
            .ok()
            .and_then(|n| side.offset.checked_add(n))
            .is_none()
        {
            return Err(format!("bucket offset {} is out of range", side.offset));
        }
        for c in &side.bucket_counts {
            total = total.and_then(|t| t.checked_add(*c));
        }
    }
    if total != Some(p.count) {
        return Err(format!(
            "zero_count and bucket counts add up to {}, but count is {}",
            total.map_or("more than 2^64".into(), |t| t.to_string()),
            p.count
        ));
    }
    if i64::try_from(p.count).is_err() {
        return Err(format!("count {} is out of range", p.count));
    }
    Ok(format!(
        "{{'scale': {}, 'zero_count': {}, 'zero_threshold': {:?}, 'positive_offset': {}, 'positive_counts': {}, 'negative_offset': {}, 'negative_counts': {}}}",
        p.scale,
        p.zero_count,
        p.zero_threshold,
        positive.offset,
        list_literal(&positive.bucket_counts),
        negative.offset,
        list_literal(&negative.bucket_counts),
    ))
}

/// A point and its attributes.
type Attributed<'a> = (Point, &'a [KeyValue]);

/// The points of a metric, flattened and checked.
fn points(m: &Metric) -> Result<Vec<Attributed<'_>>, String> {
    fn number(kind: &'static str, p: &NumberDataPoint) -> Point {
        let mut point = Point::new(kind, p.start_time_unix_nano, p.time_unix_nano, p.flags);
        point.value = match p.value {
            // NaN/infinite values are not measurements: stored as NULL
            // they stay out of percentiles and averages.
            Some(number_data_point::Value::AsDouble(d)) => Some(d).filter(|d| d.is_finite()),
            Some(number_data_point::Value::AsInt(i)) => Some(i as f64),
            None => None,
        };
        point
    }
    match &m.data {
        Some(metric::Data::Gauge(g)) => Ok(g
            .data_points
            .iter()
            .map(|p| (number("gauge", p), p.attributes.as_slice()))
            .collect()),
        Some(metric::Data::Sum(s)) => {
            let temporality = aggregation_temporality(s.aggregation_temporality)?;
            Ok(s.data_points
                .iter()
                .map(|p| {
                    let point = Point {
                        temporality: Some(temporality),
                        is_monotonic: Some(s.is_monotonic),
                        ..number("sum", p)
                    };
                    (point, p.attributes.as_slice())
                })
                .collect())
        }
        Some(metric::Data::Histogram(h)) => {
            let temporality = aggregation_temporality(h.aggregation_temporality)?;
            h.data_points
                .iter()
                .map(|p| {
                    let (bounds, counts) = explicit_buckets(p)?;
                    let point = Point {
                        bucket_bounds: Some(bounds),
                        bucket_counts: Some(counts),
                        ..Point::new(
                            "histogram",
                            p.start_time_unix_nano,
                            p.time_unix_nano,
                            p.flags,
                        )
                    };
                    let point =
                        point.distribution(Some(temporality), p.count, p.sum, p.min, p.max)?;
                    Ok((point, p.attributes.as_slice()))
                })
                .collect()
        }
        Some(metric::Data::ExponentialHistogram(h)) => {
            let temporality = aggregation_temporality(h.aggregation_temporality)?;
            h.data_points
                .iter()
                .map(|p| {
                    let kind = "exponential_histogram";
                    let point = Point {
                        exponential: Some(exponential_buckets(p)?),
                        ..Point::new(kind, p.start_time_unix_nano, p.time_unix_nano, p.flags)
                    };
                    let point =
                        point.distribution(Some(temporality), p.count, p.sum, p.min, p.max)?;
                    Ok((point, p.attributes.as_slice()))
                })
                .collect()
        }
        Some(metric::Data::Summary(s)) => s
            .data_points
            .iter()
            .map(|p| {
                Point::new("summary", p.start_time_unix_nano, p.time_unix_nano, p.flags)
                    .distribution(None, p.count, Some(p.sum), None, None)
                    .map(|point| (point, p.attributes.as_slice()))
            })
            .collect(),
        None => Ok(Vec::new()),
    }
}

impl Batch {
    fn add_metrics(&mut self, request: &ExportMetricsServiceRequest) -> Result<(), ColonyError> {
        for rm in &request.resource_metrics {
            let resource = self
                .resources
                .add(ResourceKey::from_resource(rm.resource.as_ref()));
            for m in rm.scope_metrics.iter().flat_map(|sm| &sm.metrics) {
                if m.name.is_empty() {
                    return Err(ColonyError::InvalidTelemetry("a metric has no name".into()));
                }
                let bad = |why: String| {
                    ColonyError::InvalidTelemetry(format!("metric \"{}\": {why}", m.name))
                };
                for (p, attributes) in points(m).map_err(bad)? {
                    if p.time_unix_nano == 0 {
                        return Err(bad("a point has no time".into()));
                    }
                    let time_ns = to_i64(p.time_unix_nano, "time_unix_nano")?;
                    let start_ns = match p.start_time_unix_nano {
                        0 => None,
                        ns => Some(to_i64(ns, "start_time_unix_nano")?),
                    };
                    self.resources.saw(resource, time_ns);
                    self.metrics.push(MetricRow {
                        resource,
                        metric_name: m.name.clone(),
                        unit: m.unit.clone(),
                        time_ns,
                        start_ns,
                        attributes: attrs_to_json(attributes).to_string(),
                        point: p,
                    });
                }
            }
        }
        Ok(())
    }
}

/// The answer to an OTLP logs export, over gRPC or HTTP: the colony stores
/// no logs, so every log record is rejected as a partial success, with the
/// reason (the OTLP specification's way to refuse data a client must not
/// send again).
pub fn reject_logs(request: &ExportLogsServiceRequest) -> ExportLogsServiceResponse {
    let rejected: usize = request
        .resource_logs
        .iter()
        .flat_map(|r| &r.scope_logs)
        .map(|s| s.log_records.len())
        .sum();
    let rejected = i64::try_from(rejected).unwrap_or(i64::MAX);
    ExportLogsServiceResponse {
        partial_success: (rejected > 0).then(|| ExportLogsPartialSuccess {
            rejected_log_records: rejected,
            error_message: format!(
                "{rejected} log records rejected: this Coral colony stores traces and metrics, not logs"
            ),
        }),
    }
}

/// One decoded line of an OTLP/JSON file.
enum Line {
    Traces(ExportTraceServiceRequest),
    Metrics(ExportMetricsServiceRequest),
    Logs(usize),
}

/// Parses an OTLP/JSON file as the OpenTelemetry Collector's file exporter
/// writes it (one export request per line: `{"resourceSpans": …}`,
/// `{"resourceMetrics": …}` or `{"resourceLogs": …}`) and stores all its
/// spans and metric points in one transaction. Log records are counted in
/// [`IngestCounts::log_records_skipped`], not stored.
///
/// # Errors
/// [`ColonyError::InvalidTelemetry`] naming `name:line` for a line that is
/// not an OTLP/JSON export request; then nothing from the file is stored.
pub fn ingest_otlp_json(
    store: &Store,
    name: &str,
    text: &str,
) -> Result<IngestCounts, ColonyError> {
    let mut traces = Vec::new();
    let mut metrics = Vec::new();
    let mut log_records_skipped = 0;
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let at = |e: String| {
            ColonyError::InvalidTelemetry(format!("{name}:{}: not OTLP/JSON: {e}", i + 1))
        };
        let depth = crate::nesting::check_json(line.as_bytes()).map_err(at)?;
        let decoded = crate::nesting::on_deep_stack(depth, || {
            let value = otlp_json::parse(line.as_bytes()).map_err(at)?;
            Ok(if value.get("resourceSpans").is_some() {
                Line::Traces(otlp_json::from_value(value).map_err(at)?)
            } else if value.get("resourceMetrics").is_some() {
                Line::Metrics(otlp_json::from_value(value).map_err(at)?)
            } else if let Some(logs) = value.get("resourceLogs") {
                Line::Logs(count_log_records(logs).ok_or_else(|| {
                    ColonyError::InvalidTelemetry(format!(
                        "{name}:{}: \"resourceLogs\" is not an OTLP/JSON logs export",
                        i + 1
                    ))
                })?)
            } else {
                return Err(ColonyError::InvalidTelemetry(format!(
                    "{name}:{}: expected an object with \"resourceSpans\", \"resourceMetrics\" or \"resourceLogs\"",
                    i + 1
                )));
            })
        })
        .map_err(at)??;
        match decoded {
            Line::Traces(request) => traces.push(request),
            Line::Metrics(request) => metrics.push(request),
            Line::Logs(records) => log_records_skipped += records,
        }
    }
    // Everything parsed and validated before one write: a bad file stores nothing.
    let mut batch = Batch::default();
    for t in &traces {
        batch.add_traces(t)?;
    }
    for m in &metrics {
        batch.add_metrics(m)?;
    }
    let stored = batch.write(store)?;
    Ok(IngestCounts {
        log_records_skipped,
        ..stored
    })
}

/// The number of log records in an OTLP/JSON `resourceLogs` array
/// (`resourceLogs[].scopeLogs[].logRecords[]`); `None` when it is not shaped
/// like one.
fn count_log_records(resource_logs: &serde_json::Value) -> Option<usize> {
    fn items(v: Option<&serde_json::Value>) -> Option<&[serde_json::Value]> {
        match v {
            None | Some(serde_json::Value::Null) => Some(&[]),
            Some(serde_json::Value::Array(items)) => Some(items),
            Some(_) => None,
        }
    }
    let mut records = 0;
    for resource in items(Some(resource_logs))? {
        for scope in items(resource.get("scopeLogs"))? {
            records += items(scope.get("logRecords"))?.len();
        }
    }
    Some(records)
}
