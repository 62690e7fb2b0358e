// @args --deterministic
// The global object as an event target: self, reportError, ErrorEvent and
// PromiseRejectionEvent, and "error"/"unhandledrejection" listeners that
// keep the run going with preventDefault().
const seen: string[] = [];
console.log(typeof self, self === globalThis, globalThis instanceof EventTarget);
console.log(typeof addEventListener, typeof removeEventListener, typeof dispatchEvent, typeof reportError);

const ev = new ErrorEvent("error", { message: "m", filename: "f.ts", lineno: 3, colno: 4, error: 1, cancelable: true });
console.log(ev.message, ev.filename, ev.lineno, ev.colno, ev.error, ev.cancelable, Object.prototype.toString.call(ev));
const pr = new PromiseRejectionEvent("unhandledrejection", { promise: Promise.resolve(7), reason: "r" });
console.log(pr.reason, pr.promise instanceof Promise, pr.type, Object.prototype.toString.call(pr));
console.log(new ErrorEvent("x").message === "", new ErrorEvent("x").error);

// A custom event on the global object.
addEventListener("refresh", (e) => seen.push(`refresh ${(e as CustomEvent).detail}`));
dispatchEvent(new CustomEvent("refresh", { detail: "dashboards" }));
globalThis.dispatchEvent(new CustomEvent("refresh", { detail: "again" }));

// reportError: the "error" listener sees it and keeps the run going.
const onError = (e: Event) => {
  const err = e as ErrorEvent;
  seen.push(`error event: ${err.message} / ${err.error?.message} cancelable=${err.cancelable}`);
  e.preventDefault();
};
addEventListener("error", onError);
reportError(new Error("quota exceeded"));
seen.push("after reportError");

// A timer that throws: the same event, then the run goes on.
setTimeout(() => {
  throw new RangeError("timer failed");
}, 10);

// An unhandled rejection: "unhandledrejection" with the promise and reason.
setTimeout(() => {
  addEventListener("unhandledrejection", (e) => {
    const r = e as PromiseRejectionEvent;
    seen.push(`unhandled: ${(r.reason as Error).message} promise=${r.promise instanceof Promise}`);
    e.preventDefault();
  }, { once: true });
  Promise.reject(new Error("nobody waits for this"));
}, 20);

setTimeout(() => {
  removeEventListener("error", onError);
  for (const line of seen) console.log(line);
}, 40);
