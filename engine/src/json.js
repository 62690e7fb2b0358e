// The JSON encoder for requests to the host, shared by the web globals, the
// Intl glue and (through the hidden `__coral_web` object, removed by the
// prelude) nothing a script can reach. Unlike JSON.stringify it never calls a
// `toJSON` (a script could define one on Object.prototype and rewrite a
// request), reads only own enumerable properties through captured
// intrinsics, and sends lone surrogates as U+FFFD (which keeps UTF-16
// indices) so that every string is valid JSON text for the host.
(() => {
  "use strict";
  const internal = (globalThis.__coral_web ??= {});
  const stringify = JSON.stringify;
  const { keys } = Object;
  const isArray = Array.isArray;
  const isFinite = Number.isFinite;
  const reflectApply = Reflect.apply;
  const toWellFormed = String.prototype.toWellFormed;
  const replace = String.prototype.replace;
  const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  const wellFormed = toWellFormed
    ? (s) => reflectApply(toWellFormed, s, [])
    : (s) => reflectApply(replace, s, [LONE, "\ufffd"]);

  function encode(value) {
    if (value === null) return "null";
    switch (typeof value) {
      case "string":
        // A primitive string: JSON.stringify consults no toJSON for it.
        return stringify(wellFormed(value));
      case "number":
        return isFinite(value) ? stringify(value) : "null";
      case "boolean":
        return value ? "true" : "false";
      case "object": {
        let out;
        if (isArray(value)) {
          out = "[";
          for (let i = 0; i < value.length; i++) {
            if (i > 0) out += ",";
            const item = value[i];
            out += item === undefined ? "null" : encode(item);
          }
          return out + "]";
        }
        out = "{";
        const names = keys(value);
        let first = true;
        for (let i = 0; i < names.length; i++) {
          const item = value[names[i]];
          if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
          out += (first ? "" : ",") + stringify(names[i]) + ":" + encode(item);
          first = false;
        }
        return out + "}";
      }
      default:
        return "null";
    }
  }
  internal.encodeJson = encode;
  // The method a web global defines to show itself in console.log (its
  // fields as an object, or map-like [key, value] pairs), as Deno's custom
  // inspection does. Not in the global symbol registry.
  internal.inspect = Symbol("coral.inspect");
  // Bytes travel to and from the host as hex in JSON strings, at most this
  // many per request (twice that in hex, inside the ABI's 1 MiB requests).
  internal.MAX_HOST_BYTES = 256 * 1024;
  // Bytes travel to and from the host as hex in JSON strings.
  const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? "0" : "") + i.toString(16));
  internal.toHex = (bytes) => {
    let hex = "";
    for (let i = 0; i < bytes.length; i++) hex += HEX[bytes[i]];
    return hex;
  };
  internal.fromHex = (hex) => {
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    return bytes;
  };
})();
