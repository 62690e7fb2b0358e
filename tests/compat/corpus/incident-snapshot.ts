// @args --deterministic
// incident-snapshot.ts — builds an incident report for the worst service,
// snapshots it with structuredClone before triage edits it, and reports
// what changed and how large each version would be to attach.
import * as coral from "@coral/sdk";

const services = await coral.services.list();
const stats = new Map<string, { rate: number; errors: number; total: number }>();
for (const s of services) {
  const e = await coral.metrics.getErrorStats(s.name, 10 * 60_000);
  stats.set(s.name, { rate: e.rate, errors: e.errorCount, total: e.totalCount });
}
const [worst] = [...stats].sort((a, b) => b[1].rate - a[1].rate);
const sys = await coral.system.getMetrics(worst[0], 10 * 60_000);

const report = {
  id: crypto.randomUUID(),
  opened: new Date(),
  status: "open",
  service: worst[0],
  stats,
  host: { cpu: Number(sys.cpu_percent.toFixed(1)), mem: Number(sys.memory_percent.toFixed(1)) },
  samples: (await coral.traces.findErrors(worst[0], 10 * 60_000, 3)).map((t) => ({ traceId: t.traceId, at: t.timestamp })),
  notes: [] as string[],
};
const snapshot = structuredClone(report);

// Triage edits the live report.
report.status = "mitigating";
report.notes.push("rolled back inventory to v1.41.2");
report.stats.delete("users");
report.samples[0].traceId = "<redacted>";
report.host.cpu = 0;

const toJson = (r: typeof report) => JSON.stringify({ ...r, stats: Object.fromEntries(r.stats) });
console.log(`incident ${snapshot.id} for ${snapshot.service} (${(stats.get(worst[0])!.rate * 100).toFixed(1)}% errors)`);
console.log(`clone types: opened is Date ${snapshot.opened instanceof Date}, stats is Map ${snapshot.stats instanceof Map}, sample time ${snapshot.samples[0].at?.toISOString()}`);
console.log(`independent: ${snapshot.opened !== report.opened && snapshot.stats !== report.stats}`);
for (const key of ["status", "notes", "host", "samples"] as const) {
  const before = JSON.stringify(snapshot[key]), after = JSON.stringify(report[key]);
  console.log(`${key.padEnd(8)} ${before === after ? "unchanged" : `${before.slice(0, 40)} -> ${after.slice(0, 40)}`}`);
}
console.log(`services tracked: ${snapshot.stats.size} -> ${report.stats.size}`);
const before = new Blob([toJson(snapshot)], { type: "application/json" });
const after = new Blob([toJson(report)], { type: "application/json" });
console.log(`attachment sizes: snapshot ${before.size} B, current ${after.size} B (${after.type})`);
console.log(`first bytes: ${(await before.slice(0, 8).text())}`);
