//! The QueryService's semantics, as plain functions over the store. The gRPC
//! and Connect layers only translate.
//!
//! * Windows are `[now - time_range_ms, now]` (0 means one hour).
//! * `http.server.duration` percentiles are over SERVER spans' durations in
//!   nanoseconds, with linear interpolation between closest ranks (DuckDB's
//!   `quantile_cont`, numpy's default); histogram metrics are estimated
//!   from their buckets ([`crate::histogram`]); gauges and sums from their
//!   point values.
//! * Error rate = failed requests / requests, over SERVER spans; a span fails
//!   when its status is ERROR or its HTTP status is >= 500.
//! * An unknown service is `NotFound`; an empty window is an empty answer
//!   (zero counts), never an error.

use coral_proto::colony::v1 as pb;
use duckdb::{Connection, OptionalExt, params};

use crate::call::Call;
use crate::error::ColonyError;
use crate::store::Store;

/// The default window: one hour.
pub const DEFAULT_WINDOW_MS: i64 = 3_600_000;
/// The metric name that means SERVER span durations.
pub const HTTP_SERVER_DURATION: &str = "http.server.duration";
/// Traces returned when the caller gives no limit.
pub const DEFAULT_TRACE_LIMIT: i32 = 10;
/// Most traces one call returns.
pub const MAX_TRACE_LIMIT: i32 = 1000;

/// `[start, end]` in Unix nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Inclusive start.
    pub start_ns: i64,
    /// Inclusive end (now).
    pub end_ns: i64,
}

impl Window {
    /// The window of `time_range_ms` ending at `end_ns`.
    pub fn ending_at(end_ns: i64, time_range_ms: i64) -> Result<Self, ColonyError> {
        if time_range_ms < 0 {
            return Err(ColonyError::InvalidArgument(format!(
                "time_range_ms must not be negative, got {time_range_ms}"
            )));
        }
        let ms = if time_range_ms == 0 {
            DEFAULT_WINDOW_MS
        } else {
            time_range_ms
        };
        Ok(Self {
            start_ns: end_ns.saturating_sub(ms.saturating_mul(1_000_000)),
            end_ns,
        })
    }
}

fn timestamp(micros: i64) -> pbjson_types::Timestamp {
    pbjson_types::Timestamp {
        seconds: micros.div_euclid(1_000_000),
        nanos: (micros.rem_euclid(1_000_000) * 1000) as i32,
    }
}

fn require_service(conn: &Connection, service: &str) -> Result<(), ColonyError> {
    if service.is_empty() {
        return Err(ColonyError::InvalidArgument(
            "service name is required".into(),
        ));
    }
    let known: Option<i32> = conn
        .query_row(
            "SELECT 1 FROM resources WHERE service_name = ? LIMIT 1",
            params![service],
            |r| r.get(0),
        )
        .optional()?;
    match known {
        Some(_) => Ok(()),
        None => Err(ColonyError::NotFound(format!(
            "service \"{service}\" not found"
        ))),
    }
}

const SERVICE_COLUMNS: &str =
    "service_name, service_namespace, region, instance_count, epoch_us(last_seen)";

fn service_row(r: &duckdb::Row<'_>) -> duckdb::Result<pb::Service> {
    Ok(pb::Service {
        name: r.get(0)?,
        namespace: r.get(1)?,
        region: r.get(2)?,
        instance_count: r.get::<_, i64>(3)? as i32,
        last_seen: Some(timestamp(r.get(4)?)),
    })
}

fn all_services(
    store: &Store,
    call: &Call,
) -> Result<std::sync::Arc<Vec<pb::Service>>, ColonyError> {
    store.services(call, |conn| {
        let mut stmt = conn.prepare(&format!(
            "SELECT {SERVICE_COLUMNS} FROM services ORDER BY service_name"
        ))?;
        let services = stmt
            .query_map([], service_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(services)
    })
}

/// ListServices (from the registry cached until the next write).
pub fn list_services(
    store: &Store,
    call: &Call,
    namespace: &str,
) -> Result<pb::ListServicesResponse, ColonyError> {
    let services = all_services(store, call)?
        .iter()
        .filter(|s| namespace.is_empty() || s.namespace == namespace)
        .cloned()
        .collect();
    Ok(pb::ListServicesResponse { services })
}

/// GetService.
pub fn get_service(
    store: &Store,
    call: &Call,
    name: &str,
) -> Result<pb::GetServiceResponse, ColonyError> {
    let service = all_services(store, call)?
        .iter()
        .find(|s| s.name == name)
        .cloned()
        .ok_or_else(|| ColonyError::NotFound(format!("service \"{name}\" not found")))?;
    Ok(pb::GetServiceResponse {
        service: Some(service),
    })
}

/// `GetPercentileResponse.method` for span durations.
pub const METHOD_EXACT: &str = "exact";
/// `GetPercentileResponse.method` for histogram buckets.
pub const METHOD_BUCKETS: &str = "buckets";
/// `GetPercentileResponse.method` for gauge and sum point values.
pub const METHOD_POINTS: &str = "points";

/// A percentile's value, unit, sample count and method.
type Answer = (Option<f64>, String, i64, &'static str);

/// GetPercentile: over SERVER span durations for `http.server.duration`
/// ([`METHOD_EXACT`]), over the merged buckets of a histogram metric's
/// per-interval deltas ([`METHOD_BUCKETS`], see [`crate::histogram`]), or
/// over the values of a gauge or sum ([`METHOD_POINTS`]).
///
/// # Errors
/// `InvalidArgument` for a percentile outside `[0, 1]`, a summary metric
/// (its quantiles were computed by the exporter and cannot be merged) or
/// histogram points without buckets; `NotFound` for an unknown service or
/// metric.
pub fn percentile(
    store: &Store,
    call: &Call,
    req: &pb::GetPercentileRequest,
    window: Window,
) -> Result<pb::GetPercentileResponse, ColonyError> {
    let p = req.percentile;
    if !(0.0..=1.0).contains(&p) {
        return Err(ColonyError::InvalidArgument(format!(
            "percentile must be a fraction between 0 and 1 (e.g. 0.99 for P99), got {p}"
        )));
    }
    store.read_for(call, |conn| {
        require_service(conn, &req.service)?;
        let metric = if req.metric.is_empty() { HTTP_SERVER_DURATION } else { req.metric.as_str() };
        let (value, unit, sample_count, method) = if metric == HTTP_SERVER_DURATION {
            // `p` is a validated number, so it can be part of the SQL text
            // (DuckDB wants a constant quantile).
            let (value, count) = conn.query_row(
                &format!(
                    "SELECT quantile_cont(duration_ns, {p}), count(*) FROM spans
                     WHERE service_name = ? AND kind = 'SERVER' AND start_time_unix_nano BETWEEN ? AND ?"
                ),
                params![req.service, window.start_ns, window.end_ns],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            (value, "nanoseconds".to_string(), count, METHOD_EXACT)
        } else {
            metric_percentile(conn, &req.service, metric, p, window)?
        };
        Ok(pb::GetPercentileResponse {
            value: value.unwrap_or(0.0),
            unit,
            sample_count,
            method: method.to_string(),
        })
    })
}

/// The percentile of a metric stored as points.
fn metric_percentile(
    conn: &Connection,
    service: &str,
    metric: &str,
    p: f64,
    window: Window,
) -> Result<Answer, ColonyError> {
    let known: Option<(String, String)> = conn
        .query_row(
            "SELECT any_value(unit), string_agg(DISTINCT kind, ',' ORDER BY kind) FROM metric_points
             WHERE service_name = ? AND metric_name = ? HAVING count(*) > 0",
            params![service, metric],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((unit, kinds)) = known else {
        return Err(ColonyError::NotFound(format!(
            "service \"{service}\" has no metric \"{metric}\""
        )));
    };
    let refuse = |why: String| {
        ColonyError::InvalidArgument(format!(
            "metric \"{metric}\" of service \"{service}\": {why}"
        ))
    };
    match kinds.as_str() {
        "exponential_histogram" | "histogram" | "exponential_histogram,histogram" => {
            let deltas = histogram_deltas(conn, service, metric, window)?;
            let estimate = crate::histogram::quantile(&deltas, p).map_err(|e| refuse(e.to_string()))?;
            Ok(match estimate {
                Some(e) => (Some(e.value), unit, i64::try_from(e.count).unwrap_or(i64::MAX), METHOD_BUCKETS),
                None => (None, unit, 0, METHOD_BUCKETS),
            })
        }
        "gauge" | "sum" | "gauge,sum" => {
            let (value, count) = conn.query_row(
                &format!(
                    "SELECT quantile_cont(value, {p}), count(value) FROM metric_points
                     WHERE service_name = ? AND metric_name = ? AND time_unix_nano BETWEEN ? AND ?
                       AND coalesce(flags, 0) & 1 = 0"
                ),
                params![service, metric, window.start_ns, window.end_ns],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok((value, unit, count, METHOD_POINTS))
        }
        _ if kinds.contains("summary") => Err(refuse(
            "it is a summary, whose quantiles the exporter computed over its own intervals; they cannot be merged into a percentile over a window".into(),
        )),
        _ => Err(refuse(format!(
            "its points are of different kinds ({kinds}), which do not make one distribution"
        ))),
    }
}

/// Exponential buckets as `to_json` gives them.
#[derive(serde::Deserialize)]
struct ExponentialJson {
    scale: i32,
    zero_count: u64,
    zero_threshold: f64,
    positive_offset: i32,
    positive_counts: Vec<u64>,
    negative_offset: i32,
    negative_counts: Vec<u64>,
}

/// The per-interval deltas of every series of a histogram metric that end
/// inside the window (each series read from the point before the window,
/// which a cumulative series is differenced against). A series is the
/// instance, the point attributes and the start time (so processes sharing
/// a resource stay apart; a restart begins a new series, as a reset would).
fn histogram_deltas(
    conn: &Connection,
    service: &str,
    metric: &str,
    window: Window,
) -> Result<Vec<crate::histogram::Delta>, ColonyError> {
    use crate::histogram::{Buckets, Dense, HistogramPoint, Temporality, deltas};
    let mut stmt = conn.prepare(
        "SELECT instance_id || chr(0) || coalesce(CAST(attributes AS VARCHAR), '') || chr(0)
                    || coalesce(CAST(start_time_unix_nano AS VARCHAR), ''), time_unix_nano,
                coalesce(start_time_unix_nano, 0), temporality, count, min, max,
                CAST(to_json(bucket_bounds) AS VARCHAR), CAST(to_json(bucket_counts) AS VARCHAR),
                CAST(to_json(exponential) AS VARCHAR)
         FROM (SELECT *, lead(time_unix_nano) OVER (
                         PARTITION BY instance_id, attributes, start_time_unix_nano
                         ORDER BY time_unix_nano) AS next_time
               FROM metric_points
               WHERE service_name = ? AND metric_name = ? AND time_unix_nano <= ?
                 AND kind IN ('histogram', 'exponential_histogram')
                 AND coalesce(flags, 0) & 1 = 0)
         WHERE time_unix_nano >= ? OR next_time >= ?
         ORDER BY 1, time_unix_nano",
    )?;
    let bad = |what: &str, e: serde_json::Error| {
        ColonyError::Internal(format!(
            "stored {what} of metric \"{metric}\" are unreadable: {e}"
        ))
    };
    let mut series: Vec<(String, Vec<HistogramPoint>)> = Vec::new();
    let mut rows = stmt.query(params![
        service,
        metric,
        window.end_ns,
        window.start_ns,
        window.start_ns
    ])?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(0)?;
        let bounds: Option<String> = r.get(7)?;
        let counts: Option<String> = r.get(8)?;
        let exponential: Option<String> = r.get(9)?;
        let buckets = match (exponential, bounds, counts) {
            (Some(e), _, _) => {
                let e: ExponentialJson =
                    serde_json::from_str(&e).map_err(|e| bad("exponential buckets", e))?;
                Buckets::Exponential {
                    scale: e.scale,
                    zero_count: e.zero_count,
                    zero_threshold: e.zero_threshold,
                    positive: Dense {
                        offset: e.positive_offset,
                        counts: e.positive_counts,
                    },
                    negative: Dense {
                        offset: e.negative_offset,
                        counts: e.negative_counts,
                    },
                }
            }
            (None, Some(b), Some(c)) => Buckets::Explicit {
                bounds: serde_json::from_str(&b).map_err(|e| bad("bucket bounds", e))?,
                counts: serde_json::from_str(&c).map_err(|e| bad("bucket counts", e))?,
            },
            // Stored by an older coral: no buckets (quantile() says so).
            _ => Buckets::Explicit {
                bounds: Vec::new(),
                counts: Vec::new(),
            },
        };
        let temporality: Option<String> = r.get(3)?;
        let point = HistogramPoint {
            time_ns: r.get(1)?,
            start_ns: r.get(2)?,
            temporality: temporality
                .as_deref()
                .and_then(Temporality::parse)
                .unwrap_or(Temporality::Delta),
            count: r.get::<_, Option<i64>>(4)?.unwrap_or(0).max(0) as u64,
            min: r.get(5)?,
            max: r.get(6)?,
            buckets,
        };
        match series.last_mut() {
            Some((k, points)) if *k == key => points.push(point),
            _ => series.push((key, vec![point])),
        }
    }
    Ok(series
        .iter()
        .flat_map(|(_, points)| deltas(points))
        .filter(|d| d.time_ns >= window.start_ns)
        .collect())
}

/// GetErrorRate.
pub fn error_rate(
    store: &Store,
    call: &Call,
    service: &str,
    window: Window,
) -> Result<pb::GetErrorRateResponse, ColonyError> {
    store.read_for(call, |conn| {
        require_service(conn, service)?;
        let (errors, total): (i64, i64) = conn.query_row(
            "SELECT count(*) FILTER (WHERE is_error), count(*) FROM spans
             WHERE service_name = ? AND kind = 'SERVER' AND start_time_unix_nano BETWEEN ? AND ?",
            params![service, window.start_ns, window.end_ns],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(pb::GetErrorRateResponse {
            rate: if total == 0 {
                0.0
            } else {
                errors as f64 / total as f64
            },
            error_count: errors,
            total_count: total,
        })
    })
}

fn trace_limit(limit: i32) -> Result<i64, ColonyError> {
    match limit {
        0 => Ok(DEFAULT_TRACE_LIMIT as i64),
        1..=MAX_TRACE_LIMIT => Ok(limit as i64),
        _ => Err(ColonyError::InvalidArgument(format!(
            "limit must be between 1 and {MAX_TRACE_LIMIT}, got {limit}"
        ))),
    }
}

/// Per-trace rows of one service's SERVER spans matching `filter`.
fn find_traces(
    conn: &Connection,
    service: &str,
    window: Window,
    filter: &str,
    order: &str,
    limit: i64,
    extra: &[&dyn duckdb::ToSql],
) -> Result<(Vec<pb::Trace>, i64), ColonyError> {
    let base = format!(
        "FROM spans WHERE service_name = ? AND kind = 'SERVER' AND start_time_unix_nano BETWEEN ? AND ? AND {filter}"
    );
    let mut args: Vec<&dyn duckdb::ToSql> = vec![&service, &window.start_ns, &window.end_ns];
    args.extend_from_slice(extra);
    let total: i64 = conn.query_row(
        &format!("SELECT count(DISTINCT trace_id) {base}"),
        args.as_slice(),
        |r| r.get(0),
    )?;
    let sql = format!(
        "SELECT trace_id, max(duration_ns) AS duration_ns, epoch_us(min(\"timestamp\")) AS ts,
                arg_max(name, duration_ns), arg_max(coalesce(http_status_code, 0), duration_ns),
                arg_max(status_message, duration_ns), bool_or(is_error)
         {base} GROUP BY trace_id ORDER BY {order} LIMIT {limit}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let traces = stmt
        .query_map(args.as_slice(), |r| {
            Ok(pb::Trace {
                trace_id: r.get(0)?,
                duration_ns: r.get(1)?,
                timestamp: Some(timestamp(r.get(2)?)),
                service: service.to_string(),
                span_name: r.get(3)?,
                http_status_code: r.get(4)?,
                status_message: r.get(5)?,
                error: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((traces, total))
}

/// FindSlowTraces: traces whose SERVER span in this service took at least
/// `min_duration_ns`, slowest first.
pub fn slow_traces(
    store: &Store,
    call: &Call,
    req: &pb::FindSlowTracesRequest,
    window: Window,
) -> Result<pb::FindSlowTracesResponse, ColonyError> {
    if req.min_duration_ns < 0 {
        return Err(ColonyError::InvalidArgument(
            "min_duration_ns must not be negative".into(),
        ));
    }
    let limit = trace_limit(req.limit)?;
    store.read_for(call, |conn| {
        require_service(conn, &req.service)?;
        let (traces, total_count) = find_traces(
            conn,
            &req.service,
            window,
            "duration_ns >= ?",
            "duration_ns DESC, trace_id",
            limit,
            &[&req.min_duration_ns],
        )?;
        Ok(pb::FindSlowTracesResponse {
            traces,
            total_count,
        })
    })
}

/// FindErrorTraces: traces with a failed SERVER span in this service, newest first.
pub fn error_traces(
    store: &Store,
    call: &Call,
    req: &pb::FindErrorTracesRequest,
    window: Window,
) -> Result<pb::FindErrorTracesResponse, ColonyError> {
    let limit = trace_limit(req.limit)?;
    store.read_for(call, |conn| {
        require_service(conn, &req.service)?;
        let (traces, total_count) = find_traces(
            conn,
            &req.service,
            window,
            "is_error",
            "ts DESC, trace_id",
            limit,
            &[],
        )?;
        Ok(pb::FindErrorTracesResponse {
            traces,
            total_count,
        })
    })
}

/// GetSystemMetrics: averages of the host metrics over the window.
pub fn system_metrics(
    store: &Store,
    call: &Call,
    service: &str,
    window: Window,
) -> Result<pb::GetSystemMetricsResponse, ColonyError> {
    store.read_for(call, |conn| {
        require_service(conn, service)?;
        let row = conn.query_row(
            // Rounded: a parallel average's last bits depend on summation
            // order, and answers must be the same on every run.
            "SELECT round(avg(cpu_percent), 6), round(avg(memory_percent), 6), avg(memory_bytes), count(*), epoch_us(max(\"timestamp\"))
             FROM host_metrics
             WHERE service_name = ? AND epoch_ns(\"timestamp\") BETWEEN ? AND ?",
            params![service, window.start_ns, window.end_ns],
            |r| {
                Ok((
                    r.get::<_, Option<f64>>(0)?,
                    r.get::<_, Option<f64>>(1)?,
                    r.get::<_, Option<f64>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                ))
            },
        )?;
        let (cpu, memory, bytes, count, last) = row;
        Ok(pb::GetSystemMetricsResponse {
            service: service.to_string(),
            cpu_percent: cpu.unwrap_or(0.0),
            memory_percent: memory.unwrap_or(0.0),
            memory_bytes: bytes.unwrap_or(0.0).round() as i64,
            sample_count: count,
            last_sample: last.map(timestamp),
        })
    })
}
