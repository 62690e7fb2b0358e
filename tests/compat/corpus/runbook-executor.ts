// @args --deterministic --param runbook=https://wiki.example.com/sre/runbooks/inventory/high-error-rate --param step_timeout_ms=4000
// runbook-executor.ts — runs the "high error rate" runbook's diagnostic steps
// for one incident: each step has its own AbortSignal.timeout, reports to a
// timeline EventTarget, and links to its section of the runbook page.
import * as coral from "@coral/sdk";

const incident = crypto.randomUUID();
const runbook = new URL(coral.params.string("runbook", "https://wiki.example.com/sre/runbooks/inventory/high-error-rate"));
const stepTimeoutMs = coral.params.number("step_timeout_ms", 4000);
const timeline = new EventTarget();
const entries: { step: string; ms: number; outcome: string; detail: string }[] = [];
const t0 = Date.now();
timeline.addEventListener("step", (e) => entries.push({ ...(e as CustomEvent).detail, ms: Date.now() - t0 }));

const delay = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
  const id = setTimeout(resolve, ms);
  signal.onabort = () => { clearTimeout(id); reject(signal.reason); };
});

const steps: [string, (signal: AbortSignal) => Promise<string>][] = [
  ["confirm-errors", async () => { const s = await coral.metrics.getErrorStats("inventory", 300_000); return `${s.errorCount}/${s.totalCount} failed`; }],
  ["check-upstream", async () => { const [t] = await coral.traces.findErrors("inventory", 300_000, 1); return `${t.httpStatusCode} ${t.statusMessage}`; }],
  ["wait-for-deploy-lock", async (signal) => { await delay(10_000, signal); return "lock acquired"; }],
  ["check-hosts", async () => { const m = await coral.system.getMetrics("inventory", 300_000); return `cpu ${m.cpu_percent.toFixed(0)}% mem ${m.memory_percent.toFixed(0)}%`; }],
];
for (const [name, run] of steps) {
  const signal = AbortSignal.timeout(stepTimeoutMs);
  let outcome = "ok", detail: string;
  try {
    detail = await run(signal);
  } catch (e) {
    outcome = e instanceof DOMException && e.name === "TimeoutError" ? "timeout" : "error";
    detail = `gave up after ${stepTimeoutMs} ms`;
  }
  timeline.dispatchEvent(new CustomEvent("step", { detail: { step: name, outcome, detail } }));
}

console.log(`incident ${incident} — runbook ${runbook.pathname.split("/").at(-1)} on ${runbook.hostname}`);
console.table(entries, ["step", "ms", "outcome", "detail"]);
for (const e of entries.filter((x) => x.outcome !== "ok")) {
  const link = new URL(runbook);
  link.hash = `step-${e.step}`;
  link.searchParams.set("incident", incident.slice(0, 8));
  console.log(`follow up manually: ${link}`);
}
const index = new URL("../", runbook);
console.log(`runbook index: ${index.href}; can parse "wiki/x": ${URL.canParse("wiki/x")}, relative: ${URL.canParse("wiki/x", index)}`);
