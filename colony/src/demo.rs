//! `coral colony demo`: a deterministic demo dataset over the last hour.
//!
//! Six services in two namespaces and two regions, 2–3 instances each:
//! `payments` has a slow tail (about 8% of requests take 1–2.5 s, so its P99
//! is high), `inventory` fails about 40% of its requests, the rest are
//! healthy. Every request is a trace of a SERVER span and an INTERNAL child.
//! Host metrics (CPU, memory) every 10 s per instance.
//!
//! The data is generated inside DuckDB from `range()` and `hash()`, so the
//! same `(spans, anchor)` always gives the same rows, and ten million spans
//! take seconds, not minutes. Timestamps are spread over the hour before the
//! anchor (now, by default).

use crate::error::ColonyError;
use crate::store::Store;

/// Spans in the default demo dataset (two per request).
pub const DEFAULT_SPANS: u64 = coral_proto::embed::DEFAULT_DEMO_SPANS;

/// The demo services: (name, namespace, region, instances, base latency ms,
/// error probability, slow-tail probability).
pub const SERVICES: &[(&str, &str, &str, u32, f64, f64, f64)] = &[
    ("api-gateway", "platform", "us-east-1", 3, 40.0, 0.01, 0.0),
    ("payments", "shop", "us-east-1", 3, 120.0, 0.03, 0.08),
    ("orders", "shop", "us-east-1", 2, 80.0, 0.01, 0.0),
    ("inventory", "shop", "eu-west-1", 2, 60.0, 0.40, 0.0),
    ("users", "platform", "eu-west-1", 2, 30.0, 0.005, 0.0),
    ("search", "shop", "eu-west-1", 2, 150.0, 0.01, 0.0),
];

/// What [`generate`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCounts {
    /// Spans.
    pub spans: u64,
    /// Metric points (host metrics).
    pub metric_points: u64,
}

fn list<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    format!(
        "[{}]",
        items.map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
    )
}

fn quoted<'a>(items: impl Iterator<Item = &'a str>) -> String {
    list(items.map(|s| format!("'{s}'")))
}

/// Writes the demo dataset: `spans` spans (rounded down to whole requests)
/// over the hour before `anchor_us`.
pub fn generate(store: &Store, spans: u64, anchor_us: i64) -> Result<DemoCounts, ColonyError> {
    let requests = spans / 2;
    let n = SERVICES.len();
    let names = quoted(SERVICES.iter().map(|s| s.0));
    let namespaces = quoted(SERVICES.iter().map(|s| s.1));
    let regions = quoted(SERVICES.iter().map(|s| s.2));
    let instances = list(SERVICES.iter().map(|s| s.3));
    let base = list(SERVICES.iter().map(|s| s.4));
    let error_p = list(SERVICES.iter().map(|s| s.5));
    let tail_p = list(SERVICES.iter().map(|s| s.6));
    // u(i, k): a uniform number in [0, 1) from (i, k), the same on every run.
    let sql = format!(
        r#"
CREATE TEMP MACRO u(i, k) AS (hash(i, k) % 1000000007) / 1000000007.0;
CREATE TEMP TABLE demo_requests AS
SELECT i,
       (i % {n}) + 1                                        AS s,
       lower(lpad(to_hex(hash(i, 'trace-hi')), 16, '0') || lpad(to_hex(hash(i, 'trace-lo')), 16, '0')) AS trace_id,
       lower(lpad(to_hex(hash(i, 'root')), 16, '0'))         AS root_id,
       lower(lpad(to_hex(hash(i, 'child')), 16, '0'))        AS child_id,
       {anchor_us} - CAST(u(i, 1) * 3600000000 AS BIGINT)    AS start_us,
       u(i, 2) AS u_err, u(i, 3) AS u_tail, u(i, 4) AS u_tail_len,
       greatest(u(i, 5), 1e-9) AS u1, u(i, 6) AS u2, u(i, 7) AS u_inst, u(i, 8) AS u_route
FROM range({requests}) t(i);

CREATE TEMP TABLE demo_spans AS
SELECT r.*,
       {names}[s]      AS service_name,
       {namespaces}[s] AS service_namespace,
       {regions}[s]    AS region,
       {names}[s] || '-' || CAST(floor(u_inst * {instances}[s]) AS INTEGER) AS instance_id,
       CAST(1000000 * CASE WHEN u_tail < {tail_p}[s]
                 THEN 1000 + 1500 * u_tail_len
                 ELSE {base}[s] * exp(0.35 * sqrt(-2 * ln(u1)) * cos(2 * pi() * u2))
            END AS BIGINT) AS duration_ns,
       u_err < {error_p}[s] AS failed,
       ['/api/v1/items', '/api/v1/checkout', '/api/v1/status'][1 + CAST(floor(u_route * 3) AS INTEGER)] AS route
FROM demo_requests r;

INSERT INTO resources (service_name, service_namespace, region, instance_id, host_name, first_seen, last_seen)
SELECT service_name, any_value(service_namespace), any_value(region), instance_id, instance_id || '.local',
       make_timestamp(min(start_us)), make_timestamp(max(start_us))
FROM demo_spans GROUP BY service_name, instance_id
ON CONFLICT (service_name, instance_id) DO UPDATE SET
    first_seen = least(resources.first_seen, excluded.first_seen),
    last_seen = greatest(resources.last_seen, excluded.last_seen);

INSERT INTO spans
SELECT trace_id, root_id, '', service_name, service_namespace, region, instance_id,
       'GET ' || route, 'SERVER', make_timestamp(start_us), start_us * 1000, duration_ns,
       CASE WHEN failed THEN 'ERROR' ELSE 'OK' END,
       CASE WHEN failed THEN 'upstream failure' ELSE '' END,
       'GET', route, CASE WHEN failed THEN 503 ELSE 200 END, failed,
       json_object('http.route', route)
FROM demo_spans;

INSERT INTO spans
SELECT trace_id, child_id, root_id, service_name, service_namespace, region, instance_id,
       'db.query', 'INTERNAL', make_timestamp(start_us + 100), (start_us + 100) * 1000, duration_ns // 2,
       'UNSET', '', NULL, NULL, NULL, false, json_object('db.system', 'postgresql')
FROM demo_spans;

INSERT INTO metric_points (service_name, instance_id, host_name, metric_name, unit, kind,
                           "timestamp", time_unix_nano, value, count, sum, attributes)
SELECT r.service_name, r.instance_id, r.host_name, m.name, m.unit, 'gauge',
       make_timestamp(t.ts), t.ts * 1000,
       CASE m.name
           WHEN 'system.cpu.utilization'    THEN least(0.99, 0.15 + 0.5 * u(hash(r.instance_id), t.ts) * CASE WHEN r.service_name = 'payments' THEN 1.4 ELSE 1 END)
           WHEN 'system.memory.utilization' THEN 0.35 + 0.3 * u(hash(r.instance_id), t.ts + 1)
           ELSE 8589934592 * (0.35 + 0.3 * u(hash(r.instance_id), t.ts + 1))
       END,
       NULL, NULL, '{{}}'
FROM resources r
JOIN (SELECT DISTINCT service_name FROM demo_spans) d USING (service_name)
CROSS JOIN (SELECT {anchor_us} - i * 10000000 AS ts FROM range(360) t(i)) t
CROSS JOIN (VALUES ('system.cpu.utilization', '1'), ('system.memory.utilization', '1'), ('system.memory.usage', 'By')) m(name, unit);

DROP TABLE demo_spans;
DROP TABLE demo_requests;
DROP MACRO u;
"#
    );
    store.write(|conn| {
        let before: i64 = conn.query_row("SELECT count(*) FROM metric_points", [], |r| r.get(0))?;
        let tx = conn.transaction()?;
        tx.execute_batch(&sql)?;
        tx.commit()?;
        let after: i64 = conn.query_row("SELECT count(*) FROM metric_points", [], |r| r.get(0))?;
        Ok(DemoCounts {
            spans: requests * 2,
            metric_points: (after - before) as u64,
        })
    })
}
