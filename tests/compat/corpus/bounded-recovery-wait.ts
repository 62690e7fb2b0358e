// @args --deterministic --param budget_s=22 --param poll_s=5
// bounded-recovery-wait.ts — after a mitigation, waits for each service to
// recover (error rate under 5% and P99 under 1.5 s), polling every poll_s
// seconds but never longer than budget_s: AbortSignal.timeout bounds the
// wait, an AbortController ends it early on recovery, AbortSignal.any joins them.
import * as coral from "@coral/sdk";

const budgetMs = coral.params.number("budget_s", 22) * 1000;
const pollMs = coral.params.number("poll_s", 5) * 1000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

async function waitForRecovery(service: string): Promise<string> {
  const done = new AbortController();
  const signal = AbortSignal.any([done.signal, AbortSignal.timeout(budgetMs)]);
  const start = Date.now();
  let polls = 0;
  try {
    while (true) {
      polls++;
      const err = await coral.metrics.getErrorRate(service, 60_000);
      const p99 = await coral.metrics.getP99(service, "http.server.duration", 60_000);
      if (err < 0.05 && p99 < 1.5e9) done.abort("recovered");
      signal.throwIfAborted();
      await sleep(pollMs, signal);
    }
  } catch (reason) {
    const why = reason instanceof DOMException ? `${reason.name} (code ${reason.code})` : String(reason);
    return `${service.padEnd(11)} ${String(polls).padStart(2)} polls in ${String((Date.now() - start) / 1000).padStart(4)} s: ${why}`;
  }
}

console.log(`recovery wait: poll every ${pollMs / 1000} s, budget ${budgetMs / 1000} s per service`);
const t0 = Date.now();
for (const { name } of await coral.services.list()) {
  console.log("  " + await waitForRecovery(name));
}
console.log(`total virtual time: ${(Date.now() - t0) / 1000} s`);
const pending = AbortSignal.timeout(3_600_000);
console.log(`a pending timeout does not hold the run: aborted=${pending.aborted}`);
