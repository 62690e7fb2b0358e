// @args --deterministic
// AbortController and AbortSignal: reasons, events, throwIfAborted,
// AbortSignal.abort/timeout/any.
const controller = new AbortController();
const signal = controller.signal;
const seen: string[] = [];
signal.addEventListener("abort", () => seen.push("listener"));
signal.onabort = () => seen.push("onabort");
console.log(`before: ${signal.aborted} ${signal.reason}`);
controller.abort();
controller.abort("again"); // ignored
console.log(`after: ${signal.aborted} ${(signal.reason as DOMException).name} ${(signal.reason as DOMException).message}`);
console.log(`events: ${seen.join(",")}`);
try {
  signal.throwIfAborted();
} catch (e) {
  console.log(`throwIfAborted: ${(e as DOMException).name}`);
}
const custom = new AbortController();
custom.abort(new Error("deploy cancelled"));
console.log(`custom reason: ${(custom.signal.reason as Error).message}`);
console.log(`AbortSignal.abort: ${AbortSignal.abort("why").reason}`);
try {
  new (AbortSignal as unknown as new () => AbortSignal)();
} catch (e) {
  console.log(`constructor: ${(e as Error).name}`);
}
const a = new AbortController();
const b = new AbortController();
const any = AbortSignal.any([a.signal, b.signal]);
b.abort("second");
console.log(`any: ${any.aborted} ${any.reason}`);
console.log(`tags: ${Object.prototype.toString.call(signal)} ${Object.prototype.toString.call(controller)} ${signal instanceof EventTarget}`);

const timeout = AbortSignal.timeout(50);
console.log(`timeout before: ${timeout.aborted}`);
await new Promise((resolve) => setTimeout(resolve, 100));
const reason = timeout.reason as DOMException;
console.log(`timeout after: ${timeout.aborted} ${reason.name} ${reason.code}`);
// A pending timeout does not keep the run alive: this never fires.
const late = AbortSignal.timeout(60_000);
late.addEventListener("abort", () => console.log("late timeout fired"));
console.log("end of script");
