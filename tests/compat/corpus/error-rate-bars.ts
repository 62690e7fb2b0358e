// @args --deterministic
// Error rate per service over the last hour as horizontal bars, with counts
// and a percent scale, worst first.
import { metrics, services } from "@coral/sdk";

const pct = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = new Intl.NumberFormat("en-US");
const width = 30;

const stats = await Promise.all((await services.list()).map(async (s) => ({ name: s.name, ...(await metrics.getErrorStats(s.name)) })));
stats.sort((a, b) => b.rate - a.rate || a.name.localeCompare(b.name));
const worst = Math.max(...stats.map((s) => s.rate), 0.01);

console.log("Error rate by service (last hour)\n");
for (const s of stats) {
  const cells = Math.round((s.rate / worst) * width);
  const bar = "█".repeat(cells) + "·".repeat(width - cells);
  console.log(`${s.name.padEnd(12)} ${bar} ${pct.format(s.rate).padStart(7)}  (${int.format(s.errorCount)} of ${int.format(s.totalCount)})`);
}
const total = stats.reduce((a, s) => ({ e: a.e + s.errorCount, n: a.n + s.totalCount }), { e: 0, n: 0 });
console.log(`\nscale: full bar = ${pct.format(worst)}`);
console.log(`fleet: ${pct.format(total.e / total.n)} (${int.format(total.e)} failed of ${int.format(total.n)} requests)`);
