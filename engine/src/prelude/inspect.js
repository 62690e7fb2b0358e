// Values as Deno's console shows them (prelude, after host.js): Node's
// util.inspect rules that Deno follows (`inspect`), console's format
// string (`format`) and console.table's box drawing (`table`). console.js
// prints with them, errors.js describes a thrown value with them, and the
// SDK shows values with `inspect` (hooks.js).
(() => {
  "use strict";
  const internal = globalThis.__coral_prelude;
  const { native, web, hostCall, clipStack, wellFormed } = internal;

  // Deno's console follows Node's util.inspect with depth 4, breakLength 80
  // and compact 3: an object goes on one line when it is at most 3 levels
  // deep and fits, arrays of more than 6 items are grouped into columns.
  const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
  const MAX_DEPTH = 4;
  const MAX_ARRAY_LENGTH = 100;
  const BREAK_LENGTH = 80;
  const COMPACT = 3;
  const ctx = { indentationLvl: 0, currentDepth: 0, seen: [] };

  // What a value is, by its internal slots rather than its prototype chain:
  // an object inheriting from Map.prototype is no Map (Map's methods throw
  // on it), and a Map whose prototype was replaced still is one (Node's
  // util.types checks do the same). The built-ins are taken now, before a
  // script could replace them.
  const uncurry = (f) => (self) => Reflect.apply(f, self, []);
  const getter = (proto, key) => uncurry(Object.getOwnPropertyDescriptor(proto, key).get);
  const branded = (check) => (value) => {
    try {
      check(value);
      return true;
    } catch {
      return false;
    }
  };
  const mapSize = getter(Map.prototype, "size");
  const mapEntries = uncurry(Map.prototype.entries);
  const isMap = branded(mapSize);
  const setSize = getter(Set.prototype, "size");
  const setValues = uncurry(Set.prototype.values);
  const isSet = branded(setSize);
  const dateTime = uncurry(Date.prototype.getTime);
  const dateISO = uncurry(Date.prototype.toISOString);
  const isDate = branded(dateTime);
  const RegExpPrototype = RegExp.prototype;
  const regexpSource = getter(RegExpPrototype, "source");
  // The flags from each flag's own (slot-reading) getter: `flags` itself
  // reads them through the prototype chain.
  const regexpFlagGetters = [
    ["d", "hasIndices"], ["g", "global"], ["i", "ignoreCase"], ["m", "multiline"],
    ["s", "dotAll"], ["u", "unicode"], ["v", "unicodeSets"], ["y", "sticky"],
  ].filter(([, key]) => Object.getOwnPropertyDescriptor(RegExpPrototype, key))
    .map(([flag, key]) => /** @type {[string, (value: unknown) => unknown]} */ ([flag, getter(RegExpPrototype, key)]));
  const regexpFlags = (value) => regexpFlagGetters.map(([flag, get]) => (get(value) ? flag : "")).join("");
  const hasRegExpSource = branded(regexpSource);
  const isRegExp = (value) => value !== RegExpPrototype && hasRegExpSource(value);
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  // `undefined` for anything but a typed array (never throws).
  const typedArrayName = getter(TypedArrayPrototype, Symbol.toStringTag);
  const typedArrayLength = getter(TypedArrayPrototype, "length");

  function quote(s) {
    const q = !s.includes('"') ? '"' : !s.includes("'") ? "'" : !s.includes("`") ? "`" : '"';
    let out = "";
    for (const ch of s) {
      if (ch === q || ch === "\\") out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\r") out += "\\r";
      else if (ch < " ") out += "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
      else out += ch;
    }
    return q + out + q;
  }

  function formatKey(key) {
    if (typeof key === "symbol") return `[${key.toString()}]`;
    return IDENT.test(key) ? key : quote(key);
  }

  function formatNumber(n) {
    return Object.is(n, -0) ? "-0" : String(n);
  }

  // An error's stack from where it was made: like V8, without the frames of
  // the constructors of an Error subclass (`class QuotaError extends
  // Error`), which QuickJS lists first.
  function ownStack(err) {
    const stack = typeof err.stack === "string" ? err.stack : "";
    const ctor = err.constructor;
    if (typeof ctor !== "function" || !ctor.name || BUILTIN_ERRORS.includes(ctor)) return stack;
    const lines = stack.split("\n");
    const at = lines.findIndex((l) => l.trim().startsWith(`at ${ctor.name} (`));
    return at < 0 ? stack : lines.slice(at + 1).join("\n");
  }
  const BUILTIN_ERRORS = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError];

  // An error as Deno prints it: its name and message, then its frames in
  // the script's own files (the host maps the compiled program's positions, as for an
  // uncaught error's report).
  function errorText(err) {
    const stack = ownStack(err).trimEnd();
    const head = `${err.name || "Error"}: ${err.message}`;
    if (!stack) return head;
    const frames = hostCall("stack", { args: { stack: clipStack(wellFormed(stack)) } });
    return frames.length ? `${head}\n${frames.map((f) => `    ${f}`).join("\n")}` : head;
  }

  function isBelowBreakLength(output, start, base) {
    let total = output.length + start;
    if (total + output.length > BREAK_LENGTH) return false;
    for (const entry of output) {
      total += entry.length;
      if (total > BREAK_LENGTH) return false;
    }
    return base === "" || !base.includes("\n");
  }

  function groupArrayElements(output, value) {
    let totalLength = 0;
    let maxLength = 0;
    // The "... n more items" entry is not grouped (it goes last, alone).
    const more = output.length > MAX_ARRAY_LENGTH;
    const outputLength = more ? output.length - 1 : output.length;
    const separatorSpace = 2;
    const dataLen = new Array(outputLength);
    for (let i = 0; i < outputLength; i++) {
      const len = output[i].length;
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (
      actualMax * 3 + ctx.indentationLvl < BREAK_LENGTH &&
      (totalLength / actualMax > 5 || maxLength <= 6)
    ) {
      const averageBias = Math.sqrt(actualMax - totalLength / output.length);
      const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
        Math.floor((BREAK_LENGTH - ctx.indentationLvl) / actualMax),
        COMPACT * 4,
        15,
      );
      if (columns <= 1) return output;
      const tmp = [];
      const maxLineLength = [];
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < output.length; j += columns) {
          if (dataLen[j] > lineLength) lineLength = dataLen[j];
        }
        maxLineLength.push(lineLength + separatorSpace);
      }
      let padStart = true;
      if (value !== undefined) {
        for (let i = 0; i < output.length; i++) {
          if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
            padStart = false;
            break;
          }
        }
      }
      for (let i = 0; i < outputLength; i += columns) {
        const max = Math.min(i + columns, outputLength);
        let str = "";
        let j = i;
        for (; j < max - 1; j++) {
          const cell = `${output[j]}, `;
          const width = maxLineLength[j - i];
          str += padStart ? cell.padStart(width, " ") : cell.padEnd(width, " ");
        }
        str += padStart
          ? output[j].padStart(maxLineLength[j - i] - separatorSpace, " ")
          : output[j];
        tmp.push(str);
      }
      if (more) tmp.push(output[outputLength]);
      return tmp;
    }
    return output;
  }

  function reduceToSingleString(output, base, braces, isArrayLike, recurseTimes, value) {
    const entries = output.length;
    if (isArrayLike && entries > 6) output = groupArrayElements(output, value);
    if (ctx.currentDepth - recurseTimes < COMPACT && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(output, start, base)) {
        const joined = output.join(", ");
        if (!joined.includes("\n")) {
          return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
        }
      }
    }
    const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }

  function formatPrimitive(value, nested) {
    switch (typeof value) {
      case "string":
        return nested ? quote(value) : value;
      case "number":
        return formatNumber(value);
      case "bigint":
        return `${value}n`;
      case "boolean":
        return String(value);
      case "undefined":
        return "undefined";
      case "symbol":
        return value.toString();
    }
    return undefined;
  }

  function formatChild(value, recurseTimes) {
    ctx.indentationLvl += 2;
    try {
      return formatValue(value, recurseTimes, true);
    } finally {
      ctx.indentationLvl -= 2;
    }
  }

  function constructorName(value) {
    const proto = Object.getPrototypeOf(value);
    if (proto === null) return null;
    const ctor = proto.constructor;
    return ctor && typeof ctor.name === "string" ? ctor.name : "Object";
  }

  function formatValue(value, recurseTimes, nested) {
    const primitive = formatPrimitive(value, nested);
    if (primitive !== undefined) return primitive;
    if (value === null) return "null";
    if (typeof value === "function") {
      // A class's `prototype` is read-only; a function's is writable.
      const proto = Object.getOwnPropertyDescriptor(value, "prototype");
      if (proto && !proto.writable) return `[class ${value.name || "(anonymous)"}]`;
      return value.name ? `[Function: ${value.name}]` : "[Function (anonymous)]";
    }
    if (ctx.seen.includes(value)) {
      if (!ctx.circular.has(value)) ctx.circular.set(value, ctx.circular.size + 1);
      return `[Circular *${ctx.circular.get(value)}]`;
    }
    if (value instanceof Error) return formatError(value, recurseTimes);
    if (isDate(value)) return isNaN(dateTime(value)) ? "Invalid Date" : dateISO(value);
    if (isRegExp(value)) return `/${regexpSource(value)}/${regexpFlags(value)}`;
    // Boxed primitives, as Node and Deno show them.
    switch (Object.prototype.toString.call(value)) {
      case "[object String]":
        if (typeof value.valueOf() === "string") return `[String: ${quote(value.valueOf())}]`;
        break;
      case "[object Number]":
        if (typeof value.valueOf() === "number") return `[Number: ${formatNumber(value.valueOf())}]`;
        break;
      case "[object Boolean]":
        if (typeof value.valueOf() === "boolean") return `[Boolean: ${value.valueOf()}]`;
        break;
      case "[object BigInt]":
        return `[BigInt: ${value.valueOf()}n]`;
    }
    const promise = native.promiseState(value);
    if (promise.length > 0) {
      const [state, result] = promise;
      if (state === 0) return "Promise { <pending> }";
      const shown = formatChild(result, recurseTimes + 1);
      return state === 1 ? `Promise { ${shown} }` : `Promise { <rejected> ${shown} }`;
    }
    // Empty arrays and objects print as themselves at any depth (Node).
    if (Array.isArray(value) && value.length === 0) return "[]";
    if (constructorName(value) === "Object" && Reflect.ownKeys(value).length === 0) return "{}";
    if (recurseTimes > ctx.maxDepth) {
      return Array.isArray(value) ? "[Array]" : `[${constructorName(value) || "Object"}]`;
    }
    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    const next = recurseTimes + 1;
    const output = [];
    let braces;
    let isArrayLike = false;
    const name = constructorName(value);
    const inspectView = web && web.inspect;
    let view;
    if (inspectView && typeof value[inspectView] === "function") {
      // A web object's own view. An object that merely inherits from one
      // (its prototype is a URL) has none: the method refuses it.
      try {
        view = value[inspectView]();
      } catch {
        view = undefined;
      }
    }
    try {
      if (Array.isArray(value)) {
        isArrayLike = true;
        braces = [name === "Array" ? "[" : `${name}(${value.length}) [`, "]"];
        let holes = 0;
        const flushHoles = () => {
          if (holes) output.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
          holes = 0;
        };
        let i = 0;
        for (; i < value.length && output.length < MAX_ARRAY_LENGTH; i++) {
          if (!(i in value)) {
            holes++;
            continue;
          }
          flushHoles();
          output.push(formatChild(value[i], next));
        }
        flushHoles();
        moreItems(output, value.length - i);
      } else if (isMap(value)) {
        braces = [`Map(${mapSize(value)}) {`, "}"];
        for (const [k, v] of mapEntries(value)) {
          if (output.length === MAX_ARRAY_LENGTH) break;
          output.push(`${formatChild(k, next)} => ${formatChild(v, next)}`);
        }
        moreItems(output, mapSize(value) - output.length);
      } else if (isSet(value)) {
        braces = [`Set(${setSize(value)}) {`, "}"];
        for (const v of setValues(value)) {
          if (output.length === MAX_ARRAY_LENGTH) break;
          output.push(formatChild(v, next));
        }
        moreItems(output, setSize(value) - output.length);
      } else if (view !== undefined) {
        // A web global's own view (engine/src/web/*.js), as Deno prints it.
        braces = [`${name} {`, "}"];
        if (Array.isArray(view)) {
          for (const [k, v] of view) output.push(`${formatChild(k, next)} => ${formatChild(v, next)}`);
        } else {
          for (const k of Object.keys(view)) output.push(`${formatKey(k)}: ${formatChild(view[k], next)}`);
        }
      } else if (typedArrayName(value) !== undefined) {
        isArrayLike = true;
        const length = typedArrayLength(value);
        braces = [`${name ?? typedArrayName(value)}(${length}) [`, "]"];
        const shown = Math.min(length, MAX_ARRAY_LENGTH);
        for (let i = 0; i < shown; i++) output.push(formatPrimitive(value[i], true));
        moreItems(output, length - shown);
      } else {
        braces = [name === "Object" ? "{" : name === null ? "[Object: null prototype] {" : `${name} {`, "}"];
      }
      if (!Array.isArray(value) && !ArrayBuffer.isView(value) && view === undefined) {
        for (const key of Reflect.ownKeys(value)) {
          const desc = Object.getOwnPropertyDescriptor(value, key);
          if (!desc || !desc.enumerable) continue;
          let shown;
          if (desc.get && desc.set) shown = "[Getter/Setter]";
          else if (desc.get) shown = "[Getter]";
          else if (desc.set) shown = "[Setter]";
          else shown = formatChild(desc.value, next);
          output.push(`${formatKey(key)}: ${shown}`);
        }
      }
    } finally {
      ctx.seen.pop();
    }
    const ref = ctx.circular.has(value) ? `<ref *${ctx.circular.get(value)}> ` : "";
    if (output.length === 0) return `${ref}${braces[0]}${braces[1]}`;
    return ref + reduceToSingleString(output, "", braces, isArrayLike, recurseTimes, value);
  }

  // An error as Deno prints it (Node's formatError): its stack (frames in
  // the script's files) indented to its depth, `[Name: message]` without
  // one, then its own enumerable properties, its `cause` and an
  // AggregateError's `errors`.
  function formatError(err, recurseTimes) {
    let base = errorText(err);
    if (!base.includes("\n")) base = `[${base}]`;
    if (ctx.indentationLvl) base = base.split("\n").join(`\n${" ".repeat(ctx.indentationLvl)}`);
    const output = [];
    ctx.seen.push(err);
    try {
      for (const key of Reflect.ownKeys(err)) {
        const desc = Object.getOwnPropertyDescriptor(err, key);
        if (!desc || !desc.enumerable) continue;
        // A name, message or stack the text above already shows (Node).
        if (/** @type {(string | symbol)[]} */ (["name", "message", "stack"]).includes(key) && typeof desc.value === "string" && base.includes(desc.value)) continue;
        output.push(`${formatKey(key)}: ${"value" in desc ? formatChild(desc.value, recurseTimes + 1) : "[Getter]"}`);
      }
      const cause = Object.getOwnPropertyDescriptor(err, "cause");
      if (cause && !cause.enumerable) output.push(`[cause]: ${formatChild(err.cause, recurseTimes + 1)}`);
      const errors = Object.getOwnPropertyDescriptor(err, "errors");
      if (errors && !errors.enumerable && Array.isArray(errors.value)) {
        output.push(`[errors]: ${formatChild(errors.value, recurseTimes + 1)}`);
      }
    } finally {
      ctx.seen.pop();
    }
    if (output.length === 0) return base;
    return reduceToSingleString(output, base, ["{", "}"], false, recurseTimes, err);
  }

  // Node's (and Deno's) maxArrayLength: the rest is counted, not shown.
  function moreItems(output, remaining) {
    if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
  }

  function inspect(value, nested, depth = MAX_DEPTH) {
    ctx.indentationLvl = 0;
    ctx.currentDepth = 0;
    ctx.seen = [];
    ctx.circular = new Map();
    ctx.maxDepth = depth === null ? Infinity : depth;
    return formatValue(value, 0, nested);
  }

  function format(args) {
    let first = 0;
    let out = "";
    if (typeof args[0] === "string" && args.length > 1) {
      const fmt = args[0];
      let a = 1;
      let text = "";
      let lastPos = 0;
      for (let i = 0; i < fmt.length - 1; i++) {
        if (fmt[i] !== "%") continue;
        const c = fmt[i + 1];
        let piece;
        if (a < args.length) {
          const v = args[a];
          switch (c) {
            case "s":
              piece = typeof v === "bigint" ? `${v}n` : typeof v !== "object" || v === null ? String(v) : inspect(v, true);
              break;
            case "d":
            case "i":
              piece = typeof v === "bigint" ? `${v}n` : typeof v === "number" ? `${parseInt(String(v))}` : "NaN";
              break;
            case "f":
              piece = typeof v === "number" ? formatNumber(v) : "NaN";
              break;
            case "o":
            case "O":
              piece = inspect(v, true);
              break;
            case "c":
              piece = "";
              break;
          }
        }
        if (c === "%") {
          text += fmt.slice(lastPos, i) + "%";
          lastPos = i + 2;
          i++;
        } else if (piece !== undefined) {
          text += fmt.slice(lastPos, i) + piece;
          lastPos = i + 2;
          a++;
          i++;
        }
      }
      text += fmt.slice(lastPos);
      out = text;
      first = a;
      if (first < args.length) out += " ";
    }
    return out + args.slice(first).map((v) => inspect(v, false)).join(" ");
  }


  // Columns a string takes in a terminal, as Deno's console.table counts
  // them: colour codes take none; after NFC, a code point of an East Asian
  // wide or fullwidth block (Unicode's EastAsianWidth.txt, the blocks
  // Deno's table lists) takes two, a control, combining mark, zero-width
  // space or joiner or variation selector none, any other one.
  const WIDE = [
    [0x1100, 0x115f], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3040, 0x3247],
    [0x3250, 0x4dbf], [0x4e00, 0xa4c6], [0xa960, 0xa97c], [0xac00, 0xd7a3],
    [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6b], [0xff01, 0xff60],
    [0xffe0, 0xffe6], [0x1b000, 0x1b001], [0x1f200, 0x1f251], [0x1f300, 0x1f64f],
    [0x20000, 0x3fffd],
  ];
  const ZERO = [
    [0x0, 0x1f], [0x7f, 0x9f], [0x300, 0x36f], [0x200b, 0x200f], [0x20d0, 0x20ff],
    [0xfe00, 0xfe0f], [0xfe20, 0xfe2f], [0xe0100, 0xe01ef],
  ];
  const within = (ranges, code) => ranges.some(([lo, hi]) => code >= lo && code <= hi);
  // deno-lint-ignore no-control-regex
  const COLOUR = /[\u001b\u009b][[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[a-zA-Z\d]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g;
  function displayWidth(text) {
    let width = 0;
    for (const ch of text.replace(COLOUR, "").normalize("NFC")) {
      const code = ch.codePointAt(0);
      width += within(WIDE, code) ? 2 : within(ZERO, code) ? 0 : 1;
    }
    return width;
  }

  // console.table as Deno draws it: box-drawing borders, an index column,
  // one column per property in order of appearance, a `Values` column for
  // primitive rows; a column of integers is right-aligned.
  function table(data, properties) {
    if (data === null || typeof data !== "object") return undefined;
    const MISSING = Symbol("missing");
    const cell = (v) => (v === MISSING ? "" : inspect(v, true));
    const rows = [];
    let indexHeader = "(idx)";
    const keyed = [];
    const hasKey = isMap(data);
    if (hasKey) {
      indexHeader = "(iter idx)";
      let i = 0;
      for (const [k, v] of mapEntries(data)) keyed.push([i++, v, k]);
    } else if (isSet(data)) {
      indexHeader = "(iter idx)";
      let i = 0;
      for (const v of setValues(data)) keyed.push([i++, v]);
    } else {
      for (const k of Object.keys(data)) keyed.push([Array.isArray(data) ? Number(k) : k, data[k]]);
    }
    const columns = [];
    let values = false;
    // A Map's values stay whole in the Values column (Deno).
    const expand = (v) => v !== null && typeof v === "object" && !hasKey;
    for (const [, v] of keyed) {
      if (expand(v)) {
        for (const k of Object.keys(v)) if (!columns.includes(k)) columns.push(k);
      } else {
        values = true;
      }
    }
    const shown = properties === undefined ? columns : [...properties].map(String);
    const header = [indexHeader, ...(hasKey ? ["Key"] : []), ...shown, ...(values && properties === undefined ? ["Values"] : [])];
    const integers = header.map(() => true);
    for (const [index, v, key] of keyed) {
      const row = [index, ...(hasKey ? [key] : [])];
      const isObject = expand(v);
      // MISSING leaves a cell empty; a present `undefined` prints as such.
      for (const c of shown) row.push(isObject && Object.hasOwn(v, c) ? v[c] : MISSING);
      if (values && properties === undefined) row.push(isObject ? MISSING : v);
      row.forEach((x, i) => {
        if (x !== MISSING && !(typeof x === "number" && Number.isInteger(x))) integers[i] = false;
      });
      rows.push(row.map((x, i) => (i === 0 && typeof x !== "number" ? String(x) : cell(x))));
    }
    const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]))));
    const line = (l, m, r) => l + widths.map((w) => "─".repeat(w + 2)).join(m) + r;
    const pad = (c, i, right) => {
      const fill = " ".repeat(widths[i] - displayWidth(c));
      return right ? fill + c : c + fill;
    };
    const render = (cells, align) =>
      "│" + cells.map((c, i) => " " + pad(c, i, align && integers[i]) + " ").join("│") + "│";
    return [
      line("┌", "┬", "┐"),
      render(header, false),
      line("├", "┼", "┤"),
      ...rows.map((r) => render(r, true)),
      line("└", "┴", "┘"),
    ].join("\n");
  }

  Object.assign(internal, { inspect, format, table, ownStack, MAX_DEPTH });
})();
