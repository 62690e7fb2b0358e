// The event loop (prelude, after errors.js): timers, queueMicrotask and
// unhandled rejections. The timer queue's order is shared.js's, the one
// the Deno engine uses too; the host provides only a clock and a blocking
// sleep. `pump` is the one idle job: it runs as a microtask that yields to
// every other pending job, so it acts only once the microtask queue is
// otherwise empty (the order of a browser or Deno event loop). Then it
// reports an unhandled rejection, or fires the earliest timer.
(() => {
  "use strict";
  const internal = globalThis.__coral_prelude;
  const { native, web, shared, define, fail } = internal;

  // Captured now, so a script that replaces Promise.prototype.then or
  // Reflect.apply cannot stop the event loop.
  const promiseThen = Promise.prototype.then;
  const settled = Promise.resolve();
  const apply = Reflect.apply;
  const later = (job) => void apply(promiseThen, settled, [job]);

  // Until global_events.js replaces them: an error ends the run, and the
  // global object has no events. `mainFinished` is what runs once the main
  // module is done (hooks.js sets it to null then), `loopEnding` what runs
  // when the loop has no work (true: it scheduled more).
  internal.reportUncaught = fail;
  internal.rejectionUnhandled = (_promise, reason) => fail(reason);
  internal.mainFinished = () => {};
  internal.loopEnding = () => false;

  let pumping = false;
  function schedulePump() {
    if (!pumping) {
      pumping = true;
      later(pump);
    }
  }
  const timers = shared.createTimerQueue(() => native.now(), schedulePump);

  // The engine calls __coral_track_rejection from QuickJS's rejection
  // tracker (lib.rs). A rejection still unhandled when the event loop goes
  // idle is reported like an uncaught exception, as Deno does.
  const unhandled = new Map();
  Object.defineProperty(globalThis, "__coral_track_rejection", {
    value: (promise, reason, handled) => {
      if (handled) {
        unhandled.delete(promise);
      } else {
        unhandled.set(promise, reason);
        schedulePump();
      }
    },
  });

  function pump() {
    if (native.jobsPending()) {
      later(pump);
      return;
    }
    for (const [promise, reason] of unhandled) {
      unhandled.delete(promise);
      internal.rejectionUnhandled(promise, reason);
    }
    const timer = timers.next();
    if (!timer) {
      if (internal.mainFinished === null && internal.loopEnding()) {
        later(pump);
        return;
      }
      pumping = false;
      return;
    }
    const wait = timer.due - native.now();
    if (wait > 0) native.sleep(wait);
    timers.fire(timer, internal.reportUncaught);
    later(pump);
  }

  // The web globals (evaluated before the prelude) get an unreferenced timer.
  web.unrefTimeout = (callback, ms) => timers.add(callback, ms, [], false, false);

  const globals = shared.timerGlobals(timers);
  for (const name of ["setTimeout", "setInterval", "clearTimeout", "clearInterval"]) define(name, globals[name]);
  define("queueMicrotask", (cb) => {
    later(() => {
      try {
        cb();
      } catch (e) {
        internal.reportUncaught(e);
      }
    });
  });

  Object.assign(internal, { later, schedulePump });
})();
