// AbortController and AbortSignal (DOM Standard §3.1-§3.2): an AbortSignal is
// an EventTarget that fires one `abort` event; `AbortSignal.timeout` uses
// the event loop's timers, `AbortSignal.any` follows several signals.
(() => {
  "use strict";
  const { defineProperty, defineProperties } = Object;
  // Filled by the prelude: a timer that does not keep the run alive.
  const internal = (globalThis.__coral_web ??= {});
  const states = new WeakMap();
  let constructing = false;
  const slot = (self, what) => {
    const s = states.get(self);
    if (!s) throw new TypeError(`Illegal invocation: AbortSignal.prototype.${what}`);
    return s;
  };

  class AbortSignal extends EventTarget {
    constructor() {
      if (!constructing) throw new TypeError("Illegal constructor.");
      super();
      states.set(this, { aborted: false, reason: undefined, onabort: null });
    }
    get aborted() { return slot(this, "aborted").aborted; }
    get reason() { return slot(this, "reason").reason; }
    get onabort() { return slot(this, "onabort").onabort; }
    set onabort(handler) {
      const s = slot(this, "onabort");
      if (s.onabort) this.removeEventListener("abort", s.onabort);
      s.onabort = typeof handler === "function" ? handler : null;
      if (s.onabort) this.addEventListener("abort", s.onabort);
    }
    throwIfAborted() {
      const s = slot(this, "throwIfAborted");
      if (s.aborted) throw s.reason;
    }
    static abort(reason) {
      const signal = make();
      signalAbort(signal, reason);
      return signal;
    }
    static timeout(milliseconds) {
      const ms = Number(milliseconds);
      if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
        throw new TypeError(`Failed to execute 'timeout' on 'AbortSignal': Value is outside the 'unsigned long long' value range.`);
      }
      const signal = make();
      // Unreferenced, as in Deno: a pending timeout does not keep the run
      // alive.
      internal.unrefTimeout(() => signalAbort(signal, new DOMException("Signal timed out.", "TimeoutError")), ms);
      return signal;
    }
    static any(signals) {
      const list = [...signals];
      const signal = make();
      const aborted = list.find((s) => s.aborted);
      if (aborted) {
        signalAbort(signal, aborted.reason);
        return signal;
      }
      for (const source of list) {
        source.addEventListener("abort", () => signalAbort(signal, source.reason), { once: true });
      }
      return signal;
    }
  }
  defineProperty(AbortSignal.prototype, Symbol.toStringTag, { value: "AbortSignal", configurable: true });
  defineProperty(AbortSignal.prototype, internal.inspect, {
    value() {
      return { aborted: this.aborted, reason: this.reason, onabort: this.onabort };
    },
  });

  function make() {
    constructing = true;
    try {
      return new AbortSignal();
    } finally {
      constructing = false;
    }
  }

  function signalAbort(signal, reason) {
    const s = states.get(signal);
    if (s.aborted) return;
    s.aborted = true;
    s.reason = reason === undefined ? new DOMException("The signal has been aborted", "AbortError") : reason;
    signal.dispatchEvent(new Event("abort"));
  }

  const controllers = new WeakMap();
  class AbortController {
    constructor() {
      controllers.set(this, make());
    }
    get signal() {
      const signal = controllers.get(this);
      if (!signal) throw new TypeError("Illegal invocation: AbortController.prototype.signal");
      return signal;
    }
    abort(reason) {
      signalAbort(this.signal, reason);
    }
  }
  defineProperty(AbortController.prototype, Symbol.toStringTag, { value: "AbortController", configurable: true });
  defineProperty(AbortController.prototype, internal.inspect, {
    value() {
      return { signal: this.signal };
    },
  });

  defineProperties(globalThis, {
    AbortSignal: { value: AbortSignal, writable: true, configurable: true },
    AbortController: { value: AbortController, writable: true, configurable: true },
  });
})();
