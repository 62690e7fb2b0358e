// Relative .ts, .js and .json imports, default/named/namespace forms,
// re-exports and live bindings, all bundled into one program.
import config from "./lib/config.json" with { type: "json" };
import greet, { counter, increment, VERSION as V } from "./lib/util.ts";
import * as util from "./lib/util.ts";
import { triple } from "./lib/plain.js";
import { double, half } from "./lib/reexport.ts";

console.log(greet("coral"), V, config.threshold, config.services.length);
increment();
increment();
console.log(counter, util.counter, triple(2), double(4), half(9));
console.log(Object.keys(util).sort().join(","));
// An imported function is called without the namespace as `this`.
import { whoAmI } from "./lib/this.ts";
console.log(whoAmI());
// The entry module may export; nothing imports it.
export const unused = 1;
