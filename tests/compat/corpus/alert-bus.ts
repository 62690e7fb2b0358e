// @args --deterministic --param p99_ms=300 --param err_pct=2
// alert-bus.ts — a tiny in-process alert bus on EventTarget: checks publish
// CustomEvents; a silencer cancels muted ones, a pager fires once, a
// counter object tallies by severity, and the console sink unsubscribes
// through an AbortSignal once it has printed enough.
import * as coral from "@coral/sdk";

type Alert = { service: string; check: string; value: string; severity: "warning" | "critical" };
class AlertBus extends EventTarget {
  publish(alert: Alert): boolean {
    return this.dispatchEvent(new CustomEvent<Alert>("alert", { detail: alert, cancelable: true }));
  }
}
const bus = new AlertBus();
const muted = new Set(["search"]);
const tally = { warning: 0, critical: 0, muted: 0, handleEvent(e: Event) {
  const a = (e as CustomEvent<Alert>).detail;
  if (e.defaultPrevented) this.muted++; else this[a.severity]++;
} };
const sinkOff = new AbortController();
let printed = 0;

bus.addEventListener("alert", (e) => { if (muted.has((e as CustomEvent<Alert>).detail.service)) e.preventDefault(); });
bus.addEventListener("alert", (e) => {
  const a = (e as CustomEvent<Alert>).detail;
  if (e.defaultPrevented) return;
  console.log(`[${a.severity.toUpperCase().padEnd(8)}] ${a.service.padEnd(12)} ${a.check} = ${a.value}`);
  if (++printed === 4) { console.log("  (console sink: limit reached, unsubscribing)"); sinkOff.abort(); }
}, { signal: sinkOff.signal });
bus.addEventListener("alert", (e) => {
  const a = (e as CustomEvent<Alert>).detail;
  if (a.severity === "critical" && !e.defaultPrevented) console.log(`  pager: paging on-call for ${a.service} (once)`);
}, { once: true });
bus.addEventListener("alert", tally);

const p99Ms = coral.params.number("p99_ms", 300), errPct = coral.params.number("err_pct", 2);
let delivered = 0;
for (const svc of await coral.services.list()) {
  const p99 = (await coral.metrics.getP99(svc.name)) / 1e6;
  const err = (await coral.metrics.getErrorRate(svc.name)) * 100;
  const checks: Alert[] = [];
  if (p99 > p99Ms) checks.push({ service: svc.name, check: "p99", value: `${p99.toFixed(0)}ms`, severity: p99 > p99Ms * 5 ? "critical" : "warning" });
  if (err > errPct) checks.push({ service: svc.name, check: "errors", value: `${err.toFixed(1)}%`, severity: err > errPct * 10 ? "critical" : "warning" });
  if (svc.instanceCount < 3) checks.push({ service: svc.name, check: "instances", value: String(svc.instanceCount), severity: "warning" });
  for (const a of checks) if (bus.publish(a)) delivered++;
}
console.log(`delivered ${delivered}; tally warning=${tally.warning} critical=${tally.critical} muted=${tally.muted}; sink aborted=${sinkOff.signal.aborted}`);
console.log(`event type check: ${new CustomEvent("x", { detail: 1 }) instanceof Event}, bus is EventTarget: ${bus instanceof EventTarget}`);
