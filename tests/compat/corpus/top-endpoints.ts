// @args --deterministic
// Busiest endpoints over the last hour (service × route), with request counts,
// error share and P99, then the same endpoints in a stable name order (numeric
// collation, so v2 sorts before v10).
import { db } from "@coral/sdk";

const result = await db.query(`
  SELECT service_name, http_route,
         count(*) AS requests,
         count(*) FILTER (WHERE is_error) AS errors,
         quantile_cont(duration_ns, 0.99) AS p99_ns
  FROM spans
  WHERE kind = 'SERVER' AND http_route IS NOT NULL
  GROUP BY ALL
  ORDER BY requests DESC, service_name, http_route
  LIMIT 8
`);

const int = new Intl.NumberFormat("en-US");
const pct = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const sec = new Intl.NumberFormat("en-US", { style: "unit", unit: "second", unitDisplay: "narrow", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const byName = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
const label = (r: Record<string, unknown>) => `${r.service_name} ${r.http_route}`;

console.log("Top 8 endpoints by requests (last hour)\n");
result.rows.forEach((r, i) => {
  const errShare = Number(r.errors) / Number(r.requests);
  console.log(`${String(i + 1).padStart(2)}. ${label(r).padEnd(32)} ${int.format(Number(r.requests)).padStart(5)} req  ${pct.format(errShare).padStart(6)} err  p99 ${sec.format(Number(r.p99_ns) / 1e9)}`);
});

console.log("\nSame endpoints, by name:");
const names = result.rows.map(label).concat(["api-gateway /api/v10/items", "api-gateway /api/v2/items"]);
for (const n of names.sort(byName.compare)) console.log(`  ${n}`);
