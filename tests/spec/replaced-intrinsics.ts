// @args --deterministic --param who=ops
// @exit 1
// @stderr Uncaught Error: the script's own failure
// @stderr event checked [warning] {"p99Ms":
// A script that replaces JSON.parse, JSON.stringify, fetch and (on the wasm
// engine) Promise.prototype.then before its SDK calls still gets the
// colony's answers, its events and parameters, and a true report of its
// uncaught error: the engines take those built-ins before any module loads.
// On Deno a replaced `then` is left out: Deno's own fetch resolves through
// it (plain Deno fails the same way), so SDK calls there fail with
// ColonyUnavailable naming the script's `then` (docs/cli.md, differences).
import * as coral from "@coral/sdk";

JSON.parse = () => ({ garbled: true });
JSON.stringify = () => '"garbled"';
globalThis.fetch = () => {
  throw new Error("the script's fetch was called");
};
if (!("Deno" in globalThis)) {
  Promise.prototype.then = function () {
    throw new Error("the script's then was called");
  };
}

const services = await coral.services.list();
console.log("services:", services.map((s) => s.name).join(","));
const p99 = await coral.metrics.getP99("payments");
console.log("p99 is a number:", typeof p99 === "number" && p99 > 0);
const rows = await coral.db.query("SELECT 21 * 2 AS answer");
console.log("answer:", rows.rows[0].answer);
console.log("who:", coral.params.string("who"));
coral.emit("checked", { p99Ms: Math.round(p99 / 1e6), services: services.length }, "warning");
try {
  coral.params.number("who");
} catch (e) {
  console.log("param error:", (e as Error).message);
}

throw new Error("the script's own failure");
