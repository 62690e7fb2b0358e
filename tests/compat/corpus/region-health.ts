// @args --deterministic
// Host health grouped by cloud region: CPU and memory utilisation per service,
// regions named for people (DisplayNames), sorted with a Collator.
import { services, system } from "@coral/sdk";

const REGION_COUNTRY: Record<string, string> = { "us-east-1": "US", "eu-west-1": "IE", "ap-northeast-1": "JP" };
const regionName = new Intl.DisplayNames("en", { type: "region" });
const pct = new Intl.NumberFormat("en-US", { style: "unit", unit: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
const gib = new Intl.NumberFormat("en-US", { style: "unit", unit: "gigabyte", unitDisplay: "long", maximumFractionDigits: 1 });
const collator = new Intl.Collator("en", { sensitivity: "base" });

const byRegion = new Map<string, { name: string; cpu: number; mem: number; bytes: number; instances: number }[]>();
for (const s of await services.list()) {
  const m = await system.getMetrics(s.name);
  const list = byRegion.get(s.region) ?? [];
  list.push({ name: s.name, cpu: m.cpu_percent, mem: m.memory_percent, bytes: m.memory_bytes, instances: s.instanceCount });
  byRegion.set(s.region, list);
}

console.log("Host utilisation by region (last hour)\n");
for (const region of [...byRegion.keys()].sort(collator.compare)) {
  const rows = byRegion.get(region)!.sort((a, b) => collator.compare(a.name, b.name));
  const country = REGION_COUNTRY[region];
  console.log(`${region} — ${country ? regionName.of(country) : "unknown location"}`);
  for (const r of rows) {
    const hot = r.cpu > 60 ? " (hot)" : "";
    console.log(`  ${r.name.padEnd(12)} cpu ${pct.format(r.cpu).padStart(6)}  mem ${pct.format(r.mem).padStart(6)}  ${gib.format(r.bytes / 1e9)} × ${r.instances}${hot}`);
  }
  const avg = rows.reduce((a, r) => a + r.cpu, 0) / rows.length;
  console.log(`  average cpu ${pct.format(avg)}\n`);
}
const names = new Intl.DisplayNames("de", { type: "region" });
console.log(`Regions (de): ${new Intl.ListFormat("de", { type: "conjunction" }).format([...byRegion.keys()].map((r) => names.of(REGION_COUNTRY[r] ?? "ZZ")!))}`);
