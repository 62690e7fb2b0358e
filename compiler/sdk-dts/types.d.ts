/**
 * The shapes SDK calls return. Units: time windows in milliseconds (default
 * one hour), durations in nanoseconds, percentiles and rates as fractions
 * 0–1.
 *
 * @module
 */
/** A service known to the colony. */
export interface Service {
    name: string;
    namespace: string;
    region: string;
    /** Distinct instances seen. */
    instanceCount: number;
    /** When telemetry last arrived (null if never). */
    lastSeen: Date | null;
}
/** A percentile with its unit and how many samples it came from. */
export interface PercentileStats {
    /** The percentile (nanoseconds for durations); NaN when there were no samples. */
    value: number;
    /** `nanoseconds` for `http.server.duration`, else the metric's unit (`s` for `http.server.request.duration`). */
    unit: string;
    /** Observations behind the value: spans, histogram bucket counts, or gauge/sum points. */
    sampleCount: number;
    /**
     * How the value was computed: `"exact"` from spans, `"buckets"` estimated
     * from histogram buckets (within one bucket of the exact value), `"points"`
     * over gauge or sum values.
     */
    method: "exact" | "buckets" | "points";
}
/** An error rate with its counts. */
export interface ErrorStats {
    /** errorCount / totalCount, 0–1; NaN when there were no requests. */
    rate: number;
    errorCount: number;
    totalCount: number;
}
/** One trace (its root SERVER span in `service`). */
export interface Trace {
    traceId: string;
    durationNs: number;
    timestamp: Date | null;
    service: string;
    spanName: string;
    /** 0 when the span had no HTTP status. */
    httpStatusCode: number;
    statusMessage: string;
    error: boolean;
}
/** Host metrics of a service's instances, averaged over the window. Field names as in RFD 076. */
export interface SystemMetrics {
    service: string;
    /** 0–100; NaN when there were no samples. */
    cpu_percent: number;
    /** 0–100; NaN when there were no samples. */
    memory_percent: number;
    memory_bytes: number;
    sample_count: number;
    last_sample: Date | null;
}
/** A column of a raw SQL result. */
export interface Column {
    name: string;
    /** DuckDB type: BIGINT, DOUBLE, VARCHAR, TIMESTAMP, … */
    type: string;
}
/**
 * A value in a raw SQL row: numbers as numbers (integers beyond ±2^53 as
 * `bigint`, without precision loss), timestamps as `Date`, NULL as `null`.
 */
export type SqlValue = number | bigint | string | boolean | Date | null;
/** A row, keyed by column name. */
export type Row = Record<string, SqlValue>;
/** The result of `db.query`. */
export interface QueryResult {
    columns: Column[];
    rows: Row[];
    rowCount: number;
    /** True when the answer was cut short (see `truncatedBy`). */
    truncated: boolean;
    /**
     * Why it was cut: `"rows"` at the row cap (`maxRows`, the default 10,000 or
     * the colony's maximum of 100,000), `"bytes"` at the colony's 32 MiB answer
     * budget (select fewer or narrower columns, or aggregate); `""` when whole.
     */
    truncatedBy: "" | "rows" | "bytes";
    /** The SQL the colony ran, after its automatic limits. */
    executedSql: string;
}
/** Options of `db.query`. */
export interface QueryOptions {
    /** Most rows to return (default 10,000, or 100,000 with `noAutoLimits`; the colony caps it at 100,000). */
    maxRows?: number;
    /** Time window of the automatic filter on telemetry tables, ms (default one hour). */
    timeRangeMs?: number;
    /** Skip the automatic time filter and the default 10,000-row LIMIT (`maxRows`, the 100,000-row maximum and the 32 MiB answer budget stay). */
    noAutoLimits?: boolean;
}
/** Event severities, least to most severe. */
export type Severity = "debug" | "info" | "warning" | "error" | "critical";
