// Request and Response (Fetch Standard §6.2-6.4) without fetch: the
// objects, their bodies (text, JSON, bytes, blobs, form data, streams) and
// their checks, as Deno defines them. Nothing here opens a connection.
(() => {
  "use strict";
  const { defineProperty, defineProperties } = Object;
  const internal = (globalThis.__coral_web ??= {});
  const { Blob, File, FormData, Headers, ReadableStream, URL, URLSearchParams, AbortController, AbortSignal, crypto } = globalThis;
  const getRandomValues = crypto.getRandomValues.bind(crypto);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const decodeJson = JSON.parse;
  const encodeJson = JSON.stringify;

  // ---- bodies ------------------------------------------------------------
  // A body is bytes (from a string, buffer, blob, form) or a stream; its
  // stream is made on first use of `body`.
  function randomBoundary() {
    const bytes = getRandomValues(new Uint8Array(12));
    return `----formdata-coral-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  }
  // HTML's multipart/form-data encoding: names (and string values) have
  // their newlines normalised to CRLF; names and file names are escaped.
  const escape = (text) => text.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22");
  const crlf = (text) => text.replace(/\r\n|\r|\n/g, "\r\n");

  function multipart(form) {
    const boundary = randomBoundary();
    const parts = [];
    for (const [name, value] of internal.formEntries(form)) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escape(crlf(name))}"`;
      if (typeof value === "string") {
        parts.push(encoder.encode(`${head}\r\n\r\n${crlf(value)}\r\n`));
      } else {
        head += `; filename="${escape(value.name)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`;
        parts.push(encoder.encode(head), internal.blobBytes(value), encoder.encode("\r\n"));
      }
    }
    parts.push(encoder.encode(`--${boundary}--\r\n`));
    return { bytes: concat(parts), type: `multipart/form-data; boundary=${boundary}` };
  }

  function concat(parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  // Extracts a body from an init value (Fetch §6.2.4): its source and the
  // Content-Type it implies.
  function extract(init) {
    if (init instanceof ReadableStream) {
      // `_disturbed`: the web-streams polyfill keeps the standard's [[disturbed]] there.
      if (init.locked || /** @type {any} */ (init)._disturbed) throw new TypeError("ReadableStream is locked or disturbed");
      return { stream: init, bytes: null, type: null };
    }
    // A blob's body is its byte stream (`supportsBYOB`), as in Deno.
    if (init instanceof Blob) return { stream: null, bytes: internal.blobBytes(init), type: init.type || null, byob: true };
    if (init instanceof ArrayBuffer) return { stream: null, bytes: new Uint8Array(init.slice(0)), type: null };
    if (ArrayBuffer.isView(init)) {
      return { stream: null, bytes: new Uint8Array(init.buffer.slice(init.byteOffset, init.byteOffset + init.byteLength)), type: null };
    }
    if (init instanceof FormData) {
      const { bytes, type } = multipart(init);
      return { stream: null, bytes, type };
    }
    if (init instanceof URLSearchParams) {
      return { stream: null, bytes: encoder.encode(`${init}`), type: "application/x-www-form-urlencoded;charset=UTF-8" };
    }
    return { stream: null, bytes: encoder.encode(`${init}`), type: "text/plain;charset=UTF-8" };
  }

  const bodies = new WeakMap();
  const bodyOf = (self) => {
    const b = bodies.get(self);
    if (!b) throw new TypeError("Illegal invocation");
    return b;
  };

  function bodyStream(b) {
    if (b.source === null) return null;
    if (!b.source.stream) {
      const bytes = b.source.bytes;
      b.source.stream = new ReadableStream({
        type: b.source.byob ? "bytes" : undefined,
        start(controller) {
          if (bytes.length) controller.enqueue(bytes.slice());
          controller.close();
        },
      });
    }
    return b.source.stream;
  }

  const isUsed = (b) => b.used || Boolean(b.source?.stream?._disturbed);

  async function consume(self) {
    const b = bodyOf(self);
    if (isUsed(b)) throw new TypeError("Body already consumed");
    b.used = true;
    if (b.source === null) return new Uint8Array(0);
    if (!b.source.stream) return b.source.bytes;
    if (b.source.stream.locked) throw new TypeError("Body already consumed");
    const parts = [];
    for await (const chunk of b.source.stream) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError("Body chunk is not a Uint8Array");
      parts.push(chunk);
    }
    return concat(parts);
  }

  function mimeOf(self) {
    return (bodyOf(self).headers.get("content-type") ?? "").toLowerCase();
  }

  // The bytes as a string of one character per byte, for the engine's own
  // (linear) substring search.
  function binary(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    return out;
  }

  function parseMultipart(bytes, contentType) {
    const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    if (!match) throw new TypeError("Missing boundary in multipart/form-data body");
    const delimiter = match[1] ?? match[2].trim();
    // RFC 2046 §5.1.1: 1 to 70 characters.
    if (delimiter.length === 0 || delimiter.length > 70) throw new TypeError("Invalid boundary in multipart/form-data body");
    const boundary = `--${delimiter}`;
    const text = binary(bytes);
    const form = new FormData();
    const find = (from, needle) => text.indexOf(needle, from);
    let at = find(0, boundary);
    if (at < 0) throw new TypeError("Body can not be decoded as form data");
    const crlfcrlf = "\r\n\r\n";
    for (;;) {
      at += boundary.length;
      if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) break; // closing --
      at += 2; // CRLF after the boundary
      const headEnd = find(at, crlfcrlf);
      if (headEnd < 0) throw new TypeError("Body can not be decoded as form data");
      const head = decoder.decode(bytes.subarray(at, headEnd));
      const next = find(headEnd + 4, boundary);
      if (next < 0) throw new TypeError("Body can not be decoded as form data");
      const content = bytes.subarray(headEnd + 4, next - 2); // CRLF before the boundary
      const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? "";
      const field = (key) => {
        const m = new RegExp(`;\\s*${key}="([^"]*)"`, "i").exec(disposition);
        return m ? m[1].replace(/%22/g, '"').replace(/%0D/g, "\r").replace(/%0A/g, "\n") : null;
      };
      const name = field("name");
      if (name === null) throw new TypeError("Body can not be decoded as form data");
      const filename = field("filename");
      if (filename === null) {
        form.append(name, decoder.decode(content));
      } else {
        const type = /content-type:\s*([^\r\n]*)/i.exec(head)?.[1].trim() || "application/octet-stream";
        form.append(name, new File([content], filename, { type }));
      }
      at = next;
    }
    return form;
  }

  const bodyMethods = {
    arrayBuffer() {
      return consume(this).then((bytes) => bytes.slice().buffer);
    },
    bytes() {
      return consume(this).then((bytes) => bytes.slice());
    },
    blob() {
      const type = bodyOf(this).headers.get("content-type") ?? "";
      return consume(this).then((bytes) => internal.blobOf(bytes.slice(), type));
    },
    text() {
      return consume(this).then((bytes) => decoder.decode(bytes));
    },
    json() {
      return consume(this).then((bytes) => decodeJson(decoder.decode(bytes)));
    },
    formData() {
      const type = mimeOf(this);
      return consume(this).then((bytes) => {
        if (type.startsWith("multipart/form-data")) return parseMultipart(bytes, bodyOf(this).headers.get("content-type"));
        if (type.startsWith("application/x-www-form-urlencoded")) {
          const form = new FormData();
          for (const [k, v] of new URLSearchParams(decoder.decode(bytes))) form.append(k, v);
          return form;
        }
        throw new TypeError("Body can not be decoded as form data");
      });
    },
  };

  function installBody(cls) {
    for (const [name, method] of Object.entries(bodyMethods)) {
      defineProperty(cls.prototype, name, { value: method, writable: true, enumerable: true, configurable: true });
    }
    defineProperty(cls.prototype, "body", {
      get() {
        return bodyStream(bodyOf(this));
      },
      enumerable: true,
      configurable: true,
    });
    defineProperty(cls.prototype, "bodyUsed", {
      get() {
        return isUsed(bodyOf(this));
      },
      enumerable: true,
      configurable: true,
    });
  }

  // A copy of `b`'s body for clone(): a stream is teed, bytes are shared
  // (nothing writes to them).
  function cloneBody(b) {
    if (isUsed(b)) throw new TypeError("Body has already been consumed");
    if (b.source === null) return null;
    if (!b.source.stream) return { ...b.source };
    const [one, two] = b.source.stream.tee();
    b.source.stream = one;
    return { stream: two, bytes: null, type: b.source.type };
  }

  function withBody(headers, init) {
    if (init === undefined || init === null) return null;
    const source = extract(init);
    if (source.type !== null && !headers.has("content-type")) headers.set("content-type", source.type);
    return source;
  }

  const fields = (self, names) => Object.fromEntries(names.map((n) => [n, self[n]]));

  // ---- Response ------------------------------------------------------------
  const NULL_BODY_STATUS = [101, 103, 204, 205, 304];
  const REDIRECT_STATUS = [301, 302, 303, 307, 308];

  class Response {
    constructor(body = null, init = undefined) {
      const status = init?.status === undefined ? 200 : Number(init.status);
      if (!(Number.isInteger(status) && (status === 101 || (status >= 200 && status <= 599)))) {
        throw new RangeError(`The status provided (${init?.status}) is not equal to 101 and outside the range [200, 599]`);
      }
      const statusText = init?.statusText === undefined ? "" : `${init.statusText}`;
      if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(statusText)) throw new TypeError("Status text is not valid");
      const headers = new Headers(init?.headers ?? undefined);
      if (body !== null && body !== undefined && NULL_BODY_STATUS.includes(status)) {
        throw new TypeError("Response with null body status cannot have body");
      }
      bodies.set(this, {
        headers,
        source: withBody(headers, body),
        used: false,
        status,
        statusText,
        type: "default",
        url: "",
      });
    }
    get type() {
      return bodyOf(this).type;
    }
    get url() {
      return bodyOf(this).url;
    }
    get redirected() {
      bodyOf(this);
      return false;
    }
    get status() {
      return bodyOf(this).status;
    }
    get ok() {
      const { status } = bodyOf(this);
      return status >= 200 && status <= 299;
    }
    get statusText() {
      return bodyOf(this).statusText;
    }
    get headers() {
      return bodyOf(this).headers;
    }
    clone() {
      const b = bodyOf(this);
      const copy = new Response(null, { status: b.status === 0 ? 200 : b.status, statusText: b.statusText, headers: b.headers });
      Object.assign(bodyOf(copy), { source: cloneBody(b), status: b.status, type: b.type, url: b.url });
      return copy;
    }
    static error() {
      const r = new Response(null);
      Object.assign(bodyOf(r), { status: 0, type: "error" });
      return r;
    }
    static redirect(url, status = 302) {
      let parsed;
      try {
        parsed = new URL(url);
      } catch {
        throw new TypeError(`Invalid URL: '${url}'`);
      }
      if (!REDIRECT_STATUS.includes(Number(status))) throw new RangeError(`Invalid redirect status code: ${status}`);
      return new Response(null, { status: Number(status), headers: { location: parsed.href } });
    }
    static json(data, init = undefined) {
      const text = encodeJson(data);
      if (text === undefined) throw new TypeError("Value is not JSON serializable");
      const headers = new Headers(init?.headers ?? undefined);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(text, { status: init?.status, statusText: init?.statusText, headers });
    }
  }
  installBody(Response);

  // ---- Request -------------------------------------------------------------
  const FORBIDDEN_METHODS = ["CONNECT", "TRACE", "TRACK"];
  const NORMALIZED = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

  class Request {
    constructor(input, init = {}) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
      init ??= {};
      const from = input instanceof Request ? bodyOf(input) : null;
      let url;
      if (from) {
        url = from.url;
      } else {
        try {
          url = new URL(`${input}`).href;
        } catch {
          throw new TypeError(`Invalid URL: '${input}'`);
        }
      }
      let method = from ? from.method : "GET";
      if (init.method !== undefined) {
        method = `${init.method}`;
        if (!TOKEN.test(method)) throw new TypeError("Method is not valid");
        if (FORBIDDEN_METHODS.includes(method.toUpperCase())) throw new TypeError("Method is forbidden");
        if (NORMALIZED.includes(method.toUpperCase())) method = method.toUpperCase();
      }
      const headers = new Headers(init.headers ?? from?.headers ?? undefined);
      let source = null;
      if (init.body !== undefined && init.body !== null) {
        if (method === "GET" || method === "HEAD") throw new TypeError("Request with GET/HEAD method cannot have body");
        source = withBody(headers, init.body);
      } else if (from && from.source !== null) {
        if (isUsed(from)) throw new TypeError("Input request's body is unusable");
        source = from.source;
        from.used = true;
      }
      const signal = init.signal ?? from?.signal ?? new AbortController().signal;
      if (!(signal instanceof AbortSignal)) throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
      bodies.set(this, {
        headers,
        source,
        used: false,
        url,
        method,
        signal,
        redirect: `${init.redirect ?? from?.redirect ?? "follow"}`,
      });
    }
    get method() {
      return bodyOf(this).method;
    }
    get url() {
      return bodyOf(this).url;
    }
    get headers() {
      return bodyOf(this).headers;
    }
    get redirect() {
      return bodyOf(this).redirect;
    }
    get signal() {
      return bodyOf(this).signal;
    }
    clone() {
      const b = bodyOf(this);
      const copy = new Request(b.url, { method: b.method, headers: b.headers, redirect: b.redirect, signal: b.signal });
      bodyOf(copy).source = cloneBody(b);
      return copy;
    }
  }
  installBody(Request);
  // Attributes that only a browser's fetch gives meaning to: Deno's values.
  const fixed = {
    cache: "default",
    credentials: "same-origin",
    destination: "",
    integrity: "",
    isHistoryNavigation: false,
    keepalive: false,
    mode: "cors",
    referrer: "about:client",
    referrerPolicy: "",
  };
  for (const [name, value] of Object.entries(fixed)) {
    defineProperty(Request.prototype, name, {
      get() {
        bodyOf(this);
        return value;
      },
      enumerable: true,
      configurable: true,
    });
  }

  for (const [cls, shown] of /** @type {[typeof Response | typeof Request, string[]][]} */ ([
    [Response, ["body", "bodyUsed", "headers", "ok", "redirected", "status", "statusText", "url"]],
    [Request, ["bodyUsed", "headers", "method", "redirect", "url"]],
  ])) {
    for (const name of Object.getOwnPropertyNames(cls.prototype)) {
      const d = Object.getOwnPropertyDescriptor(cls.prototype, name);
      if (name !== "constructor") defineProperty(cls.prototype, name, { ...d, enumerable: true });
    }
    defineProperties(cls.prototype, {
      [Symbol.toStringTag]: { value: cls.name, configurable: true },
      [internal.inspect]: {
        value() {
          return fields(this, shown);
        },
      },
    });
    defineProperty(globalThis, cls.name, { value: cls, writable: true, configurable: true });
  }
})();
