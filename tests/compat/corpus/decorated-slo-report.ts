// @args --deterministic
// decorated-slo-report.ts — an SLO report class built with TC39 decorators (@memoize, @retry, @timed, a validated accessor, a registering class decorator) and global unhandledrejection/error handlers that log failures and keep the run going.
import * as coral from "@coral/sdk";

// Global safety net: a forgotten promise or a reported error is logged, not fatal.
const incidents: string[] = [];
addEventListener("unhandledrejection", (event) => {
  const reason = event.reason instanceof Error ? `${event.reason.name}: ${event.reason.message}` : String(event.reason);
  incidents.push(`unhandled rejection (${reason})`);
  console.log(`  [safety net] unhandled rejection: ${reason}`);
  event.preventDefault();
});
addEventListener("error", (event) => {
  const err = event.error;
  incidents.push(`reported error (${err instanceof Error ? err.name : typeof err})`);
  console.log(`  [safety net] reported: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  event.preventDefault();
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

// ---- decorators ----------------------------------------------------------
const reports = new Map<string, new () => Report>();
function register(name: string) {
  return (cls: new () => Report, ctx: ClassDecoratorContext) => {
    ctx.addInitializer(() => reports.set(name, cls));
    console.log(`registering ${String(ctx.name)} as "${name}" (${ctx.kind} decorator)`);
  };
}

const calls = new Map<string, number>();
function memoize<This, A extends unknown[], R>(fn: (this: This, ...args: A) => R, ctx: ClassMethodDecoratorContext<This, (this: This, ...args: A) => R>) {
  const cache = new Map<string, R>();
  return function (this: This, ...args: A): R {
    const key = JSON.stringify(args);
    if (!cache.has(key)) {
      calls.set(String(ctx.name), (calls.get(String(ctx.name)) ?? 0) + 1);
      cache.set(key, fn.apply(this, args));
    }
    return cache.get(key)!;
  };
}

function retry(attempts: number, backoffMs: number) {
  return function <This, A extends unknown[], R>(fn: (this: This, ...args: A) => Promise<R>, ctx: ClassMethodDecoratorContext<This, (this: This, ...args: A) => Promise<R>>) {
    return async function (this: This, ...args: A): Promise<R> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn.apply(this, args);
        } catch (e) {
          if (attempt >= attempts) throw e;
          console.log(`  ${String(ctx.name)}(${args.join(", ")}) failed (${(e as Error).message}), retry ${attempt}/${attempts - 1}`);
          await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
        }
      }
    };
  };
}

// Durations are collected for a trailer but never printed (they depend on the engine).
const timings = new Map<string, number[]>();
function timed<This, A extends unknown[], R>(fn: (this: This, ...args: A) => Promise<R>, ctx: ClassMethodDecoratorContext<This, (this: This, ...args: A) => Promise<R>>) {
  return async function (this: This, ...args: A): Promise<R> {
    const start = performance.now();
    try {
      return await fn.apply(this, args);
    } finally {
      const list = timings.get(String(ctx.name)) ?? [];
      list.push(performance.now() - start);
      timings.set(String(ctx.name), list);
    }
  };
}

function fraction<This>(target: ClassAccessorDecoratorTarget<This, number>, ctx: ClassAccessorDecoratorContext<This, number>): ClassAccessorDecoratorResult<This, number> {
  return {
    set(this: This, value: number) {
      if (!(value > 0 && value < 1)) throw new RangeError(`${String(ctx.name)} must be between 0 and 1, got ${value}`);
      target.set.call(this, value);
    },
    init(value: number) {
      if (!(value > 0 && value < 1)) throw new RangeError(`${String(ctx.name)} default out of range`);
      return value;
    },
  };
}

// ---- the report ------------------------------------------------------------
type Report = { run(): Promise<void> };
const flaky = new Map<string, number>([["payments", 2]]); // the colony proxy drops the first 2 calls for payments

@register("slo")
class SloReport implements Report {
  @fraction accessor objective = 0.99;
  @fraction accessor errorBudgetAlert = 0.5;

  @memoize
  async latency(service: string): Promise<{ p50: number; p99: number }> {
    const [p50, p99] = await Promise.all([coral.metrics.getP50(service), coral.metrics.getP99(service)]);
    return { p50: p50 / 1e6, p99: p99 / 1e6 };
  }

  @retry(3, 50)
  async errors(service: string) {
    const left = flaky.get(service) ?? 0;
    if (left > 0) {
      flaky.set(service, left - 1);
      throw new Error("colony proxy: connection reset");
    }
    return await coral.metrics.getErrorStats(service);
  }

  @timed
  async run(): Promise<void> {
    const rows = [];
    for (const svc of await coral.services.list()) {
      const { p50, p99 } = await this.latency(svc.name);
      const e = await this.errors(svc.name);
      const budget = 1 - this.objective;
      const burned = e.rate / budget;
      rows.push({
        service: svc.name,
        "p50 ms": p50.toFixed(1),
        "p99 ms": p99.toFixed(1),
        "availability %": ((1 - e.rate) * 100).toFixed(2),
        "budget burned": `${(burned * 100).toFixed(0)}%`,
        status: burned >= 1 ? "BREACH" : burned >= this.errorBudgetAlert ? "at risk" : "ok",
      });
    }
    console.table(rows);
    // A second pass (e.g. a summary line) hits the memoized latencies.
    const worst = (await Promise.all(rows.map(async (r) => ({ s: r.service, p99: (await this.latency(r.service)).p99 })))).sort((a, b) => b.p99 - a.p99)[0];
    console.log(`slowest p99: ${worst.s} at ${worst.p99.toFixed(0)} ms`);
  }

  @timed
  async pageOnCall(service: string): Promise<void> {
    throw new Error(`pager integration not configured (would page for ${service})`);
  }
}

console.log(`\nreports registered: ${[...reports.keys()].join(", ")}`);
const report = new (reports.get("slo")!)() as SloReport;
console.log(`objective ${report.objective}, alert at ${report.errorBudgetAlert * 100}% of budget`);
try {
  report.objective = 99.9;
} catch (e) {
  console.log(`rejected objective: ${(e as Error).name}: ${(e as Error).message}`);
}
report.objective = 0.98;
console.log(`objective now ${report.objective}\n`);

await report.run();

// Fire-and-forget: nobody awaits the pager, so its failure surfaces as an unhandled rejection.
console.log("\npaging on-call for breaching services (fire and forget):");
report.pageOnCall("inventory");
await settle();

// A broken optional section is reported, not thrown; the rest of the report still runs.
console.log("optional section: decommissioned service details");
try {
  await coral.services.get("no-such-service");
} catch (e) {
  reportError(e);
}
reportError("plain string failure");
await settle();

console.log(`\nmemoized latency lookups: ${calls.get("latency")} colony calls for ${(await coral.services.list()).length * 2} requests`);
console.log(`timed methods: ${[...timings].map(([k, v]) => `${k}×${v.length}`).join(", ")}; all durations >= 0: ${[...timings.values()].flat().every((d) => d >= 0)}`);
console.log(`incidents caught by the safety net: ${incidents.length}`);
for (const i of incidents) console.log(`  - ${i}`);
console.log("report finished");
