import type { ErrorStats, PercentileStats } from "./types.ts";
/** Request duration of SERVER spans, in nanoseconds. */
export declare const HTTP_SERVER_DURATION = "http.server.duration";
/** Metrics helpers: the type of {@link metrics}. */
export interface Metrics {
    /**
     * The `percentile` (0–1) of `metric` for `service` over the last
     * `timeRangeMs` — nanoseconds for `http.server.duration`. NaN when the
     * window has no samples.
     */
    getPercentile(service: string, metric: string, percentile: number, timeRangeMs?: number): Promise<number>;
    /** `getPercentile` with its unit, sample count and method. */
    getPercentileStats(service: string, metric: string, percentile: number, timeRangeMs?: number): Promise<PercentileStats>;
    /** The median. */
    getP50(service: string, metric?: string, timeRangeMs?: number): Promise<number>;
    /** The 95th percentile. */
    getP95(service: string, metric?: string, timeRangeMs?: number): Promise<number>;
    /** The 99th percentile. */
    getP99(service: string, metric?: string, timeRangeMs?: number): Promise<number>;
    /** Failed requests / requests, 0–1, over the last `timeRangeMs`; NaN with no requests. */
    getErrorRate(service: string, timeRangeMs?: number): Promise<number>;
    /** `getErrorRate` with the error and request counts. */
    getErrorStats(service: string, timeRangeMs?: number): Promise<ErrorStats>;
}
/** Metrics helpers. */
export declare const metrics: Metrics;
