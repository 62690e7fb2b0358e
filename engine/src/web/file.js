// File (File API §4) and FormData (XMLHttpRequest Standard §4.3), as Deno
// defines them. A File is a Blob with a name and a time; FormData is an
// ordered list of (name, string or File) entries.
(() => {
  "use strict";
  const { defineProperty, defineProperties } = Object;
  const internal = (globalThis.__coral_web ??= {});
  const { Blob } = globalThis;

  const files = new WeakMap();
  const fileState = (self) => {
    const s = files.get(self);
    if (!s) throw new TypeError("Illegal invocation");
    return s;
  };

  class File extends Blob {
    constructor(bits, name, options = {}) {
      if (arguments.length < 2) {
        throw new TypeError(`Failed to construct 'File': 2 arguments required, but only ${arguments.length} present.`);
      }
      super(bits, options);
      const lastModified = options?.lastModified;
      files.set(this, {
        name: `${name}`,
        lastModified: lastModified === undefined ? Date.now() : Math.trunc(Number(lastModified)) || 0,
      });
    }
    get name() {
      return fileState(this).name;
    }
    get lastModified() {
      return fileState(this).lastModified;
    }
  }
  defineProperties(File.prototype, {
    name: { ...Object.getOwnPropertyDescriptor(File.prototype, "name"), enumerable: true },
    lastModified: { ...Object.getOwnPropertyDescriptor(File.prototype, "lastModified"), enumerable: true },
    [Symbol.toStringTag]: { value: "File", configurable: true },
    [internal.inspect]: {
      value() {
        return { name: this.name, size: this.size, type: this.type };
      },
    },
  });

  // A value as FormData keeps it: a string, or a File (a Blob becomes a File
  // named `blob` unless a file name is given).
  function entryValue(value, filename, what) {
    if (value instanceof Blob) {
      if (filename !== undefined) {
        return new File([value], `${filename}`, { type: value.type, lastModified: value instanceof File ? value.lastModified : undefined });
      }
      return value instanceof File ? value : new File([value], "blob", { type: value.type });
    }
    if (filename !== undefined) {
      throw new TypeError(`Failed to execute '${what}' on 'FormData': parameter 2 is not of type 'Blob'.`);
    }
    return `${value}`;
  }

  const forms = new WeakMap();
  const entries = (self) => {
    const list = forms.get(self);
    if (!list) throw new TypeError("Illegal invocation");
    return list;
  };
  const required = (what, n, got) => {
    if (got < n) {
      throw new TypeError(`Failed to execute '${what}' on 'FormData': ${n} argument${n > 1 ? "s" : ""} required, but only ${got} present.`);
    }
  };

  class FormData {
    constructor(form = undefined) {
      if (form !== undefined) {
        throw new TypeError("Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'.");
      }
      forms.set(this, []);
    }
    append(name, value, filename = undefined) {
      required("append", 2, arguments.length);
      entries(this).push([`${name}`, entryValue(value, filename, "append")]);
    }
    delete(name) {
      required("delete", 1, arguments.length);
      const list = entries(this);
      const key = `${name}`;
      forms.set(this, list.filter(([k]) => k !== key));
    }
    get(name) {
      required("get", 1, arguments.length);
      const key = `${name}`;
      const found = entries(this).find(([k]) => k === key);
      return found ? found[1] : null;
    }
    getAll(name) {
      required("getAll", 1, arguments.length);
      const key = `${name}`;
      return entries(this).filter(([k]) => k === key).map(([, v]) => v);
    }
    has(name) {
      required("has", 1, arguments.length);
      const key = `${name}`;
      return entries(this).some(([k]) => k === key);
    }
    set(name, value, filename = undefined) {
      required("set", 2, arguments.length);
      const key = `${name}`;
      const entry = [key, entryValue(value, filename, "set")];
      const list = entries(this);
      const first = list.findIndex(([k]) => k === key);
      if (first < 0) {
        list.push(entry);
      } else {
        forms.set(this, [...list.slice(0, first), entry, ...list.slice(first + 1).filter(([k]) => k !== key)]);
      }
    }
    forEach(callback, thisArg = undefined) {
      for (const [k, v] of /** @type {Iterable<[string, unknown]>} */ (/** @type {unknown} */ (this))) callback.call(thisArg, v, k, this);
    }
    // Live, as the standard's iterator: entries set or deleted while
    // iterating are seen.
    *entries() {
      for (let i = 0; i < entries(this).length; i++) {
        const [k, v] = entries(this)[i];
        yield [k, v];
      }
    }
    *keys() {
      for (const [k] of this.entries()) yield k;
    }
    *values() {
      for (const [, v] of this.entries()) yield v;
    }
  }
  defineProperties(FormData.prototype, {
    [Symbol.iterator]: { value: FormData.prototype.entries, writable: true, configurable: true },
    [Symbol.toStringTag]: { value: "FormData", configurable: true },
    [internal.inspect]: {
      value() {
        // Deno shows one field per name, the last value.
        return Object.fromEntries(entries(this));
      },
    },
  });
  internal.formEntries = entries;
  defineProperty(globalThis, "File", { value: File, writable: true, configurable: true });
  defineProperty(globalThis, "FormData", { value: FormData, writable: true, configurable: true });
})();
