// @args --deterministic --param cpu_warn=70 --param dashboard=https://grafana.example.com/d/node-exporter/nodes
// capacity-table.ts — per-service CPU and memory over the last 30 minutes
// with instance counts, as a console.table, plus a CSV export (sized with
// Blob) and a node dashboard link selecting every host of the hot services.
import * as coral from "@coral/sdk";

const cpuWarn = coral.params.number("cpu_warn", 70);
const hosts = await coral.db.query(
  `SELECT service_name, host_name, max(cpu_percent) AS peak_cpu FROM host_metrics GROUP BY ALL ORDER BY service_name, host_name`,
  { timeRangeMs: 30 * 60_000 },
);
const rows = [];
for (const svc of await coral.services.list()) {
  const m = await coral.system.getMetrics(svc.name, 30 * 60_000);
  const peak = Math.max(...hosts.rows.filter((r) => r.service_name === svc.name).map((r) => Number(r.peak_cpu)));
  rows.push({
    service: svc.name,
    region: svc.region,
    instances: svc.instanceCount,
    samples: m.sample_count,
    cpu_avg: Math.round(m.cpu_percent * 10) / 10,
    cpu_peak: Math.round(peak * 10) / 10,
    mem_gib: Math.round((m.memory_bytes / 2 ** 30) * 100) / 100,
    flag: peak >= cpuWarn ? "HOT" : "",
  });
}
console.table(rows);

const hot = rows.filter((r) => r.flag === "HOT").map((r) => r.service);
const link = new URL(coral.params.string("dashboard", "https://grafana.example.com/d/node-exporter/nodes"));
for (const r of hosts.rows) if (hot.includes(String(r.service_name))) link.searchParams.append("var-host", String(r.host_name));
link.searchParams.set("refresh", "30s");
console.log(`hot services (peak CPU >= ${cpuWarn}%): ${hot.join(", ") || "none"}`);
console.log(`hosts selected: ${link.searchParams.getAll("var-host").length}, link: ${link.href.length} chars`);
console.log(decodeURIComponent(link.search).slice(0, 100));

const header = Object.keys(rows[0]).join(",");
const csv = [header, ...rows.map((r) => Object.values(r).join(","))].join("\n") + "\n";
const blob = new Blob([csv], { type: "text/csv" });
const firstLine = await blob.slice(0, header.length).text();
console.log(`csv export: ${rows.length} rows, ${blob.size} bytes, header ok: ${firstLine === header}, ${blob.type}`);
