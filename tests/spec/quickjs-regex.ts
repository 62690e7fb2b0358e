// @engine wasm V8 takes ES2025's duplicate named groups; QuickJS refuses them when it compiles the program
// @exit 2
// @stderr tests/spec/quickjs-regex.ts:9:18: QuickJS cannot compile this regular expression: duplicate group name
// @stderr run the script with --engine deno
// @stderr const dateLike = /(?<year>\d{4})-\d\d|\d\d\/(?<year>\d{4})/;
// A pattern QuickJS cannot compile is reported where it is in the script,
// not at a position in the bundle or with no position at all.
const services = ["checkout", "payments"];
const dateLike = /(?<year>\d{4})-\d\d|\d\d\/(?<year>\d{4})/;
console.log(services.filter((s) => dateLike.test(s)));
