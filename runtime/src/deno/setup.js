// The setup of every `coral run --engine deno` run, imported before the
// script (the CLI writes `import "./shared.js"; import "./setup.js";
// import "<script>";` as the main module). It gives the SDK its transport settings, reports how the
// run ends to the CLI, and under --deterministic installs the same virtual
// clock, timers and Math.random as the wasm engine (engine/src/prelude/ and
// engine/src/shared.js).
//
// Reports travel as control records on stderr: RS "coral:" SECRET ":" JSON
// LF, one write each, which the CLI takes out of the stream
// (runtime/src/deno/demux.rs). The run's settings, the secret among them,
// arrive on stdin (runtime/src/deno/engine.rs, RunSettings), which is read to
// the end here, before the script loads: the script cannot learn the
// secret, so it cannot forge a record.

// Every built-in a record is made with is taken now: the script may replace
// JSON.stringify, TextEncoder.prototype.encode or Deno.stderr.writeSync to
// read or rewrite what setup.js writes.
const { apply } = Reflect;
const stringify = JSON.stringify;
const parse = JSON.parse;
const promiseThen = Promise.prototype.then;
const realFetch = fetch;
const encoder = new TextEncoder();
const encode = TextEncoder.prototype.encode;
const subarray = Uint8Array.prototype.subarray;
const stderr = Deno.stderr;
const stderrWrite = Deno.stderr.writeSync;
const exit = Deno.exit;
// The timer queue and PRNG both engines use (engine/src/shared.js, which the
// main module imports just before this file).
const shared = globalThis.__coral_shared;
delete globalThis.__coral_shared;

function readStdin() {
  const chunks = [];
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    const n = Deno.stdin.readSync(buffer);
    if (n === null) break;
    chunks.push(buffer.slice(0, n));
  }
  const all = new Uint8Array(chunks.reduce((size, c) => size + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

const settings = JSON.parse(readStdin());
const secret = settings.secret;

function writeAll(bytes) {
  let written = 0;
  while (written < bytes.length) {
    written += apply(stderrWrite, stderr, [apply(subarray, bytes, [written])]);
  }
}

// The record's shape is written here, not by JSON.stringify of a wrapper
// object, so an inherited toJSON cannot turn one kind of record into
// another.
function record(kind, body) {
  const json = `{${apply(stringify, JSON, [kind])}:${apply(stringify, JSON, [body])}}`;
  writeAll(apply(encode, encoder, [`\x1ecoral:${secret}:${json}\n`]));
}

// ---- uncaught errors ------------------------------------------------------
// Stack frames name files as the wasm engine does: relative to the working
// directory when inside it, and without Deno's own internals.
const cwdUrl = settings.cwdUrl;
const ownUrl = import.meta.url;
// The SDK is the platform: its frames are left out, like Deno's own (the
// wasm engine leaves them out too).
const sdkUrl = new URL("./sdk/", import.meta.url).href;

function frameText(line) {
  let text = line.trim();
  if (cwdUrl && text.includes(cwdUrl)) text = text.split(cwdUrl).join("");
  return text.split("file://").join("");
}

// Any value can be thrown, including a Proxy whose every trap throws: the
// report must not fail with it (the wasm engine's prelude says the same).
function describe(error) {
  try {
    return describeValue(error);
  } catch {
    return { name: "", message: "a value that cannot be shown (inspecting it threw)", frames: [] };
  }
}

function describeValue(error) {
  if (error instanceof Error) {
    const frames = String(error.stack ?? "")
      .split("\n")
      .filter((line) => /^\s+at /.test(line))
      .filter((line) => !line.includes("ext:") && !line.includes(ownUrl) && !line.includes(sdkUrl))
      .map(frameText);
    return { name: String(error.name), message: String(error.message), frames };
  }
  const message = typeof error === "string" ? apply(stringify, JSON, [error]) : Deno.inspect(error);
  return { name: "", message, frames: [] };
}

let ended = false;
function fail(error) {
  if (ended) return;
  ended = true;
  record("uncaught", describe(error));
  exit(1);
}

// The script's own "error" and "unhandledrejection" listeners may keep the
// run going with preventDefault(), which is known only after every listener
// ran. Deno would end the run itself (in its own format) unless the event is
// prevented, so these listeners, registered first, always prevent it, see
// whether one of the script's listeners calls preventDefault() too, and end
// the run after the dispatch otherwise. (The script's listeners therefore
// read `defaultPrevented` as true: Deno itself reads that property.)
const preventDefault = Event.prototype.preventDefault;
// Events dispatched here (reportUncaught) are decided as soon as dispatch
// returns; Deno's own after the microtasks its dispatch leaves.
const verdicts = new WeakMap();
function failUnlessPrevented(event, error) {
  let prevented = false;
  Object.defineProperty(event, "preventDefault", {
    value() {
      if (event.cancelable) prevented = true;
    },
    configurable: true,
  });
  Reflect.apply(preventDefault, event, []);
  const decide = () => {
    if (!verdicts.delete(event)) return;
    if (!prevented) fail(error);
  };
  verdicts.set(event, decide);
  queueMicrotaskReal(decide);
}
const queueMicrotaskReal = globalThis.queueMicrotask;
addEventListener("error", (event) => failUnlessPrevented(event, event.error));
addEventListener("unhandledrejection", (event) => failUnlessPrevented(event, event.reason));
// Deno's own reportError reports before its event's listeners are done.
Object.defineProperty(globalThis, "reportError", {
  value: function reportError(error) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'reportError' on 'Window': 1 argument required, but only 0 present.");
    }
    reportUncaught(error);
  },
  writable: true,
  configurable: true,
  enumerable: true,
});

// Deno formats an error thrown by a timer before it dispatches the "error"
// event, and a value whose traps throw breaks that formatting: callbacks
// report their own errors, as an "error" event the script's listeners see.
function reportUncaught(error) {
  let message;
  try {
    message = `Uncaught ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  } catch {
    message = "Uncaught (a value that cannot be shown)";
  }
  const event = new ErrorEvent("error", { message, error, cancelable: true });
  dispatchEvent(event);
  verdicts.get(event)?.();
}
const guard = (callback) =>
  typeof callback !== "function" ? callback : function (...args) {
    try {
      return Reflect.apply(callback, this, args);
    } catch (error) {
      reportUncaught(error);
    }
  };
for (const name of ["setTimeout", "setInterval", "queueMicrotask"]) {
  const real = globalThis[name];
  Object.defineProperty(globalThis, name, {
    value: (callback, ...rest) => real(guard(callback), ...rest),
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

// ---- deterministic mode -----------------------------------------------------
// Virtual time starts at settings.epochMs and moves only when a timer fires.
// Timers fire in due order (ties by creation) once no colony call is in
// flight: in the wasm engine colony calls answer synchronously, so a timer can
// never overtake one there either.
let inFlight = 0;
let wake = () => {};

function track(promise) {
  inFlight++;
  const settled = () => {
    inFlight--;
    wake();
  };
  // Promise.prototype.finally would look up the script's `then`.
  return apply(promiseThen, promise, [
    (value) => {
      settled();
      return value;
    },
    (error) => {
      settled();
      throw error;
    },
  ]);
}

if (settings.deterministic) {
  const realSetTimeout = globalThis.setTimeout;
  const RealDate = Date;
  let elapsed = 0;
  const now = () => settings.epochMs + elapsed;

  // The wasm engine's timer queue (engine/src/shared.js), on virtual time.
  const timers = shared.createTimerQueue(() => elapsed, () => wake());
  let scheduled = false;

  const pump = () => {
    scheduled = false;
    if (inFlight > 0) return;
    const timer = timers.next();
    if (!timer) return;
    // The deadline is exclusive, as on the wasm engine (host.rs sleep_ms).
    if (timer.due >= settings.timeoutMs) {
      elapsed = settings.timeoutMs;
      ended = true;
      record("timeout", {});
      exit(1);
    }
    elapsed = Math.max(elapsed, timer.due);
    timers.fire(timer, reportUncaught);
    wake();
  };

  wake = () => {
    if (!scheduled && inFlight === 0 && timers.next()) {
      scheduled = true;
      realSetTimeout(pump, 0);
    }
  };

  const define = (target, name, value) =>
    Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
  const globals = shared.timerGlobals(timers);
  for (const name of ["setTimeout", "setInterval", "clearTimeout", "clearInterval"]) define(globalThis, name, globals[name]);
  // AbortSignal.timeout on the virtual clock: an unreferenced timer, as
  // Deno's own (which runs on the real clock) and the wasm engine's.
  const realTimeout = AbortSignal.timeout;
  define(AbortSignal, "timeout", function timeout(milliseconds) {
    realTimeout.call(AbortSignal, milliseconds); // Deno's argument checks
    const controller = new AbortController();
    timers.add(() => controller.abort(new DOMException("Signal timed out.", "TimeoutError")), Math.max(Number(milliseconds), 1), [], false, false);
    return controller.signal;
  });

  const VirtualDate = function VirtualDate(...args) {
    if (!new.target) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length > 0 ? args : [now()], new.target);
  };
  Object.setPrototypeOf(VirtualDate, RealDate);
  VirtualDate.prototype = RealDate.prototype;
  define(VirtualDate, "now", now);
  define(RealDate.prototype, "constructor", VirtualDate);
  define(globalThis, "Date", VirtualDate);
  define(performance, "now", () => elapsed);
  // Deno's File reads the real clock for a missing lastModified. Like
  // VirtualDate, the stand-in shares File's prototype, so every File (also
  // those Deno makes, e.g. in formData()) is `instanceof File`.
  const RealFile = File;
  const VirtualFile = function VirtualFile(...args) {
    if (!new.target) return Reflect.apply(RealFile, this, args);
    const [bits, name, options] = args;
    const o = options ?? {};
    const withTime = args.length >= 2 && o.lastModified === undefined ? [bits, name, { ...o, lastModified: now() }] : args;
    return Reflect.construct(RealFile, withTime, new.target);
  };
  Object.setPrototypeOf(VirtualFile, RealFile);
  VirtualFile.prototype = RealFile.prototype;
  Object.defineProperty(VirtualFile, "name", { value: "File" });
  define(RealFile.prototype, "constructor", VirtualFile);
  define(globalThis, "File", VirtualFile);
  // Deno's console.time reads the real clock; under --deterministic it
  // reads the virtual one, as on the wasm engine.
  const labels = new Map();
  const realWarn = console.warn;
  const realLog = console.log;
  define(console, "time", (label = "default") => {
    if (labels.has(`${label}`)) realWarn(`Timer '${label}' already exists`);
    else labels.set(`${label}`, elapsed);
  });
  define(console, "timeLog", (label = "default", ...data) => {
    if (!labels.has(`${label}`)) realWarn(`Timer '${label}' does not exist`);
    else realLog(`${label}: ${Math.round(elapsed - labels.get(`${label}`))}ms`, ...data);
  });
  define(console, "timeEnd", (label = "default") => {
    if (!labels.has(`${label}`)) return realWarn(`Timer '${label}' does not exist`);
    realLog(`${label}: ${Math.round(elapsed - labels.get(`${label}`))}ms`);
    labels.delete(`${label}`);
  });
  // Deno's timeOrigin is the real start time; under --deterministic it is the
  // virtual epoch, as on the wasm engine.
  Object.defineProperty(performance, "timeOrigin", {
    get: () => settings.epochMs,
    configurable: true,
    enumerable: true,
  });

  // The wasm engine's generator (engine/src/shared.js) and seed, so seeded
  // runs draw the same numbers.
  const random = shared.createRandom(() => settings.seed);
  define(Math, "random", random);

  // crypto's random sources draw from the same generator, as on the wasm
  // engine (engine/src/web/crypto.js), so seeded runs print the same.
  const realGetRandomValues = crypto.getRandomValues;
  define(crypto, "getRandomValues", function getRandomValues(array) {
    realGetRandomValues.call(crypto, array); // Deno's type and quota checks
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    return array;
  });
  define(crypto, "randomUUID", function randomUUID() {
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) b[i] = Math.floor(random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });
}

// ---- what @coral/sdk reads (sdk/transport.ts) ---------------------------------
Object.defineProperty(globalThis, Symbol.for("coral.deno"), {
  value: Object.freeze({
    colony: settings.colonyUrl,
    params: Object.freeze({ ...settings.params }),
    maxEvents: settings.maxEvents,
    emit: (event) => record("emit", { ...event, at_ms: performance.now() }),
    track,
    // Taken before the script loads, so a script that replaces them cannot
    // garble its own SDK calls (as the wasm engine's prelude does).
    json: Object.freeze({
      stringify: (value, replacer) => apply(stringify, JSON, [value, replacer]),
      parse: (text) => apply(parse, JSON, [text]),
    }),
    fetch: (url, init) => apply(realFetch, globalThis, [url, init]),
  }),
});

// ---- what the sandbox does not give ---------------------------------------------
// Storage would persist into coral's cache (Deno keeps localStorage and the
// Cache API on disk without any permission); Worker loads modules the
// compiler never checked; execPath and cwd tell the machine's layout.
// Removed before the script loads.
for (const name of ["localStorage", "sessionStorage", "caches", "Worker", "Storage", "CacheStorage", "Cache"]) {
  delete globalThis[name];
}
// Deno's internals (Deno[Deno.internal]: evalContext runs code from strings,
// its loader imports data: and node: modules, webidl makes a CacheStorage).
// (`internal` is not in Deno's type declarations.)
delete Deno[/** @type {any} */ (Deno).internal];
for (const name of ["execPath", "cwd"]) {
  Object.defineProperty(Deno, name, {
    value: () => {
      throw new Deno.errors.NotCapable(`Deno.${name}() is not available in Coral scripts`);
    },
    writable: false,
    configurable: false,
  });
}
