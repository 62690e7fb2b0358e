// @args --deterministic
// P50/P95/P99 latency per service over the last hour, as a table in milliseconds,
// slowest first, with the services over the latency objective listed at the end.
import { metrics, services } from "@coral/sdk";

const locale = "en-US";
const objectiveMs = 500;
const ms = new Intl.NumberFormat(locale, { style: "unit", unit: "millisecond", unitDisplay: "short", maximumFractionDigits: 1 });
const count = new Intl.NumberFormat(locale);

const rows = [];
for (const svc of await services.list()) {
  const [p50, p95, p99] = await Promise.all([
    metrics.getP50(svc.name),
    metrics.getP95(svc.name),
    metrics.getPercentileStats(svc.name, "http.server.duration", 0.99),
  ]);
  rows.push({ name: svc.name, p50: p50 / 1e6, p95: p95 / 1e6, p99: p99.value / 1e6, samples: p99.sampleCount });
}
rows.sort((a, b) => b.p99 - a.p99 || a.name.localeCompare(b.name));

console.log("Latency by service, last hour\n");
console.log(`${"service".padEnd(14)}${"p50".padStart(12)}${"p95".padStart(12)}${"p99".padStart(12)}${"samples".padStart(10)}`);
console.log("-".repeat(60));
for (const r of rows) {
  const flag = r.p99 > objectiveMs ? "  ⚠" : "";
  console.log(`${r.name.padEnd(14)}${ms.format(r.p50).padStart(12)}${ms.format(r.p95).padStart(12)}${ms.format(r.p99).padStart(12)}${count.format(r.samples).padStart(10)}${flag}`);
}
console.log("-".repeat(60));
const over = rows.filter((r) => r.p99 > objectiveMs).map((r) => r.name);
const list = new Intl.ListFormat(locale, { type: "conjunction" });
console.log(over.length
  ? `Over the ${ms.format(objectiveMs)} P99 objective: ${list.format(over)}.`
  : `Every service is within the ${ms.format(objectiveMs)} P99 objective.`);
