// atob and btoa: the HTML spec's forgiving-base64 decode and its encode of a
// Latin-1 string, with Deno's errors (an InvalidCharacterError DOMException).
(() => {
  "use strict";
  const { defineProperty } = Object;
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));
  const fromCharCode = String.fromCharCode;

  function required(name, args) {
    if (args < 1) throw new TypeError(`Failed to execute '${name}': 1 argument required, but only 0 present`);
  }

  function btoa(data) {
    required("btoa", arguments.length);
    const text = `${data}`;
    let out = "";
    for (let i = 0; i < text.length; i += 3) {
      const a = text.charCodeAt(i), b = text.charCodeAt(i + 1), c = text.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) {
        throw new DOMException("Cannot encode string: string contains characters outside of the Latin1 range", "InvalidCharacterError");
      }
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] +
        (i + 1 < text.length ? ALPHABET[(n >> 6) & 63] : "=") +
        (i + 2 < text.length ? ALPHABET[n & 63] : "=");
    }
    return out;
  }

  function atob(data) {
    required("atob", arguments.length);
    let text = `${data}`.replace(/[\t\n\f\r ]/g, "");
    if (text.length % 4 === 0) text = text.replace(/={1,2}$/, "");
    const invalid = () => new DOMException("Failed to decode base64", "InvalidCharacterError");
    if (text.length % 4 === 1) throw invalid();
    let out = "";
    let buffer = 0;
    let bits = 0;
    for (const c of text) {
      const v = VALUE.get(c);
      if (v === undefined) throw invalid();
      buffer = ((buffer << 6) | v) & 0xffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += fromCharCode((buffer >> bits) & 255);
      }
    }
    return out;
  }

  defineProperty(globalThis, "btoa", { value: btoa, writable: true, enumerable: true, configurable: true });
  defineProperty(globalThis, "atob", { value: atob, writable: true, enumerable: true, configurable: true });
})();
