// TextDecoder (Encoding Standard §7.1) as Deno defines it, for every
// encoding of the standard: UTF-8 is decoded by the engine (javy's native
// decoder, kept here as `utf8`), every other encoding by the host
// (`{"op": "encoding"}`: encoding_rs). `decode(bytes, {stream: true})`
// keeps a character split between calls: for UTF-8 its first bytes wait
// here; for the others the host keeps the decoder's state under a handle.
(() => {
  "use strict";
  const native = globalThis.__coral_native;
  const internal = (globalThis.__coral_web ??= {});
  const encode = internal.encodeJson;
  const fromJson = JSON.parse;
  const { defineProperty, defineProperties } = Object;
  const NativeDecoder = globalThis.TextDecoder;
  const utf8 = {
    plain: new NativeDecoder("utf-8"),
    fatal: new NativeDecoder("utf-8", { fatal: true }),
    plainKeepBom: new NativeDecoder("utf-8", { ignoreBOM: true }),
    fatalKeepBom: new NativeDecoder("utf-8", { fatal: true, ignoreBOM: true }),
  };
  const UTF8_LABELS = ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"];
  const INVALID = "The encoded data is not valid";

  function host(fn, args) {
    const response = fromJson(native.call(encode({ op: "encoding", fn, args })));
    if (response.error) throw new TypeError(response.error.message);
    return response.ok;
  }

  const decoders = new WeakMap();
  const state = (self) => {
    const s = decoders.get(self);
    if (!s) throw new TypeError("Illegal invocation");
    return s;
  };

  function bytesOf(input) {
    if (input === undefined) return new Uint8Array(0);
    if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer === "function" && input instanceof SharedArrayBuffer)) {
      return new Uint8Array(input);
    }
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError(
      "Failed to execute 'decode' on 'TextDecoder': Argument 1 is not an ArrayBuffer, SharedArrayBuffer, or a view on one",
    );
  }

  // Where an unfinished UTF-8 sequence starts at the end of `bytes`
  // (`bytes.length` if none): its lead byte promises more bytes than follow.
  function unfinishedAt(bytes) {
    const end = bytes.length;
    for (let i = end - 1; i >= 0 && i >= end - 3; i--) {
      const b = bytes[i];
      if ((b & 0xc0) === 0x80) continue;
      const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1;
      return i + need > end ? i : end;
    }
    return end;
  }

  function decodeUtf8(s, bytes, stream) {
    let all = bytes;
    if (s.pending.length) {
      all = new Uint8Array(s.pending.length + bytes.length);
      all.set(s.pending);
      all.set(bytes, s.pending.length);
    }
    const cut = stream ? unfinishedAt(all) : all.length;
    s.pending = all.slice(cut);
    const body = cut === all.length ? all : all.subarray(0, cut);
    if (body.length === 0) return "";
    // A byte order mark is removed only at the start of a stream.
    const keepBom = s.ignoreBOM || s.started;
    const decoder = s.fatal ? (keepBom ? utf8.fatalKeepBom : utf8.fatal) : keepBom ? utf8.plainKeepBom : utf8.plain;
    s.started = true;
    try {
      return decoder.decode(body);
    } catch {
      throw new TypeError(INVALID);
    }
  }

  // Large input goes in pieces, all but the last as part of a stream.
  function decodeOther(s, bytes, stream) {
    let text = "";
    let at = 0;
    do {
      const piece = bytes.subarray(at, at + internal.MAX_HOST_BYTES);
      at += internal.MAX_HOST_BYTES;
      const answer = host("decode", {
        encoding: s.encoding,
        fatal: s.fatal,
        ignoreBOM: s.ignoreBOM,
        stream: stream || at < bytes.length,
        handle: s.handle,
        data: internal.toHex(piece),
      });
      s.handle = answer.handle;
      text += answer.text;
    } while (at < bytes.length);
    return text;
  }

  class TextDecoder {
    constructor(label = "utf-8", options = undefined) {
      if (options !== undefined && options !== null && typeof options !== "object" && typeof options !== "function") {
        throw new TypeError("Failed to construct 'TextDecoder': Argument 2 can not be converted to a dictionary");
      }
      const text = `${label}`;
      const key = text.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "").toLowerCase();
      const encoding = UTF8_LABELS.includes(key) ? "utf-8" : host("label", { label: text });
      if (encoding === null) throw new RangeError(`The encoding label provided ('${text}') is invalid.`);
      decoders.set(this, {
        encoding,
        fatal: Boolean(options?.fatal),
        ignoreBOM: Boolean(options?.ignoreBOM),
        pending: new Uint8Array(0),
        started: false,
        handle: null,
      });
    }
    get encoding() {
      return state(this).encoding;
    }
    get fatal() {
      return state(this).fatal;
    }
    get ignoreBOM() {
      return state(this).ignoreBOM;
    }
    decode(input = undefined, options = undefined) {
      const s = state(this);
      const bytes = bytesOf(input);
      const stream = Boolean(options?.stream);
      try {
        return s.encoding === "utf-8" ? decodeUtf8(s, bytes, stream) : decodeOther(s, bytes, stream);
      } catch (e) {
        s.pending = new Uint8Array(0);
        s.handle = null;
        s.started = false;
        throw e;
      } finally {
        if (!stream) {
          s.pending = new Uint8Array(0);
          s.handle = null;
          s.started = false;
        }
      }
    }
  }
  // WebIDL: attributes and operations are enumerable.
  const enumerable = (name) => ({ ...Object.getOwnPropertyDescriptor(TextDecoder.prototype, name), enumerable: true });
  defineProperties(TextDecoder.prototype, {
    encoding: enumerable("encoding"),
    fatal: enumerable("fatal"),
    ignoreBOM: enumerable("ignoreBOM"),
    decode: enumerable("decode"),
    [Symbol.toStringTag]: { value: "TextDecoder", configurable: true },
  });
  defineProperty(TextDecoder.prototype, internal.inspect, {
    value() {
      const s = state(this);
      return { encoding: s.encoding, fatal: s.fatal, ignoreBOM: s.ignoreBOM };
    },
  });
  defineProperty(globalThis, "TextDecoder", { value: TextDecoder, writable: true, configurable: true });
})();
