// The global object's events (prelude, after event_loop.js).
(() => {
  "use strict";
  const internal = globalThis.__coral_prelude;
  const { web, define, fail, later, schedulePump } = internal;
  const apply = Reflect.apply;

  // As in Deno, the global object is an event target: an error thrown by a
  // timer or a microtask, or given to reportError, is first dispatched as
  // an "error" event, and an unhandled rejection as "unhandledrejection";
  // a listener that calls preventDefault() keeps the run going. (A throw at
  // a module's top level ends the run without an event, as in Deno.)
  const { EventTarget: GlobalEventTarget, ErrorEvent, PromiseRejectionEvent } = globalThis;
  const eventTarget = GlobalEventTarget.prototype;
  web.makeEventTarget(globalThis);
  // `globalThis instanceof EventTarget`, as in Deno (where Window comes
  // between them).
  Object.setPrototypeOf(globalThis, eventTarget);
  // Whether a listener was ever added to the global object: until then its
  // "load"/"unload" events cost a script nothing.
  let globalListened = false;
  for (const name of ["addEventListener", "removeEventListener", "dispatchEvent"]) {
    const method = eventTarget[name];
    // A bare `addEventListener(…)` has no receiver: it means the global.
    define(name, function (...args) {
      if (name === "addEventListener") globalListened = true;
      return apply(method, this ?? globalThis, args);
    });
  }
  define("self", globalThis);
  // Symbol.metadata (decorator metadata), which Deno defines: the
  // decorators' helper keeps `context.metadata` under it.
  if (typeof Symbol.metadata !== "symbol") Object.defineProperty(Symbol, "metadata", { value: Symbol("Symbol.metadata") });
  // Event handler attributes (`onerror = …`), as Deno's global has them: a
  // handler is a listener added when first set; returning false cancels.
  for (const type of ["error", "unhandledrejection", "load", "beforeunload", "unload"]) {
    let handler = null;
    let added = false;
    const listener = function (event) {
      if (typeof handler !== "function") return;
      if (apply(handler, this, [event]) === false) event.preventDefault();
    };
    Object.defineProperty(globalThis, `on${type}`, {
      get: () => handler,
      set(value) {
        handler = typeof value === "function" || (typeof value === "object" && value !== null) ? value : null;
        if (handler !== null && !added) {
          added = true;
          globalListened = true;
          apply(eventTarget.addEventListener, globalThis, [type, listener]);
        }
      },
      enumerable: true,
      configurable: true,
    });
  }
  // "load" when the main module has run, then "beforeunload" and "unload"
  // when the event loop has no more work, as in Deno; made only when
  // someone listens (an idle loop costs a script nothing).
  const { Event: GlobalEvent } = globalThis;
  const fireGlobal = (type, cancelable = false) => {
    if (!web.hasListeners(globalThis, type)) return false;
    const event = new GlobalEvent(type, { cancelable });
    apply(eventTarget.dispatchEvent, globalThis, [event]);
    return true;
  };
  let unloaded = false;
  internal.loopEnding = () => {
    if (unloaded || !globalListened) return false;
    unloaded = true;
    fireGlobal("beforeunload", true);
    fireGlobal("unload");
    // Deno ends the run after "unload", whatever its listeners scheduled.
    return false;
  };
  internal.mainFinished = () => {
    if (!globalListened) return;
    fireGlobal("load");
    const listening = web.hasListeners(globalThis, "beforeunload") || web.hasListeners(globalThis, "unload");
    if (listening) schedulePump();
  };
  let inErrorEvent = false;
  function uncaughtMessage(error) {
    try {
      return `Uncaught ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    } catch {
      return "Uncaught (a value that cannot be shown)";
    }
  }
  function reportUncaught(error) {
    if (inErrorEvent) fail(error);
    const event = new ErrorEvent("error", { message: uncaughtMessage(error), error, cancelable: true });
    inErrorEvent = true;
    try {
      apply(eventTarget.dispatchEvent, globalThis, [event]);
    } finally {
      inErrorEvent = false;
    }
    if (!event.defaultPrevented) fail(error);
  }
  function rejectionUnhandled(promise, reason) {
    const event = new PromiseRejectionEvent("unhandledrejection", { promise, reason, cancelable: true });
    inErrorEvent = true;
    try {
      apply(eventTarget.dispatchEvent, globalThis, [event]);
    } finally {
      inErrorEvent = false;
    }
    if (!event.defaultPrevented) fail(reason);
  }
  // An error listener's own error ends the run; any other listener's is
  // reported after its dispatch, like a microtask's.
  web.listenerError = (error) => {
    if (inErrorEvent) fail(error);
    later(() => reportUncaught(error));
  };
  define("reportError", function reportError(error) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'reportError' on 'Window': 1 argument required, but only 0 present.");
    }
    reportUncaught(error);
  });

  internal.reportUncaught = reportUncaught;
  internal.rejectionUnhandled = rejectionUnhandled;
})();
