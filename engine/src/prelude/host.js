// The prelude's first file: it takes the hidden globals the engine and the
// earlier files left (`__coral_native` from lib.rs, `__coral_web` from the
// web files, `__coral_shared` from shared.js) into the prelude's own hidden
// object, `__coral_prelude`, which the later prelude files read and
// hooks.js deletes. The prelude runs once, when the plugin image is built
// (under Wizer), so none of its files may read the clock or the seed at
// load time. This file owns the way to the host: requests (`hostCall`),
// and the bounds a report stays within.
(() => {
  "use strict";
  const native = globalThis.__coral_native;
  const web = globalThis.__coral_web;
  const shared = globalThis.__coral_shared;
  delete globalThis.__coral_native;
  delete globalThis.__coral_web;
  delete globalThis.__coral_shared;
  delete globalThis.Javy;

  // Taken at snapshot time: a script that replaces JSON.stringify or
  // JSON.parse cannot change how requests reach the host, nor its error
  // report.
  const toJson = JSON.stringify;
  const fromJson = JSON.parse;
  const errorClasses = { Error, TypeError, RangeError };
  function hostCall(op, payload) {
    const response = fromJson(native.call(toJson({ op, ...payload })));
    const error = response.error;
    if (error) {
      // A colony failure carries a Connect code, which the SDK registers a
      // class for; anything else names its class.
      const ErrorClass = (error.code && errorClasses[error.code]) || errorClasses[error.class] || Error;
      throw new ErrorClass(error.message, error.code);
    }
    return response.ok;
  }

  // Unpaired surrogates cannot cross to the host as UTF-8; print U+FFFD
  // for them, as Deno does.
  const toWellFormed = String.prototype.toWellFormed;
  const wellFormed = (text) => toWellFormed.call(text);

  // Reports stay well under the ABI's request bound whatever was thrown.
  const REPORT_FIELD_CHARS = 64 * 1024;
  const clip = (text) =>
    wellFormed(text.length > REPORT_FIELD_CHARS ? `${text.slice(0, REPORT_FIELD_CHARS)}… (truncated)` : text);
  // Whole frames only, and a count of those left out (the host adds it to
  // the frames it leaves out itself).
  function clipStack(stack) {
    if (stack.length <= REPORT_FIELD_CHARS) return wellFormed(stack);
    const lines = stack.split("\n");
    const kept = [];
    let size = 0;
    for (const line of lines) {
      if (size + line.length + 1 > REPORT_FIELD_CHARS) break;
      kept.push(line);
      size += line.length + 1;
    }
    return wellFormed(`${kept.join("\n")}\n... ${lines.length - kept.length} more frames not shown`);
  }

  // A global as the prelude defines them: writable, configurable, not
  // enumerable (as Deno's are).
  const define = (name, value) =>
    Object.defineProperty(globalThis, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });

  Object.defineProperty(globalThis, "__coral_prelude", {
    value: { native, web, shared, toJson, fromJson, errorClasses, hostCall, wellFormed, clip, clipStack, define },
    configurable: true,
  });
})();
