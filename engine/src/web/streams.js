// The Streams Standard's globals, from the vendored web-streams-polyfill
// (engine/vendor/web-streams-polyfill, evaluated just before this file: it
// leaves its classes on `WebStreamsPolyfill`). They become globals as Deno
// defines them (writable, configurable, not enumerable), and print as Deno
// prints them.
(() => {
  "use strict";
  const { defineProperty } = Object;
  const internal = (globalThis.__coral_web ??= {});
  const streams = globalThis.WebStreamsPolyfill;
  delete globalThis.WebStreamsPolyfill;
  const NAMES = [
    "ReadableStream",
    "ReadableStreamDefaultReader",
    "ReadableStreamBYOBReader",
    "ReadableStreamBYOBRequest",
    "ReadableStreamDefaultController",
    "ReadableByteStreamController",
    "WritableStream",
    "WritableStreamDefaultWriter",
    "WritableStreamDefaultController",
    "TransformStream",
    "TransformStreamDefaultController",
    "ByteLengthQueuingStrategy",
    "CountQueuingStrategy",
  ];
  for (const name of NAMES) {
    defineProperty(globalThis, name, { value: streams[name], writable: true, configurable: true });
  }
  const { ReadableStream, ReadableByteStreamController, WritableStream, TransformStream } = streams;
  const view = (cls, fields) => defineProperty(cls.prototype, internal.inspect, { value: fields });
  // The polyfill keeps a stream's state in `_state` and its controller in
  // `_readableStreamController`.
  const readableView = (rs) => ({
    locked: rs.locked,
    state: rs._state,
    supportsBYOB: rs._readableStreamController instanceof ReadableByteStreamController,
  });
  view(ReadableStream, function () {
    return readableView(this);
  });
  view(WritableStream, function () {
    return { locked: this.locked };
  });
  view(TransformStream, function () {
    return { readable: this.readable, writable: this.writable };
  });
  view(streams.ReadableStreamDefaultReader, function () {
    return { closed: this.closed };
  });
  view(streams.WritableStreamDefaultWriter, function () {
    return { closed: this.closed, desiredSize: this.desiredSize, ready: this.ready };
  });
  for (const name of ["CountQueuingStrategy", "ByteLengthQueuingStrategy"]) {
    view(streams[name], function () {
      return { highWaterMark: this.highWaterMark, size: this.size };
    });
  }
})();
