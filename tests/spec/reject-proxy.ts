// @exit 1
// @stderr error: Uncaught a value that cannot be shown (inspecting it threw)
// A hostile value as an unhandled rejection is reported like any other.
const trap = () => {
  throw new Error("trap");
};
const hostile = new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap });
setTimeout(() => console.log("a later timer must not run"), 50);
Promise.reject(hostile);
