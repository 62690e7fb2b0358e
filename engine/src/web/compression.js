// CompressionStream and DecompressionStream (Compression Standard):
// TransformStreams whose codec is the host's (`{"op": "compression"}`:
// flate2) for `gzip`, `deflate` (zlib) and `deflate-raw`, as Deno defines
// them. Each stream holds a host handle until it is flushed or fails.
(() => {
  "use strict";
  const native = globalThis.__coral_native;
  const internal = (globalThis.__coral_web ??= {});
  const encode = internal.encodeJson;
  const fromJson = JSON.parse;
  const { defineProperty, defineProperties } = Object;
  const { TransformStream } = globalThis;
  const FORMATS = ["deflate", "deflate-raw", "gzip"];

  function host(fn, args) {
    const response = fromJson(native.call(encode({ op: "compression", fn, args })));
    if (response.error) throw new TypeError(response.error.message);
    return response.ok;
  }

  function bytesOf(chunk) {
    if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
    if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    throw new TypeError("chunk is not an ArrayBuffer, SharedArrayBuffer, or a view on one");
  }

  const states = new WeakMap();
  const state = (self) => {
    const s = states.get(self);
    if (!s) throw new TypeError("Illegal invocation");
    return s;
  };

  function codec(self, what, format, compress) {
    const name = `${format}`;
    if (!FORMATS.includes(name)) {
      throw new TypeError(`Failed to construct '${what}': Unsupported compression format: '${name}'`);
    }
    let handle = null;
    const open = () => (handle ??= host("open", { format: name, compress }));
    const emit = (controller, hex) => {
      if (hex.length) controller.enqueue(internal.fromHex(hex));
    };
    const transform = new TransformStream({
      transform(chunk, controller) {
        const bytes = bytesOf(chunk);
        const h = open();
        try {
          for (let at = 0; at < bytes.length; at += internal.MAX_HOST_BYTES) {
            const piece = bytes.subarray(at, at + internal.MAX_HOST_BYTES);
            emit(controller, host("write", { handle: h, data: internal.toHex(piece) }));
          }
        } catch (e) {
          handle = null;
          throw e;
        }
      },
      flush(controller) {
        const h = open();
        handle = null;
        emit(controller, host("finish", { handle: h }));
      },
      // Cancelled or aborted: the host's state goes at once.
      cancel() {
        if (handle !== null) host("close", { handle });
        handle = null;
      },
    });
    states.set(self, transform);
  }

  class CompressionStream {
    constructor(format) {
      codec(this, "CompressionStream", format, true);
    }
    get readable() {
      return state(this).readable;
    }
    get writable() {
      return state(this).writable;
    }
  }
  class DecompressionStream {
    constructor(format) {
      codec(this, "DecompressionStream", format, false);
    }
    get readable() {
      return state(this).readable;
    }
    get writable() {
      return state(this).writable;
    }
  }
  for (const cls of [CompressionStream, DecompressionStream]) {
    const get = (name) => ({ ...Object.getOwnPropertyDescriptor(cls.prototype, name), enumerable: true });
    defineProperties(cls.prototype, {
      readable: get("readable"),
      writable: get("writable"),
      [Symbol.toStringTag]: { value: cls.name, configurable: true },
      [internal.inspect]: {
        value() {
          return { readable: this.readable, writable: this.writable };
        },
      },
    });
    defineProperty(globalThis, cls.name, { value: cls, writable: true, configurable: true });
  }
})();
