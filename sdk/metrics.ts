/**
 * Latency percentiles and error rates. Durations are nanoseconds, windows
 * milliseconds (default one hour, ending now), fractions 0–1.
 *
 * @module
 */
import { optionalNumber, requireString } from "./args.ts";
import { InvalidArgument } from "./errors.ts";
import { type Message, num, str } from "./protojson.ts";
import { transport } from "./transport.ts";
import type { ErrorStats, PercentileStats } from "./types.ts";

/** Request duration of SERVER spans, in nanoseconds. */
export const HTTP_SERVER_DURATION = "http.server.duration";

function checkFraction(p: number): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new InvalidArgument(
      `percentile must be a fraction between 0 and 1 (0.99 for P99), got ${p}`,
      "invalid_argument",
    );
  }
}

const METRIC_HINT = ` (a metric name such as "${HTTP_SERVER_DURATION}")`;

/** Checks the arguments every percentile call shares, naming `fn`. */
function checkPercentileArgs(fn: string, service: unknown, metric: unknown, timeRangeMs: unknown): void {
  requireString(fn, "service", service);
  requireString(fn, "metric", metric, METRIC_HINT);
  optionalNumber(fn, "timeRangeMs", timeRangeMs, "a window in milliseconds");
}

async function percentileStats(
  service: string,
  metric: string,
  percentile: number,
  timeRangeMs = 0,
): Promise<PercentileStats> {
  checkPercentileArgs("metrics.getPercentileStats", service, metric, timeRangeMs);
  checkFraction(percentile);
  const resp = (await transport.unary("GetPercentile", { service, metric, percentile, timeRangeMs })) as Message;
  const sampleCount = num(resp.sampleCount);
  return {
    value: sampleCount === 0 ? NaN : num(resp.value),
    unit: str(resp.unit),
    sampleCount,
    method: str(resp.method) as PercentileStats["method"],
  };
}

async function errorStats(service: string, timeRangeMs = 0): Promise<ErrorStats> {
  requireString("metrics.getErrorStats", "service", service);
  optionalNumber("metrics.getErrorStats", "timeRangeMs", timeRangeMs, "a window in milliseconds");
  const resp = (await transport.unary("GetErrorRate", { service, timeRangeMs })) as Message;
  const totalCount = num(resp.totalCount);
  return { rate: totalCount === 0 ? NaN : num(resp.rate), errorCount: num(resp.errorCount), totalCount };
}

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
export const metrics: Metrics = {
  async getPercentile(service: string, metric: string, percentile: number, timeRangeMs?: number): Promise<number> {
    checkPercentileArgs("metrics.getPercentile", service, metric, timeRangeMs);
    return (await percentileStats(service, metric, percentile, timeRangeMs)).value;
  },
  getPercentileStats: percentileStats,
  async getP50(service: string, metric = HTTP_SERVER_DURATION, timeRangeMs?: number): Promise<number> {
    checkPercentileArgs("metrics.getP50", service, metric, timeRangeMs);
    return await metrics.getPercentile(service, metric, 0.5, timeRangeMs);
  },
  async getP95(service: string, metric = HTTP_SERVER_DURATION, timeRangeMs?: number): Promise<number> {
    checkPercentileArgs("metrics.getP95", service, metric, timeRangeMs);
    return await metrics.getPercentile(service, metric, 0.95, timeRangeMs);
  },
  async getP99(service: string, metric = HTTP_SERVER_DURATION, timeRangeMs?: number): Promise<number> {
    checkPercentileArgs("metrics.getP99", service, metric, timeRangeMs);
    return await metrics.getPercentile(service, metric, 0.99, timeRangeMs);
  },
  async getErrorRate(service: string, timeRangeMs?: number): Promise<number> {
    requireString("metrics.getErrorRate", "service", service);
    optionalNumber("metrics.getErrorRate", "timeRangeMs", timeRangeMs, "a window in milliseconds");
    return (await errorStats(service, timeRangeMs)).rate;
  },
  getErrorStats: errorStats,
};
