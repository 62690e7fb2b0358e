// @args --deterministic
// Memory footprint and byte throughput per service: average resident memory in
// compact byte units, its share of the fleet, and an estimated egress rate
// (requests × a nominal 48 KiB response) in kB/s and compact bytes.
import { db, system, services } from "@coral/sdk";

const bytesCompact = new Intl.NumberFormat("en-US", { notation: "compact", style: "unit", unit: "byte", unitDisplay: "narrow", maximumFractionDigits: 1 });
const UNITS = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"];
function humanBytes(n: number): string {
  let i = 0;
  while (n >= 1000 && i < UNITS.length - 1) {
    n /= 1000;
    i++;
  }
  return new Intl.NumberFormat("en-US", { style: "unit", unit: UNITS[i], maximumFractionDigits: i === 0 ? 0 : 2 }).format(n);
}
const kbps = new Intl.NumberFormat("en-US", { style: "unit", unit: "kilobyte-per-second", maximumFractionDigits: 1 });
const mbLong = new Intl.NumberFormat("en-US", { style: "unit", unit: "megabyte", unitDisplay: "long", maximumFractionDigits: 0 });
const share = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", compactDisplay: "long", maximumFractionDigits: 2 });

const names = (await services.list()).map((s) => s.name);
const mem = await Promise.all(names.map((n) => system.getMetrics(n)));
const reqs = await db.query(`SELECT service_name, count(*) AS n FROM spans WHERE kind = 'SERVER' GROUP BY ALL ORDER BY ALL`);
const reqBy = new Map(reqs.rows.map((r) => [String(r.service_name), Number(r.n)]));
const fleet = mem.reduce((a, m) => a + m.memory_bytes, 0);

console.log("Memory and estimated egress, last hour\n");
console.log(`${"service".padEnd(12)} ${"compact".padStart(9)} ${"memory".padStart(9)} ${"share".padStart(6)} ${"egress".padStart(11)}  total`);
for (const m of mem.sort((a, b) => b.memory_bytes - a.memory_bytes)) {
  const egressBytes = (reqBy.get(m.service) ?? 0) * 48 * 1024;
  console.log(`${m.service.padEnd(12)} ${bytesCompact.format(m.memory_bytes).padStart(9)} ${humanBytes(m.memory_bytes).padStart(9)} ${share.format(m.memory_bytes / fleet).padStart(6)} ${kbps.format(egressBytes / 1000 / 3600).padStart(11)}  ${humanBytes(egressBytes)}`);
}
console.log(`\nFleet memory: ${humanBytes(fleet)} = ${bytesCompact.format(fleet)} (${mbLong.format(fleet / 1e6)}), ${compact.format(fleet)} bytes`);
console.log(`Samples: ${new Intl.NumberFormat("en-US").format(mem.reduce((a, m) => a + m.sample_count, 0))}`);
