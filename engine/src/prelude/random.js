// Math.random (prelude): shared.js's generator, the one the Deno engine
// uses too, seeded on first use from the host (fixed under
// --deterministic), never at snapshot time.
(() => {
  "use strict";
  const { native, web, shared } = globalThis.__coral_prelude;
  const random = shared.createRandom(() => native.seed());
  Object.defineProperty(Math, "random", { value: random, writable: true, configurable: true });
  // crypto.js draws from it under --deterministic (a script replacing
  // Math.random does not change what crypto returns).
  web.random = random;
})();
