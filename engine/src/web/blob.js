// Blob (File API §3): immutable bytes with a type, built from strings
// (UTF-8), buffers, views and other blobs; slice, text, arrayBuffer, bytes,
// stream. `internal.blobBytes` and `internal.blobOf` give file.js and
// body.js the bytes without a copy.
(() => {
  "use strict";
  const { defineProperty } = Object;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const { ReadableStream } = globalThis;
  const blobs = new WeakMap();
  const state = (self, what) => {
    const s = blobs.get(self);
    if (!s) throw new TypeError(`Illegal invocation: Blob.prototype.${what}`);
    return s;
  };
  const lowerAscii = (type) => (/^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : "");

  function bytesOf(part) {
    if (part instanceof Blob) return state(part, "constructor").bytes;
    if (part instanceof ArrayBuffer) return new Uint8Array(part.slice(0));
    if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
    return encoder.encode(`${part}`);
  }

  class Blob {
    constructor(parts = [], options = {}) {
      if (parts === null || typeof parts !== "object" || typeof parts[Symbol.iterator] !== "function") {
        throw new TypeError("Failed to construct 'Blob': The provided value cannot be converted to a sequence.");
      }
      const chunks = [...parts].map(bytesOf);
      const size = chunks.reduce((n, c) => n + c.length, 0);
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      blobs.set(this, { bytes, type: lowerAscii(`${(options ?? {}).type ?? ""}`) });
    }
    get size() {
      return state(this, "size").bytes.length;
    }
    get type() {
      return state(this, "type").type;
    }
    slice(start = 0, end, contentType = "") {
      const { bytes } = state(this, "slice");
      const clamp = (n, fallback) => {
        if (n === undefined) return fallback;
        const i = Math.trunc(Number(n)) || 0;
        return i < 0 ? Math.max(bytes.length + i, 0) : Math.min(i, bytes.length);
      };
      const from = clamp(start, 0);
      const to = clamp(end, bytes.length);
      const out = new Blob([], { type: contentType });
      blobs.get(out).bytes = bytes.slice(from, Math.max(from, to));
      return out;
    }
    text() {
      try {
        return Promise.resolve(decoder.decode(state(this, "text").bytes));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    arrayBuffer() {
      try {
        return Promise.resolve(state(this, "arrayBuffer").bytes.slice().buffer);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    bytes() {
      try {
        return Promise.resolve(state(this, "bytes").bytes.slice());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    stream() {
      const { bytes } = state(this, "stream");
      return new ReadableStream({
        type: "bytes",
        start(controller) {
          if (bytes.length) controller.enqueue(bytes.slice());
          controller.close();
        },
      });
    }
  }
  const internal = (globalThis.__coral_web ??= {});
  internal.blobBytes = (blob) => state(blob, "bytes").bytes;
  internal.blobOf = (bytes, type, into = new Blob()) => {
    blobs.set(into, { bytes, type: lowerAscii(type) });
    return into;
  };
  defineProperty(Blob.prototype, Symbol.toStringTag, { value: "Blob", configurable: true });
  defineProperty(Blob.prototype, internal.inspect, {
    value() {
      return { size: this.size, type: this.type };
    },
  });
  defineProperty(globalThis, "Blob", { value: Blob, writable: true, configurable: true });
})();
