// @args --deterministic
// A wrong argument to an SDK function is a TypeError naming the function,
// the argument and what it got, on both engines (never the colony's
// protojson error about a request field).
import * as coral from "@coral/sdk";

const attempts: [string, () => Promise<unknown>][] = [
  ["getP99 with a window as the metric", () => coral.metrics.getP99("payments", 300_000 as unknown as string)],
  ["getP95 without a service", () => (coral.metrics.getP95 as (s?: string) => Promise<number>)()],
  ["getPercentile with a negative window", () => coral.metrics.getPercentile("payments", "http.server.duration", 0.9, -5)],
  ["getPercentile with 99 as the percentile", () => coral.metrics.getPercentile("payments", "http.server.duration", 99)],
  ["getErrorRate with a string window", () => coral.metrics.getErrorRate("payments", "1h" as unknown as number)],
  ["services.get with a number", () => coral.services.get(42 as unknown as string)],
  ["traces.findSlow without a duration", () => (coral.traces.findSlow as (s: string) => Promise<unknown>)("payments")],
  ["traces.findErrors with an object limit", () => coral.traces.findErrors("payments", 0, {} as unknown as number)],
  ["system.getMetrics with an empty service", () => coral.system.getMetrics("")],
  ["db.query with no SQL", () => (coral.db.query as (s?: string) => Promise<unknown>)()],
];
for (const [label, attempt] of attempts) {
  try {
    await attempt();
    console.log(`${label}: no error`);
  } catch (e) {
    console.log(`${label}: ${(e as Error).name}: ${(e as Error).message}`);
  }
}
