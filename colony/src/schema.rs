//! The colony's DuckDB schema. `docs/colony.md` describes every table and
//! view; keep the two in step.
//!
//! Raw data lives in three tables (`resources`, `spans`, `metric_points`);
//! everything else is a view over them, so there is one source of truth and
//! ingest never has to maintain rollups. The RFD's summary names
//! (`service_summary`, `trace_summary`, `system_metrics_rollup`) are views with
//! the columns its SQL uses.

/// The tables every colony file has (a file without them is not a colony).
pub(crate) const TABLE_NAMES: [&str; 3] = ["resources", "spans", "metric_points"];

/// [`VIEWS`] as temporary views of one connection (read-only files, whose
/// persistent views may be another version's).
pub(crate) fn temporary_views() -> String {
    VIEWS.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW")
}

/// Tables, in creation order.
pub(crate) const TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS resources (
    service_name      VARCHAR NOT NULL,
    service_namespace VARCHAR NOT NULL DEFAULT '',
    region            VARCHAR NOT NULL DEFAULT '',
    instance_id       VARCHAR NOT NULL DEFAULT '',
    host_name         VARCHAR NOT NULL DEFAULT '',
    first_seen        TIMESTAMP NOT NULL,
    last_seen         TIMESTAMP NOT NULL,
    PRIMARY KEY (service_name, instance_id)
);

CREATE TABLE IF NOT EXISTS spans (
    trace_id          VARCHAR NOT NULL,
    span_id           VARCHAR NOT NULL,
    parent_span_id    VARCHAR NOT NULL DEFAULT '',
    service_name      VARCHAR NOT NULL,
    service_namespace VARCHAR NOT NULL DEFAULT '',
    region            VARCHAR NOT NULL DEFAULT '',
    instance_id       VARCHAR NOT NULL DEFAULT '',
    name              VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    "timestamp"       TIMESTAMP NOT NULL,
    start_time_unix_nano BIGINT NOT NULL,
    duration_ns       BIGINT NOT NULL,
    status_code       VARCHAR NOT NULL,
    status_message    VARCHAR NOT NULL DEFAULT '',
    http_method       VARCHAR,
    http_route        VARCHAR,
    http_status_code  INTEGER,
    is_error          BOOLEAN NOT NULL,
    attributes        JSON
);

CREATE TABLE IF NOT EXISTS metric_points (
    service_name      VARCHAR NOT NULL,
    instance_id       VARCHAR NOT NULL DEFAULT '',
    host_name         VARCHAR NOT NULL DEFAULT '',
    metric_name       VARCHAR NOT NULL,
    unit              VARCHAR NOT NULL DEFAULT '',
    kind              VARCHAR NOT NULL,
    "timestamp"       TIMESTAMP NOT NULL,
    time_unix_nano    BIGINT NOT NULL,
    value             DOUBLE,
    count             BIGINT,
    sum               DOUBLE,
    attributes        JSON
);
"#;

/// Columns added to `metric_points` after its first release (the OTLP
/// fields a distribution needs), in one place for new and older files
/// alike, so the column order — which the appender relies on — is the same
/// in both. Opening an older file for writing adds them.
pub(crate) const METRIC_POINT_COLUMNS: &str = r#"
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS start_time_unix_nano BIGINT;
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS temporality VARCHAR;
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS is_monotonic BOOLEAN;
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS flags BIGINT;
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS min DOUBLE;
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS max DOUBLE;
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS bucket_bounds DOUBLE[];
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS bucket_counts BIGINT[];
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS exponential STRUCT(
    scale INTEGER, zero_count BIGINT, zero_threshold DOUBLE,
    positive_offset INTEGER, positive_counts BIGINT[],
    negative_offset INTEGER, negative_counts BIGINT[]);
"#;

/// Staging twins of the telemetry tables on the writer connection
/// (temporary, so no reader sees them): a batch is appended there, then
/// moved into the table without the records already stored (see
/// `ingest`).
pub(crate) const STAGED_SPANS: &str = "staged_spans";
/// See [`STAGED_SPANS`].
pub(crate) const STAGED_METRIC_POINTS: &str = "staged_metric_points";

/// Creates the staging tables (after [`TABLES`] and
/// [`METRIC_POINT_COLUMNS`], whose columns they copy).
pub(crate) fn staging() -> String {
    format!(
        "CREATE TEMP TABLE IF NOT EXISTS {STAGED_SPANS} AS SELECT * FROM main.spans LIMIT 0;
         CREATE TEMP TABLE IF NOT EXISTS {STAGED_METRIC_POINTS} AS SELECT * FROM main.metric_points LIMIT 0;"
    )
}

/// The newest column of [`METRIC_POINT_COLUMNS`]: a file without it was
/// written by an older coral.
pub(crate) const NEWEST_COLUMN: (&str, &str) = ("metric_points", "exponential");

/// Views (recreated on open, so a newer coral can change them).
pub(crate) const VIEWS: &str = r#"
CREATE OR REPLACE VIEW services AS
SELECT service_name,
       any_value(service_namespace) AS service_namespace,
       any_value(region)            AS region,
       count(DISTINCT instance_id)  AS instance_count,
       min(first_seen)              AS first_seen,
       max(last_seen)               AS last_seen
FROM resources
GROUP BY service_name;

CREATE OR REPLACE VIEW host_metrics AS
-- The Collector's hostmetrics receiver sends system.cpu.utilization per
-- (cpu, state) and the memory metrics per state (`state`, or the current
-- semantic conventions' `cpu.mode` / `system.memory.state`); one value per
-- instance (no attributes at all) is used as it is. CPU: the busy share
-- (every state but idle) summed, over the CPUs. Memory: the `used` state.
WITH p AS (
    SELECT "timestamp", service_name, instance_id, host_name, metric_name,
           CASE WHEN CAST(attributes AS VARCHAR) = '{}' THEN NULL ELSE value END AS value,
           CASE WHEN CAST(attributes AS VARCHAR) = '{}' THEN value END           AS bare,
           coalesce(json_extract_string(attributes, '$.state'),
                    json_extract_string(attributes, '$."cpu.mode"'),
                    json_extract_string(attributes, '$."system.cpu.state"'),
                    json_extract_string(attributes, '$."system.memory.state"')) AS state,
           json_extract_string(attributes, '$.cpu')   AS cpu
    FROM metric_points
    WHERE metric_name IN ('system.cpu.utilization', 'system.memory.utilization', 'system.memory.usage')
)
SELECT "timestamp", service_name, instance_id, any_value(host_name) AS host_name,
       coalesce(sum(value) FILTER (WHERE metric_name = 'system.cpu.utilization' AND state <> 'idle')
                    / greatest(count(DISTINCT cpu) FILTER (WHERE metric_name = 'system.cpu.utilization'), 1),
                max(bare) FILTER (WHERE metric_name = 'system.cpu.utilization')) * 100 AS cpu_percent,
       coalesce(max(value) FILTER (WHERE metric_name = 'system.memory.utilization' AND state = 'used'),
                max(bare) FILTER (WHERE metric_name = 'system.memory.utilization')) * 100 AS memory_percent,
       CAST(coalesce(max(value) FILTER (WHERE metric_name = 'system.memory.usage' AND state = 'used'),
                     max(bare) FILTER (WHERE metric_name = 'system.memory.usage')) AS BIGINT) AS memory_bytes
FROM p
GROUP BY "timestamp", service_name, instance_id;

CREATE OR REPLACE VIEW http_red AS
SELECT service_name,
       coalesce(http_route, name)                        AS route,
       time_bucket(INTERVAL 1 MINUTE, "timestamp")      AS "timestamp",
       count(*)                                          AS requests,
       count(*) FILTER (WHERE is_error)                  AS errors,
       count(*) FILTER (WHERE is_error) / count(*)       AS error_rate,
       quantile_cont(duration_ns, 0.5)                   AS p50_duration_ns,
       quantile_cont(duration_ns, 0.99)                  AS p99_duration_ns
FROM spans
WHERE kind = 'SERVER'
GROUP BY ALL;

CREATE OR REPLACE VIEW service_summary AS
SELECT service_name,
       any_value(service_namespace)                      AS service_namespace,
       any_value(region)                                 AS region,
       time_bucket(INTERVAL 1 MINUTE, "timestamp")      AS "timestamp",
       count(*)                                          AS request_count,
       count(*) FILTER (WHERE is_error)                  AS error_count,
       count(*) FILTER (WHERE is_error) / count(*)       AS error_rate,
       avg(duration_ns)                                  AS avg_duration_ns,
       quantile_cont(duration_ns, 0.5)                   AS p50_duration_ns,
       quantile_cont(duration_ns, 0.95)                  AS p95_duration_ns,
       quantile_cont(duration_ns, 0.99)                  AS p99_duration_ns
FROM spans
WHERE kind = 'SERVER'
GROUP BY service_name, time_bucket(INTERVAL 1 MINUTE, "timestamp");

CREATE OR REPLACE VIEW trace_summary AS
SELECT trace_id,
       -- The root is the span without a parent; a trace whose root has
       -- not arrived falls back to its earliest span.
       coalesce(arg_min(service_name, start_time_unix_nano) FILTER (WHERE parent_span_id = ''),
                arg_min(service_name, start_time_unix_nano)) AS service_name,
       coalesce(arg_min(name, start_time_unix_nano) FILTER (WHERE parent_span_id = ''),
                arg_min(name, start_time_unix_nano))         AS root_span_name,
       min("timestamp")                                  AS "timestamp",
       max(start_time_unix_nano + duration_ns) - min(start_time_unix_nano) AS duration_ns,
       count(*)                                          AS span_count,
       bool_or(is_error)                                 AS has_error
FROM spans
GROUP BY trace_id;

CREATE OR REPLACE VIEW metric_deltas AS
WITH series AS (
    SELECT *,
           lag(temporality) OVER w          AS prev_temporality,
           lag(value) OVER w                AS prev_value,
           lag(count) OVER w                AS prev_count,
           lag(sum) OVER w                  AS prev_sum,
           lag(time_unix_nano) OVER w       AS prev_time
    FROM metric_points
    WHERE kind IN ('sum', 'histogram', 'exponential_histogram')
      AND coalesce(flags, 0) & 1 = 0
      AND (kind <> 'sum' OR value IS NOT NULL)
    -- A series is also its start time: processes that share a resource
    -- (workers without service.instance.id) stay apart, and a restart
    -- begins a new series.
    WINDOW w AS (PARTITION BY service_name, instance_id, metric_name, attributes,
                              start_time_unix_nano
                 ORDER BY time_unix_nano)
), marked AS (
    SELECT *,
           coalesce(temporality = 'CUMULATIVE' AND prev_temporality = 'CUMULATIVE'
               AND CASE WHEN kind = 'sum' THEN NOT (is_monotonic AND value < prev_value)
                        ELSE count >= prev_count END, false) AS continues
    FROM series
)
SELECT service_name, instance_id, host_name, metric_name, unit, kind, "timestamp",
       time_unix_nano, attributes, temporality,
       CASE WHEN continues THEN prev_time ELSE start_time_unix_nano END AS interval_start_unix_nano,
       CASE WHEN kind <> 'sum' THEN NULL
            WHEN continues THEN value - prev_value ELSE value END       AS delta_value,
       CASE WHEN continues THEN count - prev_count ELSE count END       AS delta_count,
       CASE WHEN continues THEN sum - prev_sum ELSE sum END             AS delta_sum,
       temporality = 'CUMULATIVE' AND NOT continues                     AS is_reset
FROM marked;

CREATE OR REPLACE VIEW system_metrics_rollup AS
SELECT service_name,
       time_bucket(INTERVAL 1 MINUTE, "timestamp")      AS "timestamp",
       avg(cpu_percent)                                  AS cpu_percent,
       max(cpu_percent)                                  AS max_cpu_percent,
       avg(memory_percent)                               AS memory_percent,
       max(memory_percent)                               AS max_memory_percent,
       avg(memory_bytes)                                 AS memory_bytes
FROM host_metrics
GROUP BY ALL;
"#;

/// Tables and views that hold telemetry over time: raw SQL sees them through
/// the automatic time filter (see `guard`).
pub(crate) const TIME_SERIES: &[&str] = &[
    "spans",
    "metric_points",
    "host_metrics",
    "http_red",
    "service_summary",
    "trace_summary",
    "system_metrics_rollup",
    "metric_deltas",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_becomes_temporary_and_every_table_is_listed() {
        // temporary_views() rewrites one spelling: every view must use it.
        let views = VIEWS.matches("CREATE").count();
        assert_eq!(views, VIEWS.matches("CREATE OR REPLACE VIEW").count());
        assert_eq!(
            views,
            temporary_views()
                .matches("CREATE OR REPLACE TEMP VIEW")
                .count()
        );
        assert_eq!(TABLES.matches("CREATE TABLE").count(), TABLE_NAMES.len());
        for name in TABLE_NAMES {
            assert!(
                TABLES.contains(&format!("CREATE TABLE IF NOT EXISTS {name} (")),
                "{name}"
            );
        }
    }
}
