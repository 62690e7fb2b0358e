// TextEncoder.prototype.encodeInto (Encoding Standard §8.2.3), which javy's
// TextEncoder does not implement: writes the UTF-8 of `source` into `destination` as far
// as whole code points fit, and says how many UTF-16 units were read and
// bytes written. Lone surrogates are written as U+FFFD, as encode() does.
(() => {
  "use strict";
  const { defineProperty } = Object;
  function encodeInto(source, destination) {
    if (!(destination instanceof Uint8Array)) {
      throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
    }
    const text = `${source}`;
    let read = 0;
    let written = 0;
    while (read < text.length) {
      let cp = text.codePointAt(read);
      const units = cp > 0xffff ? 2 : 1;
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (written + size > destination.length) break;
      if (size === 1) {
        destination[written] = cp;
      } else if (size === 2) {
        destination[written] = 0xc0 | (cp >> 6);
        destination[written + 1] = 0x80 | (cp & 63);
      } else if (size === 3) {
        destination[written] = 0xe0 | (cp >> 12);
        destination[written + 1] = 0x80 | ((cp >> 6) & 63);
        destination[written + 2] = 0x80 | (cp & 63);
      } else {
        destination[written] = 0xf0 | (cp >> 18);
        destination[written + 1] = 0x80 | ((cp >> 12) & 63);
        destination[written + 2] = 0x80 | ((cp >> 6) & 63);
        destination[written + 3] = 0x80 | (cp & 63);
      }
      written += size;
      read += units;
    }
    return { read, written };
  }
  // javy defines one that only throws "encodeInto is not supported".
  defineProperty(TextEncoder.prototype, "encodeInto", { value: encodeInto, writable: true, configurable: true });
})();
