// demo-monitor.ts — a live one-line dashboard every few seconds with setInterval (slowest P99, worst error rate); stops after --param ticks=N or at the deadline.
import * as coral from "@coral/sdk";

const everyMs = coral.params.number("every_s", 5) * 1000;
const ticks = coral.params.number("ticks", Infinity);

async function tick(n: number): Promise<void> {
  let slowest = { name: "", p95: -1 };
  let failing = { name: "", rate: -1 };
  for (const svc of await coral.services.list()) {
    const p95 = await coral.metrics.getP95(svc.name, undefined, 60_000 * 15);
    const rate = await coral.metrics.getErrorRate(svc.name, 60_000 * 15);
    if (p95 > slowest.p95) slowest = { name: svc.name, p95 };
    if (rate > failing.rate) failing = { name: svc.name, rate };
  }
  const time = new Date().toISOString().slice(11, 19);
  console.log(
    `${time} #${n}  slowest p95: ${slowest.name} ${(slowest.p95 / 1e6).toFixed(1)}ms  worst errors: ${failing.name} ${(failing.rate * 100).toFixed(1)}%`,
  );
}

let n = 0;
await tick(++n);
const timer = setInterval(async () => {
  await tick(++n);
  if (n >= ticks) clearInterval(timer);
}, everyMs);
if (n >= ticks) clearInterval(timer);
