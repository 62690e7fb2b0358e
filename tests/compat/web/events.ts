// @args --deterministic
// EventTarget, Event and CustomEvent: listener order, once, removal,
// handleEvent objects, cancelation, stopImmediatePropagation, signal.
const log: string[] = [];
const target = new EventTarget();
const first = (e: Event) => log.push(`first ${e.type} phase=${e.eventPhase} same=${e.target === target}`);
target.addEventListener("alert", first);
target.addEventListener("alert", first); // a duplicate is ignored
target.addEventListener("alert", { handleEvent: (e: Event) => log.push(`object ${e.type}`) });
target.addEventListener("alert", () => log.push("once"), { once: true });
console.log(`dispatch returns: ${target.dispatchEvent(new Event("alert"))}`);
target.dispatchEvent(new Event("alert"));
console.log(`calls: ${log.join(" | ")}`);

log.length = 0;
target.removeEventListener("alert", first);
target.dispatchEvent(new Event("alert"));
console.log(`after remove: ${log.join(" | ")}`);

const cancel = new EventTarget();
cancel.addEventListener("page", (e) => e.preventDefault());
console.log(`cancelable: ${cancel.dispatchEvent(new Event("page", { cancelable: true }))}`);
console.log(`not cancelable: ${cancel.dispatchEvent(new Event("page"))}`);

const stop = new EventTarget();
const order: string[] = [];
stop.addEventListener("x", (e) => {
  order.push("a");
  e.stopImmediatePropagation();
});
stop.addEventListener("x", () => order.push("b"));
stop.dispatchEvent(new Event("x"));
console.log(`stopImmediatePropagation: ${order.join(",")}`);

const custom = new CustomEvent("threshold", { detail: { service: "payments", p99: 812 } });
console.log(`custom: ${custom.type} ${JSON.stringify(custom.detail)} ${custom instanceof Event}`);
console.log(`defaults: ${JSON.stringify([custom.bubbles, custom.cancelable, custom.composed, custom.defaultPrevented, custom.eventPhase, custom.isTrusted])}`);
console.log(`phases: ${Event.NONE} ${Event.CAPTURING_PHASE} ${Event.AT_TARGET} ${Event.BUBBLING_PHASE}`);
console.log(`tags: ${Object.prototype.toString.call(new Event("a"))} ${Object.prototype.toString.call(custom)} ${Object.prototype.toString.call(target)}`);

const controller = new AbortController();
const withSignal = new EventTarget();
let hits = 0;
withSignal.addEventListener("tick", () => hits++, { signal: controller.signal });
withSignal.dispatchEvent(new Event("tick"));
controller.abort();
withSignal.dispatchEvent(new Event("tick"));
console.log(`signal removes listener: ${hits}`);

class Monitor extends EventTarget {
  check(p99: number) {
    if (p99 > 500) this.dispatchEvent(new CustomEvent("slow", { detail: p99 }));
  }
}
const monitor = new Monitor();
monitor.addEventListener("slow", (e) => console.log(`subclass: slow ${(e as CustomEvent).detail}`));
monitor.check(120);
monitor.check(640);
