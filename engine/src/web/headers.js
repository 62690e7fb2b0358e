// Headers (Fetch Standard §5.2) without fetch: a header list with name
// validation, value normalization, case-insensitive lookup, combined values
// and Set-Cookie kept apart, iterated sorted by name.
(() => {
  "use strict";
  const { defineProperty } = Object;
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const lists = new WeakMap();
  const list = (self, what) => {
    const l = lists.get(self);
    if (!l) throw new TypeError(`Illegal invocation: Headers.prototype.${what}`);
    return l;
  };
  const normalizeName = (name) => {
    const n = `${name}`;
    if (!TOKEN.test(n)) throw new TypeError(`Invalid header name: "${n}"`);
    return n.toLowerCase();
  };
  const normalizeValue = (value) => {
    const v = `${value}`.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
    if (/[\0\r\n]/.test(v)) throw new TypeError(`Invalid header value: "${v}"`);
    return v;
  };

  class Headers {
    constructor(init) {
      lists.set(this, []);
      if (init === undefined || init === null) return;
      if (typeof init !== "object") throw new TypeError("Headers init must be an object");
      if (init instanceof Headers || typeof init[Symbol.iterator] === "function") {
        for (const pair of init) {
          const entry = [...pair];
          if (entry.length !== 2) throw new TypeError("Header init pair must have two items");
          this.append(entry[0], entry[1]);
        }
      } else {
        for (const key of Object.keys(init)) this.append(key, init[key]);
      }
    }
    append(name, value) {
      list(this, "append").push([normalizeName(name), normalizeValue(value)]);
    }
    delete(name) {
      const n = normalizeName(name);
      lists.set(this, list(this, "delete").filter(([k]) => k !== n));
    }
    get(name) {
      const n = normalizeName(name);
      const values = list(this, "get").filter(([k]) => k === n).map(([, v]) => v);
      return values.length === 0 ? null : values.join(", ");
    }
    getSetCookie() {
      return list(this, "getSetCookie").filter(([k]) => k === "set-cookie").map(([, v]) => v);
    }
    has(name) {
      const n = normalizeName(name);
      return list(this, "has").some(([k]) => k === n);
    }
    set(name, value) {
      const n = normalizeName(name);
      const v = normalizeValue(value);
      const l = list(this, "set");
      const i = l.findIndex(([k]) => k === n);
      if (i < 0) {
        l.push([n, v]);
      } else {
        l[i] = [n, v];
        lists.set(this, l.filter(([k], j) => j <= i || k !== n));
      }
    }
    forEach(callback, thisArg) {
      for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
    }
    *entries() {
      const l = list(this, "entries");
      const names = [...new Set(l.map(([k]) => k))].sort();
      for (const name of names) {
        if (name === "set-cookie") {
          for (const [k, v] of l) if (k === name) yield [k, v];
        } else {
          yield [name, this.get(name)];
        }
      }
    }
    *keys() {
      for (const [k] of this.entries()) yield k;
    }
    *values() {
      for (const [, v] of this.entries()) yield v;
    }
  }
  defineProperty(Headers.prototype, Symbol.iterator, { value: Headers.prototype.entries, writable: true, configurable: true });
  defineProperty(Headers.prototype, Symbol.toStringTag, { value: "Headers", configurable: true });
  const internal = (globalThis.__coral_web ??= {});
  defineProperty(Headers.prototype, internal.inspect, {
    value() {
      const view = {};
      for (const [k, v] of this.entries()) view[k] = v;
      return view;
    },
  });
  defineProperty(globalThis, "Headers", { value: Headers, writable: true, configurable: true });
})();
