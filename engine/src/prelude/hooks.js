// The prelude's last file: the hooks compiled scripts and the SDK call
// (`Symbol.for("coral.host")`, read by the compiler's programs and
// sdk/transport.ts), and the end of `__coral_prelude`.
(() => {
  "use strict";
  const internal = globalThis.__coral_prelude;
  delete globalThis.__coral_prelude;
  const { fail, hostCall, errorClasses, inspect, toJson, fromJson } = internal;
  const hooks = Object.freeze({
    fail,
    call: hostCall,
    errorClasses,
    mainDone: () => {
      hostCall("main_done", {});
      const finished = internal.mainFinished;
      internal.mainFinished = null;
      finished();
    },
    inspect: (v) => inspect(v, false),
    // The SDK encodes with these, not with whatever JSON is by then.
    json: Object.freeze({ stringify: toJson, parse: fromJson }),
  });
  Object.defineProperty(globalThis, Symbol.for("coral.host"), { value: hooks });
})();
