// Event, CustomEvent and EventTarget (DOM Standard §2), without a tree: a
// target has no parent, so dispatch runs the target's own listeners (capture
// and bubble alike, in registration order), as for Deno's non-node targets.
(() => {
  "use strict";
  const { defineProperty, defineProperties } = Object;
  const now = () => globalThis.performance.now();
  const events = new WeakMap();
  const slot = (self, what) => {
    const s = events.get(self);
    if (!s) throw new TypeError(`Illegal invocation: Event.prototype.${what}`);
    return s;
  };

  class Event {
    constructor(type, init = {}) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
      const options = init ?? {};
      events.set(this, {
        type: `${type}`,
        bubbles: Boolean(options.bubbles),
        cancelable: Boolean(options.cancelable),
        composed: Boolean(options.composed),
        target: null,
        currentTarget: null,
        phase: 0,
        canceled: false,
        stop: false,
        stopNow: false,
        dispatching: false,
        timeStamp: now(),
      });
      defineProperty(this, "isTrusted", { get: () => false, enumerable: true });
    }
    get type() { return slot(this, "type").type; }
    get target() { return slot(this, "target").target; }
    get srcElement() { return slot(this, "srcElement").target; }
    get currentTarget() { return slot(this, "currentTarget").currentTarget; }
    get eventPhase() { return slot(this, "eventPhase").phase; }
    get bubbles() { return slot(this, "bubbles").bubbles; }
    get cancelable() { return slot(this, "cancelable").cancelable; }
    get composed() { return slot(this, "composed").composed; }
    get defaultPrevented() { return slot(this, "defaultPrevented").canceled; }
    get timeStamp() { return slot(this, "timeStamp").timeStamp; }
    get returnValue() { return !slot(this, "returnValue").canceled; }
    set returnValue(value) {
      const s = slot(this, "returnValue");
      if (!value && s.cancelable) s.canceled = true;
    }
    get cancelBubble() { return slot(this, "cancelBubble").stop; }
    set cancelBubble(value) {
      if (value) slot(this, "cancelBubble").stop = true;
    }
    composedPath() {
      const s = slot(this, "composedPath");
      return s.dispatching && s.currentTarget ? [s.currentTarget] : [];
    }
    preventDefault() {
      const s = slot(this, "preventDefault");
      if (s.cancelable) s.canceled = true;
    }
    stopPropagation() { slot(this, "stopPropagation").stop = true; }
    stopImmediatePropagation() {
      const s = slot(this, "stopImmediatePropagation");
      s.stop = true;
      s.stopNow = true;
    }
  }
  const PHASES = { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 };
  for (const [name, value] of Object.entries(PHASES)) {
    defineProperty(Event, name, { value, enumerable: true });
    defineProperty(Event.prototype, name, { value, enumerable: true });
  }
  defineProperty(Event.prototype, Symbol.toStringTag, { value: "Event", configurable: true });
  const internal = (globalThis.__coral_web ??= {});
  const eventView = (e) => ({
    bubbles: e.bubbles, cancelable: e.cancelable, composed: e.composed, currentTarget: e.currentTarget,
    defaultPrevented: e.defaultPrevented, eventPhase: e.eventPhase, srcElement: e.srcElement, target: e.target,
    returnValue: e.returnValue, timeStamp: e.timeStamp, type: e.type,
  });
  defineProperty(Event.prototype, internal.inspect, {
    value() {
      return eventView(this);
    },
  });

  class CustomEvent extends Event {
    #detail;
    constructor(type, init = {}) {
      super(type, init);
      // Deno leaves an absent detail undefined (the DOM says null).
      this.#detail = (init ?? {}).detail;
    }
    get detail() { return this.#detail; }
  }
  defineProperty(CustomEvent.prototype, Symbol.toStringTag, { value: "CustomEvent", configurable: true });
  defineProperty(CustomEvent.prototype, internal.inspect, {
    value() {
      return { ...eventView(this), detail: this.detail };
    },
  });

  // ErrorEvent (HTML §8.1.4.7) and PromiseRejectionEvent (HTML §8.1.4.8):
  // what the global object's "error" and "unhandledrejection" listeners get.
  class ErrorEvent extends Event {
    #fields;
    constructor(type, init = {}) {
      super(type, init);
      const o = init ?? {};
      this.#fields = {
        message: o.message === undefined ? "" : `${o.message}`,
        filename: o.filename === undefined ? "" : `${o.filename}`,
        lineno: o.lineno === undefined ? 0 : Number(o.lineno) >>> 0,
        colno: o.colno === undefined ? 0 : Number(o.colno) >>> 0,
        error: o.error,
      };
    }
    get message() { return this.#fields.message; }
    get filename() { return this.#fields.filename; }
    get lineno() { return this.#fields.lineno; }
    get colno() { return this.#fields.colno; }
    get error() { return this.#fields.error; }
  }
  class PromiseRejectionEvent extends Event {
    #promise;
    #reason;
    constructor(type, init = {}) {
      super(type, init);
      this.#promise = (init ?? {}).promise;
      this.#reason = (init ?? {}).reason;
    }
    get promise() { return this.#promise; }
    get reason() { return this.#reason; }
  }
  for (const [cls, names] of /** @type {[typeof ErrorEvent | typeof PromiseRejectionEvent, string[]][]} */ ([
    [ErrorEvent, ["message", "filename", "lineno", "colno", "error"]],
    [PromiseRejectionEvent, ["promise", "reason"]],
  ])) {
    defineProperty(cls.prototype, Symbol.toStringTag, { value: cls.name, configurable: true });
    defineProperty(cls.prototype, internal.inspect, {
      value() {
        const view = eventView(this);
        for (const name of names) view[name] = this[name];
        return view;
      },
    });
  }

  const listeners = new WeakMap();
  const listenersOf = (self, what) => {
    const l = listeners.get(self);
    if (!l) throw new TypeError(`Illegal invocation: EventTarget.prototype.${what}`);
    return l;
  };
  const flatten = (options) => (typeof options === "boolean" ? { capture: options } : options ?? {});

  class EventTarget {
    constructor() {
      listeners.set(this, new Map());
    }
    addEventListener(type, callback, options) {
      const all = listenersOf(this, "addEventListener");
      const { capture = false, once = false, passive = false, signal } = flatten(options);
      if (callback === null || callback === undefined) return;
      if (signal?.aborted) return;
      const list = all.get(`${type}`) ?? [];
      if (list.some((l) => l.callback === callback && l.capture === Boolean(capture))) return;
      const entry = { callback, capture: Boolean(capture), once: Boolean(once), passive: Boolean(passive), removed: false };
      list.push(entry);
      all.set(`${type}`, list);
      signal?.addEventListener("abort", () => this.removeEventListener(type, callback, { capture }));
    }
    removeEventListener(type, callback, options) {
      const all = listenersOf(this, "removeEventListener");
      const capture = Boolean(flatten(options).capture);
      const list = all.get(`${type}`);
      if (!list) return;
      const i = list.findIndex((l) => l.callback === callback && l.capture === capture);
      if (i >= 0) {
        list[i].removed = true;
        list.splice(i, 1);
      }
    }
    dispatchEvent(event) {
      const all = listenersOf(this, "dispatchEvent");
      const s = events.get(event);
      if (!s) throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
      if (s.dispatching) throw new DOMException("Invalid event state", "InvalidStateError");
      s.dispatching = true;
      s.target = this;
      s.currentTarget = this;
      s.phase = 2;
      for (const entry of [...(all.get(s.type) ?? [])]) {
        if (entry.removed) continue;
        if (entry.once) this.removeEventListener(s.type, entry.callback, { capture: entry.capture });
        try {
          if (typeof entry.callback === "function") entry.callback.call(this, event);
          else entry.callback.handleEvent(event);
        } catch (error) {
          // Reported like an uncaught exception, after dispatch (as Deno);
          // the prelude's hook stops an error listener's own error from
          // being dispatched to it again.
          if (internal.listenerError) {
            internal.listenerError(error);
          } else {
            queueMicrotask(() => {
              throw error;
            });
          }
        }
        if (s.stopNow) break;
      }
      s.dispatching = false;
      s.currentTarget = null;
      s.phase = 0;
      s.stop = false;
      s.stopNow = false;
      return !s.canceled;
    }
  }
  defineProperty(EventTarget.prototype, Symbol.toStringTag, { value: "EventTarget", configurable: true });

  // Makes `target` an event target without its constructor (the global
  // object, for the prelude).
  internal.makeEventTarget = (target) => listeners.set(target, new Map());
  // Whether `target` has a listener for `type` (so an event nobody listens
  // to need not be made at all).
  internal.hasListeners = (target, type) => (listeners.get(target)?.get(type)?.length ?? 0) > 0;

  defineProperties(globalThis, {
    Event: { value: Event, writable: true, configurable: true },
    CustomEvent: { value: CustomEvent, writable: true, configurable: true },
    ErrorEvent: { value: ErrorEvent, writable: true, configurable: true },
    PromiseRejectionEvent: { value: PromiseRejectionEvent, writable: true, configurable: true },
    EventTarget: { value: EventTarget, writable: true, configurable: true },
  });
})();
