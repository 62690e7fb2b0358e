// @exit 1
// @stderr error: Uncaught a value that cannot be shown (inspecting it threw)
// Any value can be thrown, even one whose every trap throws: the run still
// ends as an uncaught error (exit 1), and later timers do not run.
const trap = () => {
  throw new Error("trap");
};
const hostile = new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap });
console.log("before");
setTimeout(() => console.log("a later timer must not run"), 50);
setTimeout(() => {
  throw hostile;
}, 10);
