// URL and URLSearchParams (WHATWG URL Standard), as Deno defines them. The
// parsing and the setters are the host's (`{"op": "url"}`: the `url`
// crate's WHATWG implementation); this file keeps each URL's attributes,
// links a URL to its searchParams, and implements the list operations of
// URLSearchParams.
(() => {
  "use strict";
  const native = globalThis.__coral_native;
  const internal = (globalThis.__coral_web ??= {});
  const encode = internal.encodeJson;
  const fromJson = JSON.parse;
  const { defineProperty, defineProperties } = Object;

  function host(fn, args) {
    const response = fromJson(native.call(encode({ op: "url", fn, args })));
    if (response.error) throw new TypeError(response.error.message);
    return response.ok;
  }

  const urls = new WeakMap();
  const params = new WeakMap();
  const urlState = (self, what) => {
    const s = urls.get(self);
    if (!s) throw new TypeError(`Illegal invocation: URL.prototype.${what}`);
    return s;
  };
  const paramState = (self, what) => {
    const s = params.get(self);
    if (!s) throw new TypeError(`Illegal invocation: URLSearchParams.prototype.${what}`);
    return s;
  };

  function parse(input, base) {
    const args = base === undefined ? { input: `${input}` } : { input: `${input}`, base: `${base}` };
    return host("parse", args);
  }

  class URL {
    constructor(url, base) {
      if (arguments.length === 0) throw new TypeError("1 argument required, but only 0 present.");
      const parts = parse(url, base);
      if (parts === null) {
        throw new TypeError(`Invalid URL: '${url}'${base === undefined ? "" : ` with base '${base}'`}`);
      }
      const state = { parts, query: null };
      urls.set(this, state);
      const query = new URLSearchParams(parts.search);
      params.get(query).url = this;
      state.query = query;
    }
    static canParse(url, base) {
      return parse(url, base) !== null;
    }
    static parse(url, base) {
      try {
        return new URL(url, base);
      } catch {
        return null;
      }
    }
    get searchParams() {
      return urlState(this, "searchParams").query;
    }
    toString() {
      return urlState(this, "toString").parts.href;
    }
    toJSON() {
      return urlState(this, "toJSON").parts.href;
    }
    get origin() {
      return urlState(this, "origin").parts.origin;
    }
  }
  for (const part of ["href", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"]) {
    defineProperty(URL.prototype, part, {
      get() {
        return urlState(this, part).parts[part];
      },
      set(value) {
        const state = urlState(this, part);
        state.parts = host("set", { href: state.parts.href, part, value: `${value}` });
        if (part === "href" || part === "search") {
          params.get(state.query).list = host("parseQuery", { query: state.parts.search.slice(1) });
        }
      },
      enumerable: true,
      configurable: true,
    });
  }
  defineProperty(URL.prototype, Symbol.toStringTag, { value: "URL", configurable: true });
  defineProperty(URL.prototype, internal.inspect, {
    value() {
      const p = urlState(this, "inspect").parts;
      return {
        href: p.href, origin: p.origin, protocol: p.protocol, username: p.username, password: p.password,
        host: p.host, hostname: p.hostname, port: p.port, pathname: p.pathname, hash: p.hash, search: p.search,
      };
    },
  });

  // A URLSearchParams change rewrites its URL's query (an empty list
  // removes the `?`).
  function update(state) {
    if (!state.url) return;
    const owner = urls.get(state.url);
    const query = serialize(state.list);
    owner.parts = host("set", { href: owner.parts.href, part: "search", value: query });
  }
  const serialize = (list) => host("serializeQuery", { pairs: list });

  class URLSearchParams {
    /** @param {any} [init] a query string, a record or an iterable of pairs */
    constructor(init = "") {
      let list = [];
      if (init !== null && typeof init === "object") {
        if (typeof init[Symbol.iterator] === "function") {
          for (const pair of init) {
            const entry = [...pair];
            if (entry.length !== 2) {
              throw new TypeError("Item in iterable must be an array with two items");
            }
            list.push([`${entry[0]}`, `${entry[1]}`]);
          }
        } else {
          for (const key of Object.keys(init)) list.push([key, `${init[key]}`]);
        }
      } else {
        let text = `${init}`;
        if (text.startsWith("?")) text = text.slice(1);
        list = host("parseQuery", { query: text });
      }
      params.set(this, { list, url: null });
    }
    get size() {
      return paramState(this, "size").list.length;
    }
    append(name, value) {
      const s = paramState(this, "append");
      s.list.push([`${name}`, `${value}`]);
      update(s);
    }
    delete(name, value) {
      const s = paramState(this, "delete");
      const n = `${name}`;
      s.list = s.list.filter(([k, v]) => !(k === n && (value === undefined || v === `${value}`)));
      update(s);
    }
    get(name) {
      const n = `${name}`;
      const found = paramState(this, "get").list.find(([k]) => k === n);
      return found ? found[1] : null;
    }
    getAll(name) {
      const n = `${name}`;
      return paramState(this, "getAll").list.filter(([k]) => k === n).map(([, v]) => v);
    }
    has(name, value) {
      const n = `${name}`;
      return paramState(this, "has").list.some(([k, v]) => k === n && (value === undefined || v === `${value}`));
    }
    set(name, value) {
      const s = paramState(this, "set");
      const n = `${name}`;
      const i = s.list.findIndex(([k]) => k === n);
      if (i < 0) {
        s.list.push([n, `${value}`]);
      } else {
        s.list[i] = [n, `${value}`];
        s.list = s.list.filter(([k], j) => j <= i || k !== n);
      }
      update(s);
    }
    sort() {
      const s = paramState(this, "sort");
      // Stable, by UTF-16 code units of the names.
      s.list = s.list.map((pair, i) => [pair, i]).sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j)).map(([pair]) => pair);
      update(s);
    }
    forEach(callback, thisArg) {
      const s = paramState(this, "forEach");
      if (typeof callback !== "function") throw new TypeError("The callback must be a function");
      for (let i = 0; i < s.list.length; i++) callback.call(thisArg, s.list[i][1], s.list[i][0], this);
    }
    *entries() {
      const s = paramState(this, "entries");
      for (let i = 0; i < s.list.length; i++) yield [s.list[i][0], s.list[i][1]];
    }
    *keys() {
      for (const [k] of this.entries()) yield k;
    }
    *values() {
      for (const [, v] of this.entries()) yield v;
    }
    toString() {
      return serialize(paramState(this, "toString").list);
    }
  }
  defineProperty(URLSearchParams.prototype, Symbol.iterator, {
    value: URLSearchParams.prototype.entries,
    writable: true,
    configurable: true,
  });
  defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: "URLSearchParams", configurable: true });
  defineProperty(URLSearchParams.prototype, internal.inspect, {
    value() {
      return paramState(this, "inspect").list.map(([k, v]) => [k, v]);
    },
  });

  defineProperties(globalThis, {
    URL: { value: URL, writable: true, configurable: true },
    URLSearchParams: { value: URLSearchParams, writable: true, configurable: true },
  });
})();
