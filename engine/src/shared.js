// What both engines' event loops share, so that a script's timers fire in
// the same order and a seeded Math.random draws the same numbers on each:
// the timer queue (due order, ties broken by creation; Deno's delay rule)
// and the generator (xorshift128+ on 32-bit halves). The wasm engine
// evaluates this file before its prelude (engine/src/lib.rs), the Deno
// engine imports it before setup.js (runtime/src/deno/engine.rs); each
// takes `__coral_shared` and deletes it before the script runs. How long a
// timer waits (the host's clock, or virtual time under --deterministic) is
// each engine's own.
(() => {
  "use strict";

  /**
   * A queue of timers on the clock `now` (ms). `wake` is called whenever a
   * timer is added, so the engine can schedule its pump.
   * @param {() => number} now
   * @param {() => void} wake
   */
  function createTimerQueue(now, wake) {
    const timers = new Map();
    let nextId = 1;
    let sequence = 0;

    // Unreferenced timers (AbortSignal.timeout's) fire in order while
    // others keep the loop alive, but never keep it alive themselves.
    function referencedPending() {
      for (const t of timers.values()) if (t.ref) return true;
      return false;
    }

    const queue = {
      /** Adds a timer; returns its id (from 1). */
      add(callback, delay, args, repeat, ref = true) {
        if (typeof callback !== "function") {
          throw new TypeError('The "callback" argument must be a function');
        }
        // Deno's rule (Node's): a delay that is not between 1 and 2^31-1 ms,
        // including 0, NaN and Infinity, becomes 1 ms.
        let ms = Number(delay);
        if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
        const id = nextId++;
        timers.set(id, {
          id,
          callback,
          args,
          due: now() + ms,
          seq: sequence++,
          interval: repeat ? ms : undefined,
          ref,
        });
        wake();
        return id;
      },
      clear(id) {
        timers.delete(id);
      },
      /** The timer to fire next, while a referenced timer is pending. */
      next() {
        if (!referencedPending()) return undefined;
        let best;
        for (const t of timers.values()) {
          if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
        }
        return best;
      },
      /**
       * Fires `timer` (from next(), once its time has come): a timeout
       * leaves the queue, an interval is due again `interval` ms from now.
       * An exception the callback throws goes to `onError`.
       */
      fire(timer, onError) {
        if (timer.interval === undefined) {
          timers.delete(timer.id);
        } else {
          timer.due = now() + timer.interval;
          timer.seq = sequence++;
        }
        try {
          timer.callback(...timer.args);
        } catch (error) {
          onError(error);
        }
      },
    };
    return queue;
  }

  /** setTimeout, setInterval, clearTimeout and clearInterval over `queue`. */
  function timerGlobals(queue) {
    return {
      setTimeout: (callback, delay, ...args) => queue.add(callback, delay, args, false),
      setInterval: (callback, delay, ...args) => queue.add(callback, delay, args, true),
      clearTimeout: (id) => void queue.clear(id),
      clearInterval: (id) => void queue.clear(id),
    };
  }

  /**
   * Math.random: xorshift128+ on two 32-bit halves, seeded on first use
   * from `seed()` (two 26-bit halves of the run's seed, as
   * runtime/src/contract/determinism.rs splits it), never before. Enough
   * quality for scripts, and fully deterministic.
   * @param {() => [number, number]} seed
   */
  function createRandom(seed) {
    let s0 = 0;
    let s1 = 0;
    let seeded = false;
    return function random() {
      if (!seeded) {
        const [lo, hi] = seed();
        s0 = (lo | 1) >>> 0;
        s1 = (hi ^ 0x9e3779b9) >>> 0;
        seeded = true;
      }
      let x = s0;
      const y = s1;
      s0 = y;
      x ^= x << 23;
      x ^= x >>> 17;
      x ^= y ^ (y >>> 26);
      s1 = x >>> 0;
      return ((s0 + s1) >>> 0) / 4294967296;
    };
  }

  Object.defineProperty(globalThis, "__coral_shared", {
    value: Object.freeze({ createTimerQueue, timerGlobals, createRandom }),
    configurable: true,
  });
})();
