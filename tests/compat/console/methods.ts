// @args --deterministic
// console methods beyond log: counts, timers (on the virtual clock under
// --deterministic), groups, dirxml; their warnings go to stderr.
console.count();
console.count("req");
console.count("req");
console.countReset("req");
console.count("req");
console.countReset("nope");
console.time("query");
await new Promise((r) => setTimeout(r, 25));
console.timeLog("query", "halfway", { rows: 3 });
await new Promise((r) => setTimeout(r, 25));
console.timeEnd("query");
console.timeEnd("query");
console.timeLog("nope");
console.time("t");
console.time("t");
console.group("outer");
console.log("in outer");
console.groupCollapsed("collapsed");
console.info("in collapsed");
console.groupEnd();
console.groupEnd();
console.dirxml({ x: 1 }, 2);
console.log("done");
