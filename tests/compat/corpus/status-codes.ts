// @args --deterministic
// HTTP status breakdown per service and route: counts with grouping, shares with
// a fixed number of decimals, 5xx highlighted, routes in numeric order.
import { db } from "@coral/sdk";

const result = await db.query(`
  SELECT service_name, http_route, http_status_code, count(*) AS n
  FROM spans
  WHERE kind = 'SERVER'
  GROUP BY ALL
  ORDER BY service_name, http_route, http_status_code
`);

const int = new Intl.NumberFormat("en-US");
const share = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const collator = new Intl.Collator("en", { numeric: true });

type Key = string;
const table = new Map<Key, Map<number, number>>();
for (const r of result.rows) {
  const key = `${r.service_name} ${r.http_route ?? "(none)"}`;
  const codes = table.get(key) ?? new Map<number, number>();
  codes.set(Number(r.http_status_code), Number(r.n));
  table.set(key, codes);
}
const codes = [...new Set(result.rows.map((r) => Number(r.http_status_code)))].sort((a, b) => a - b);

console.log(`${"service route".padEnd(30)}${codes.map((c) => String(c).padStart(8)).join("")}${"5xx share".padStart(11)}`);
let totalReq = 0, total5xx = 0;
for (const key of [...table.keys()].sort(collator.compare)) {
  const row = table.get(key)!;
  const req = [...row.values()].reduce((a, b) => a + b, 0);
  const err = [...row.entries()].filter(([c]) => c >= 500).reduce((a, [, n]) => a + n, 0);
  totalReq += req;
  total5xx += err;
  const mark = err / req > 0.05 ? " !" : "";
  console.log(`${key.padEnd(30)}${codes.map((c) => int.format(row.get(c) ?? 0).padStart(8)).join("")}${share.format(err / req).padStart(11)}${mark}`);
}
console.log(`${"total".padEnd(30)}${" ".repeat(8 * codes.length)}${share.format(total5xx / totalReq).padStart(11)}`);
console.log(`\n${int.format(totalReq)} requests, ${int.format(total5xx)} with a 5xx status.`);
