// @exit 2
// @stderr tests/spec/dynamic-import.ts:6:19: dynamic import() is not supported in Coral scripts
// import() loads a module the compiler never checked (on Deno, even a JSON
// file anywhere on the machine, with no read permission): scripts import
// statically, on both engines.
const lib = await import("./lib/util.ts");
console.log(lib);
