// structuredClone: the HTML spec's StructuredSerialize/Deserialize in one
// pass (§2.7.3). Cycles and shared references are kept; what cannot be
// cloned (functions, symbols, WeakMaps, promises, …) is a DataCloneError
// named as V8 names it. Class instances become plain objects, as in every
// engine. `transfer` is accepted and copies rather than detaches.
(() => {
  "use strict";
  const { defineProperty, getPrototypeOf, keys } = Object;
  const isArray = Array.isArray;
  const ERRORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  const TYPED = [
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array,
  ];
  const TypedArray = getPrototypeOf(Int8Array);
  const tag = (value) => Object.prototype.toString.call(value).slice(8, -1);

  function uncloneable(value) {
    // V8 shows a function's source; QuickJS bytecode keeps none, so its
    // text is shown on one line.
    const shown = typeof value === "function" || typeof value === "symbol"
      ? String(value).replace(/\s+/g, " ")
      : `#<${value?.constructor?.name ?? tag(value)}>`;
    return new DOMException(`${shown} could not be cloned.`, "DataCloneError");
  }

  function clone(value, memory) {
    if (typeof value === "symbol" || typeof value === "function") throw uncloneable(value);
    if (value === null || typeof value !== "object") return value;
    if (memory.has(value)) return memory.get(value);
    const remember = (copy) => {
      memory.set(value, copy);
      return copy;
    };
    switch (tag(value)) {
      case "Boolean":
        return remember(Object(Boolean.prototype.valueOf.call(value)));
      case "Number":
        return remember(Object(Number.prototype.valueOf.call(value)));
      case "String":
        return remember(Object(String.prototype.valueOf.call(value)));
      case "BigInt":
        return remember(Object(BigInt.prototype.valueOf.call(value)));
      case "Date":
        return remember(new Date(Date.prototype.getTime.call(value)));
      case "RegExp":
        return remember(new RegExp(value.source, value.flags));
      case "ArrayBuffer":
        return remember(ArrayBuffer.prototype.slice.call(value, 0));
      case "DataView": {
        const buffer = clone(value.buffer, memory);
        return remember(new DataView(buffer, value.byteOffset, value.byteLength));
      }
      case "Map": {
        const copy = remember(new Map());
        for (const [k, v] of Map.prototype.entries.call(value)) copy.set(clone(k, memory), clone(v, memory));
        return copy;
      }
      case "Set": {
        const copy = remember(new Set());
        for (const v of Set.prototype.values.call(value)) copy.add(clone(v, memory));
        return copy;
      }
      case "Error": {
        const name = value.name;
        const Class = Object.hasOwn(ERRORS, name) ? ERRORS[name] : Error;
        const copy = remember(Object.create(Class.prototype));
        if (Object.hasOwn(value, "message")) {
          defineProperty(copy, "message", { value: `${value.message}`, writable: true, configurable: true });
        }
        if (typeof value.stack === "string") {
          defineProperty(copy, "stack", { value: value.stack, writable: true, configurable: true });
        }
        if (Object.hasOwn(value, "cause")) {
          defineProperty(copy, "cause", { value: clone(value.cause, memory), writable: true, configurable: true });
        }
        return copy;
      }
    }
    if (value instanceof TypedArray) {
      const Class = TYPED.find((T) => value instanceof T);
      const buffer = clone(value.buffer, memory);
      return remember(new Class(buffer, value.byteOffset, value.length));
    }
    if (isArray(value)) {
      const copy = remember(new Array(value.length));
      for (const key of keys(value)) copy[key] = clone(value[key], memory);
      return copy;
    }
    const kind = tag(value);
    if (kind !== "Object" && kind !== "Arguments" || value instanceof WeakMap || value instanceof WeakSet ||
      value instanceof Promise || value instanceof WeakRef) {
      throw uncloneable(value);
    }
    const copy = remember({});
    for (const key of keys(value)) copy[key] = clone(value[key], memory);
    return copy;
  }

  function structuredClone(value, options) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present");
    }
    if (options !== undefined && options !== null && typeof options !== "object") {
      throw new TypeError("Failed to execute 'structuredClone' on 'Window': The provided value is not of type 'StructuredSerializeOptions'.");
    }
    return clone(value, new Map());
  }

  defineProperty(globalThis, "structuredClone", { value: structuredClone, writable: true, enumerable: true, configurable: true });
})();
