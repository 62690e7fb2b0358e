// @args --deterministic
// @stderr event done [info] {"checks":12}
// @stderr coral: no colony given; querying an embedded colony with the demo dataset
// Every colony failure is an exception of a named class (never an empty
// result), and bad emit calls are TypeErrors.
import * as coral from "@coral/sdk";

async function attempt(label: string, f: () => Promise<unknown> | unknown) {
  try {
    await f();
    console.log(`${label}: no error`);
  } catch (e) {
    const err = e as coral.ColonyError;
    console.log(`${label}: ${err.name} (${err.code ?? "-"}) colony=${err instanceof coral.ColonyError} ${err.message}`);
  }
}

await attempt("unknown service", () => coral.services.get("nope"));
await attempt("unknown service p99", () => coral.metrics.getP99("nope"));
await attempt("unknown metric", () => coral.metrics.getPercentile("payments", "no.such.metric", 0.5));
await attempt("percent not fraction", () => coral.metrics.getPercentile("payments", "http.server.duration", 99));
await attempt("negative window", () => coral.metrics.getErrorRate("payments", -5));
await attempt("write", () => coral.db.query("DELETE FROM spans"));
await attempt("file read", () => coral.db.query("SELECT * FROM read_csv('/etc/passwd')"));
await attempt("two statements", () => coral.db.query("SELECT 1; SELECT 2"));
await attempt("syntax", () => coral.db.query("SELEC 1"));
await attempt("emit bad severity", () => coral.emit("x", {}, "loud" as coral.Severity));
await attempt("emit no name", () => coral.emit("", {}));
await attempt("emit bigint", () => coral.emit("x", { n: 1n }));
coral.emit("done", { checks: 12 });
console.log(coral.QueryRejected.prototype instanceof coral.ColonyError);
