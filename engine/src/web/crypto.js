// Web Crypto's everyday part: crypto.getRandomValues, crypto.randomUUID and
// crypto.subtle.digest (SHA-1/256/384/512), as Deno defines them. Bytes and
// digests come from the host (`{"op": "crypto"}`: the operating system's
// generator, RustCrypto's hashes); under --deterministic the host declines
// and the bytes come from the run's seeded Math.random generator, which the
// Deno engine uses too, so both engines print the same.
(() => {
  "use strict";
  const native = globalThis.__coral_native;
  const internal = (globalThis.__coral_web ??= {});
  const encode = internal.encodeJson;
  const fromJson = JSON.parse;
  const { defineProperty, defineProperties, getPrototypeOf } = Object;
  const TypedArray = getPrototypeOf(Int8Array);
  const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array];
  const MAX_BYTES = 65536;

  function host(request) {
    const response = fromJson(native.call(encode({ op: "crypto", ...request })));
    if (response.error) {
      const { class: name, message } = response.error;
      throw name === "TypeError" ? new TypeError(message) : new DOMException(message, name);
    }
    return response.ok;
  }

  function randomBytes(length) {
    const bytes = new Uint8Array(length);
    const hex = host({ fn: "random", len: length });
    if (hex !== null) return internal.fromHex(hex);
    const random = internal.random; // the prelude's seeded generator
    for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
    return bytes;
  }

  let constructing = false;
  const illegal = () => {
    if (!constructing) throw new TypeError("Illegal constructor.");
  };

  class SubtleCrypto {
    constructor() {
      illegal();
    }
    digest(algorithm, data) {
      try {
        const name = `${typeof algorithm === "object" && algorithm !== null ? algorithm.name : algorithm}`.toUpperCase();
        let view;
        if (data instanceof ArrayBuffer) view = new Uint8Array(data);
        else if (ArrayBuffer.isView(data)) view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        else throw new TypeError("Failed to execute 'digest' on 'SubtleCrypto': 2nd argument is not of type BufferSource");
        if (!["SHA-1", "SHA-256", "SHA-384", "SHA-512"].includes(name)) {
          throw new DOMException("Unrecognized algorithm name", "NotSupportedError");
        }
        const digest = host({ fn: "digest", algorithm: name, data: internal.toHex(view) });
        return Promise.resolve(internal.fromHex(digest).buffer);
      } catch (e) {
        return Promise.reject(e);
      }
    }
  }
  defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: "SubtleCrypto", configurable: true });

  class Crypto {
    constructor() {
      illegal();
    }
    get subtle() {
      return subtle;
    }
    getRandomValues(array) {
      if (!(array instanceof TypedArray) || !INTEGER_ARRAYS.some((T) => array instanceof T)) {
        throw new DOMException("The provided ArrayBufferView is not an integer array type", "TypeMismatchError");
      }
      if (array.byteLength > MAX_BYTES) {
        throw new DOMException(
          `The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (${MAX_BYTES})`,
          "QuotaExceededError",
        );
      }
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(randomBytes(array.byteLength));
      return array;
    }
    randomUUID() {
      const b = randomBytes(16);
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      let hex = "";
      for (let i = 0; i < 16; i++) hex += (b[i] < 16 ? "0" : "") + b[i].toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
  }
  defineProperty(Crypto.prototype, Symbol.toStringTag, { value: "Crypto", configurable: true });

  constructing = true;
  const subtle = new SubtleCrypto();
  const crypto = new Crypto();
  constructing = false;
  defineProperties(globalThis, {
    crypto: { value: crypto, writable: true, enumerable: true, configurable: true },
    Crypto: { value: Crypto, writable: true, configurable: true },
    SubtleCrypto: { value: SubtleCrypto, writable: true, configurable: true },
  });
})();
