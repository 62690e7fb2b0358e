// @args --deterministic
// db.query values arrive typed: exact integers as numbers, larger ones as
// bigint, timestamps as Dates, NULL as null; the other calls' shapes too.
import * as coral from "@coral/sdk";

const q = await coral.db.query(`
  SELECT 42::BIGINT AS small, 9007199254740993::BIGINT AS big,
         170141183460469231731687303715884105727::HUGEINT AS huge, -5::INTEGER AS neg,
         1.5::DOUBLE AS d, 'text' AS s, true AS b, NULL AS nothing,
         TIMESTAMP '2025-12-31 23:30:00.123456' AS ts,
         TIMESTAMP '1969-12-31 23:59:59.9995' AS before_epoch, [1, 2] AS list
`);
const row = q.rows[0];
for (const c of q.columns) {
  const v = row[c.name];
  const shown = v instanceof Date ? v.toISOString() : String(v);
  console.log(`${c.name} ${c.type} ${v === null ? "null" : typeof v} ${shown}`);
}
console.log(q.rowCount, q.truncated, q.executedSql.includes("LIMIT"));

const capped = await coral.db.query("SELECT * FROM range(50) t(i)", { maxRows: 10 });
console.log("capped", capped.rowCount, capped.truncated, capped.truncatedBy);
// Without the automatic limits, maxRows still caps the answer.
const uncapped = await coral.db.query("SELECT * FROM range(50) t(i)", { maxRows: 20, noAutoLimits: true });
console.log("no auto limits", uncapped.rowCount, uncapped.truncatedBy, JSON.stringify(q.truncatedBy));

const svc = await coral.services.get("payments");
console.log(svc.name, svc.namespace, svc.region, svc.instanceCount, svc.lastSeen instanceof Date);
console.log((await coral.services.list({ namespace: "platform" })).map((s) => s.name).join(","));

const stats = await coral.metrics.getErrorStats("inventory");
console.log(stats.rate === stats.errorCount / stats.totalCount, stats.totalCount);
const p = await coral.metrics.getPercentileStats("payments", "http.server.duration", 0.5);
console.log(p.unit, p.sampleCount, p.method, p.value === (await coral.metrics.getP50("payments")));
console.log("empty window:", await coral.metrics.getP99("payments", undefined, 1));

const slow = await coral.traces.findSlow("payments", 1_000_000_000, 3_600_000, 3);
console.log(slow.length, slow.every((t) => t.durationNs >= 1e9 && t.service === "payments" && t.timestamp instanceof Date));
const failed = await coral.traces.findErrors("inventory", 3_600_000, 5);
console.log(failed.length, failed.every((t) => t.error));

const sys = await coral.system.getMetrics("orders");
console.log(Object.keys(sys).join(","), sys.cpu_percent > 0 && sys.cpu_percent < 100);
