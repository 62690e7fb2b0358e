// @exit 1
// @stderr Uncaught TypeError: bad response
// @stderr async-error.ts:6:
async function load(): Promise<number> {
  await new Promise((r) => setTimeout(r, 5));
  throw new TypeError("bad response");
}
console.log("start");
await load();
