// high-latency-alert.ts — watches every service's P99 and error rate, alerts (console + event) when one crosses its threshold; runs until --param checks=N or the deadline.
import * as coral from "@coral/sdk";
import type { Severity } from "@coral/sdk";

const latencyMs = coral.params.number("latency_ms", 500);
const errorPct = coral.params.number("error_pct", 5);
const intervalS = coral.params.number("interval_s", 10);
const checks = coral.params.number("checks", Infinity);
const windowMs = coral.params.number("window_ms", 5 * 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How bad a reading is: over a threshold is a warning, over twice it critical. */
function severity(p99Ms: number, errPct: number): Severity | undefined {
  if (p99Ms > 2 * latencyMs || errPct > 2 * errorPct) return "critical";
  if (p99Ms > latencyMs || errPct > errorPct) return "warning";
  return undefined;
}

console.log(`Alerting on P99 > ${latencyMs}ms or errors > ${errorPct}% (window ${windowMs / 60_000} min, every ${intervalS}s)`);

for (let check = 1; check <= checks; check++) {
  const services = await coral.services.list();
  let alerts = 0;
  console.log(`\n[${new Date().toISOString()}] check ${check}: ${services.length} services`);
  for (const svc of services) {
    const p99Ms = (await coral.metrics.getP99(svc.name, undefined, windowMs)) / 1e6;
    const errors = await coral.metrics.getErrorStats(svc.name, windowMs);
    const errPct = errors.rate * 100;
    const level = severity(p99Ms, errPct);
    if (!level) continue;
    alerts++;
    console.log(
      `  ${level.toUpperCase().padEnd(8)} ${svc.name.padEnd(12)} p99 ${p99Ms.toFixed(1)}ms, errors ${errPct.toFixed(2)}% (${errors.errorCount}/${errors.totalCount})`,
    );
    coral.emit("service_unhealthy", { service: svc.name, p99Ms: Number(p99Ms.toFixed(1)), errorPct: Number(errPct.toFixed(2)) }, level);
  }
  if (alerts === 0) console.log("  all services healthy");
  if (check < checks) await sleep(intervalS * 1000);
}
