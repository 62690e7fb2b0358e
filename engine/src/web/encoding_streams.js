// TextEncoderStream and TextDecoderStream (Encoding Standard §7.4, §7.5):
// TransformStreams around a TextEncoder / a streaming TextDecoder, as Deno
// defines them.
(() => {
  "use strict";
  const { defineProperty, defineProperties } = Object;
  const internal = (globalThis.__coral_web ??= {});
  const { TransformStream, TextDecoder, TextEncoder } = globalThis;
  const encoder = new TextEncoder();
  const states = new WeakMap();
  const state = (self) => {
    const s = states.get(self);
    if (!s) throw new TypeError("Illegal invocation");
    return s;
  };

  class TextDecoderStream {
    constructor(label = "utf-8", options = undefined) {
      const decoder = new TextDecoder(label, options);
      const transform = new TransformStream({
        transform(chunk, controller) {
          const text = decoder.decode(chunk, { stream: true });
          if (text) controller.enqueue(text);
        },
        flush(controller) {
          const text = decoder.decode();
          if (text) controller.enqueue(text);
        },
      });
      states.set(this, { decoder, transform });
    }
    get encoding() {
      return state(this).decoder.encoding;
    }
    get fatal() {
      return state(this).decoder.fatal;
    }
    get ignoreBOM() {
      return state(this).decoder.ignoreBOM;
    }
    get readable() {
      return state(this).transform.readable;
    }
    get writable() {
      return state(this).transform.writable;
    }
  }

  class TextEncoderStream {
    constructor() {
      // A high surrogate at the end of a chunk waits for the next one.
      let pending = "";
      const transform = new TransformStream({
        transform(chunk, controller) {
          let text = pending + `${chunk}`;
          pending = "";
          const last = text.charCodeAt(text.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            pending = text.slice(-1);
            text = text.slice(0, -1);
          }
          if (text) controller.enqueue(encoder.encode(text));
        },
        flush(controller) {
          if (pending) controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
        },
      });
      states.set(this, { transform });
    }
    get encoding() {
      return "utf-8";
    }
    get readable() {
      return state(this).transform.readable;
    }
    get writable() {
      return state(this).transform.writable;
    }
  }

  const enumerable = (cls, names) => {
    for (const name of names) {
      defineProperty(cls.prototype, name, { ...Object.getOwnPropertyDescriptor(cls.prototype, name), enumerable: true });
    }
  };
  enumerable(TextDecoderStream, ["encoding", "fatal", "ignoreBOM", "readable", "writable"]);
  enumerable(TextEncoderStream, ["encoding", "readable", "writable"]);
  defineProperties(TextDecoderStream.prototype, {
    [Symbol.toStringTag]: { value: "TextDecoderStream", configurable: true },
    [internal.inspect]: {
      value() {
        const { encoding, fatal, ignoreBOM, readable, writable } = this;
        return { encoding, fatal, ignoreBOM, readable, writable };
      },
    },
  });
  defineProperties(TextEncoderStream.prototype, {
    [Symbol.toStringTag]: { value: "TextEncoderStream", configurable: true },
    [internal.inspect]: {
      value() {
        return { encoding: this.encoding, readable: this.readable, writable: this.writable };
      },
    },
  });
  defineProperty(globalThis, "TextDecoderStream", { value: TextDecoderStream, writable: true, configurable: true });
  defineProperty(globalThis, "TextEncoderStream", { value: TextEncoderStream, writable: true, configurable: true });
})();
