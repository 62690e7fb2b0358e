// An uncaught error's report (prelude, after console.js): `fail` describes
// any thrown value for the host (name, message, the script's frames, each
// clipped to the request bound) and ends the run with status 1.
(() => {
  "use strict";
  const internal = globalThis.__coral_prelude;
  const { native, toJson, clip, clipStack, inspect, ownStack } = internal;

  // Any value can be thrown, including a Proxy whose every trap throws: the
  // report must not fail with it (the run would end with status 0 and the
  // error lost, or the reporter's failure shown instead).
  function describe(err) {
    try {
      return describeValue(err);
    } catch (_) {
      return {
        name: "",
        message: "a value that cannot be shown (inspecting it threw)",
        stack: "",
      };
    }
  }

  function describeValue(err) {
    if (err instanceof Error) {
      return {
        name: clip(String(err.name || "Error")),
        message: clip(String(err.message)),
        stack: clipStack(ownStack(err)),
      };
    }
    let message;
    try {
      message = inspect(err, true);
    } catch (_) {
      message = String(err);
    }
    return { name: "", message: clip(message), stack: "" };
  }

  // Reports an uncaught error and ends the run with status 1. Never returns.
  internal.fail = function fail(err) {
    native.reportError(toJson(describe(err)));
    native.exit(1);
  };
})();
