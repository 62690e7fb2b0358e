// @exit 1
// @stderr top-level await never settled
console.log("waiting");
await new Promise(() => {});
