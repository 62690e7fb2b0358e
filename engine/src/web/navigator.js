// navigator: what a sandboxed script may know of where it runs. The
// language is the engine's default locale (docs/intl.md); the user agent
// names Coral; hardwareConcurrency is 1 (a run has one thread).
(() => {
  "use strict";
  const { defineProperty } = Object;
  let constructing = false;
  class Navigator {
    constructor() {
      if (!constructing) throw new TypeError("Illegal constructor.");
    }
    get hardwareConcurrency() {
      return 1;
    }
    get language() {
      return "en-US";
    }
    get languages() {
      return ["en-US"];
    }
    get userAgent() {
      return "Coral/0.1";
    }
  }
  constructing = true;
  const navigator = new Navigator();
  constructing = false;
  defineProperty(globalThis, "navigator", { get: () => navigator, enumerable: true, configurable: true });
  defineProperty(globalThis, "Navigator", { value: Navigator, writable: true, configurable: true });
})();
