// A JSON module and a dependency with top-level await: the dependency's
// init is awaited before the entry runs.
import config from "./config.json" with { type: "json" };
import { ready } from "./slow.ts";

console.log(config.name, config.limits.max, ready);
