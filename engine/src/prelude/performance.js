// The `performance` global (prelude), on the run's clock.
(() => {
  "use strict";
  const { native } = globalThis.__coral_prelude;
  // QuickJS measures performance from when its context was created, which is
  // when the plugin image was made (under Wizer), not when the run started:
  // its now() came out negative and its (read-only) timeOrigin depended on
  // the snapshot. A new object takes its place, on the run's clock (virtual
  // under --deterministic): now() is the time since the run started,
  // timeOrigin the wall time it started at, worked out on first use (never
  // at snapshot time). Date.now() is whole milliseconds, so the ceiling gives
  // the exact virtual epoch.
  let timeOrigin;
  const runClock = Object.create(Object.prototype, {
    now: {
      value: function now() {
        return native.now();
      },
      writable: true,
      configurable: true,
      enumerable: true,
    },
    timeOrigin: {
      get() {
        if (timeOrigin === undefined) timeOrigin = Math.ceil(Date.now() - native.now());
        return timeOrigin;
      },
      configurable: true,
      enumerable: true,
    },
    [Symbol.toStringTag]: { value: "Performance", configurable: true },
  });
  Object.defineProperty(globalThis, "performance", {
    value: runClock,
    writable: true,
    configurable: true,
    enumerable: true,
  });

})();
