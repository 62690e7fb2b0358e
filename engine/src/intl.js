// ECMA-402 (`Intl`) for the wasm engine: the JavaScript half. Evaluated once
// under Wizer, before the prelude. Every locale-dependent answer comes from
// the host (`{"op": "intl"}`, answered by the `coral-intl` crate with ICU4X);
// this file holds the constructors, their internal slots, argument coercion
// in the spec's order, and the locale-aware built-ins that use them
// (`Number.prototype.toLocaleString`, `Date.prototype.toLocale*String`,
// `String.prototype.localeCompare`, `toLocaleUpperCase`/`LowerCase`).
// Internal state lives in WeakMaps and every intrinsic is captured here, so
// a script that patches prototypes cannot reach or break it.
(() => {
  "use strict";
  const native = globalThis.__coral_native;
  // json.js's encoder: no toJSON, lone surrogates as U+FFFD.
  const toJson = globalThis.__coral_web.encodeJson;
  const fromJson = JSON.parse;
  const { defineProperty, keys: objectKeys } = Object;
  const WeakMapGet = WeakMap.prototype.get;
  const WeakMapSet = WeakMap.prototype.set;
  const WeakMapHas = WeakMap.prototype.has;
  const reflectApply = Reflect.apply;
  const call = (fn, self, ...args) => reflectApply(fn, self, args);
  const errors = { RangeError, TypeError };

  function answer(text) {
    const response = fromJson(text);
    const error = response.error;
    if (error) throw new (errors[error.class] || Error)(error.message);
    return response.ok;
  }
  function ask(fn, args) {
    return answer(native.call(toJson({ op: "intl", fn, args })));
  }
  // The hot paths (format, compare) send their options as JSON encoded once
  // per object, and only the value is encoded per call.
  function askJson(fn, argsJson) {
    return answer(native.call(`{"op":"intl","fn":"${fn}","args":${argsJson}}`));
  }
  const optionsJson = (state) => state.json ?? (state.json = toJson(state.options));

  // ---- internal slots ---------------------------------------------------------
  function slots() {
    const map = new WeakMap();
    return {
      set: (o, v) => call(WeakMapSet, map, o, v),
      get(o, method) {
        if ((typeof o !== "object" && typeof o !== "function") || o === null || !call(WeakMapHas, map, o)) {
          throw new TypeError(`Method ${method} called on incompatible receiver ${typeof o === "string" ? o : typeof o}`);
        }
        return call(WeakMapGet, map, o);
      },
    };
  }

  // ---- argument coercion ----------------------------------------------------------
  // CanonicalizeLocaleList, up to the host's syntax check and canonical form.
  function localeList(locales) {
    if (locales === undefined) return [];
    if (locales === null) throw new TypeError("Cannot convert undefined or null to object");
    if (typeof locales === "string" || isLocale(locales)) locales = [locales];
    const list = Object(locales);
    const length = Math.min(Math.max(Math.trunc(Number(list.length)) || 0, 0), 2 ** 32);
    const tags = [];
    for (let k = 0; k < length; k++) {
      if (!(k in list)) continue;
      const value = list[k];
      if (typeof value !== "string" && (typeof value !== "object" || value === null)) {
        throw new TypeError("Language ID should be string or object.");
      }
      tags.push(isLocale(value) ? localeSlots.get(value).tag : `${value}`);
    }
    return tags;
  }

  // Reads `names` from an options object in order, coercing each: "s"
  // (ToString), "n" (ToNumber; a non-finite number goes as its string), "b"
  // (ToBoolean), "g" (boolean or string, for useGrouping).
  function readOptions(options, names) {
    if (options === undefined) return {};
    if (options === null) throw new TypeError("Cannot convert undefined or null to object");
    const o = Object(options);
    const out = {};
    for (let i = 0; i < names.length; i += 2) {
      const name = names[i];
      const value = o[name];
      if (value === undefined) continue;
      switch (names[i + 1]) {
        case "n": {
          const n = Number(value);
          out[name] = Number.isFinite(n) ? n : `${n}`;
          break;
        }
        case "b":
          out[name] = Boolean(value);
          break;
        case "g":
          out[name] = typeof value === "boolean" ? value : `${value}`;
          break;
        default:
          out[name] = `${value}`;
      }
    }
    return out;
  }

  // The host takes numbers as text, so nothing is lost to JSON: `-0`,
  // `NaN`, `Infinity`, BigInts and exact decimal strings all survive.
  // A string that is a decimal literal stays exact; any other string is
  // read as Number reads it (`0x10`, `""`, `"Infinity"`).
  const DECIMAL = /^[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*$/;
  const regexpTest = RegExp.prototype.test;
  const stringTrim = String.prototype.trim;
  function numericText(x) {
    if (typeof x === "bigint") return `${x}`;
    if (typeof x === "string" && call(regexpTest, DECIMAL, x)) return call(stringTrim, x);
    const n = Number(x);
    return Object.is(n, -0) ? "-0" : `${n}`;
  }

  // Orders a resolved-options object as V8 does (JSON from the host has
  // sorted keys).
  function ordered(source, order) {
    const out = {};
    for (const key of order) if (source[key] !== undefined && source[key] !== null) out[key] = source[key];
    return out;
  }

  function toParts(pieces) {
    return pieces.map((p) => {
      const part = { type: p.type, value: p.value };
      if (p.unit) part.unit = p.unit;
      if (p.source) part.source = p.source;
      return part;
    });
  }
  const join = (pieces) => pieces.map((p) => p.value).join("");

  function defineClass(name, Class, methods, getters) {
    for (const key of objectKeys(methods)) {
      defineProperty(Class.prototype, key, { value: methods[key], writable: true, configurable: true });
    }
    for (const key of objectKeys(getters || {})) {
      defineProperty(Class.prototype, key, { get: getters[key], configurable: true });
    }
    defineProperty(Class.prototype, Symbol.toStringTag, { value: `Intl.${name}`, configurable: true });
    defineProperty(Class, "supportedLocalesOf", {
      value: function supportedLocalesOf(locales, options) {
        readOptions(options, ["localeMatcher", "s"]);
        const out = [];
        for (const tag of ask("canonicalize", { tags: localeList(locales) })) {
          const resolved = ask("resolveLocale", { tags: [tag] });
          if (resolved.base !== "en-US" || tag.startsWith("en")) out.push(tag);
        }
        return out;
      },
      writable: true,
      configurable: true,
    });
    defineProperty(Class, "length", { value: 0, configurable: true });
    defineProperty(Intl, name, { value: Class, writable: true, configurable: true });
  }

  // A bound `format`/`compare`, made once per object (ECMA-402's getter).
  function boundGetter(store, key, make) {
    return function () {
      const state = store.get(this, key);
      if (!state[key]) state[key] = make(state);
      return state[key];
    };
  }

  const Intl = {};
  defineProperty(Intl, Symbol.toStringTag, { value: "Intl", configurable: true });

  // ---- NumberFormat ------------------------------------------------------------
  const NUMBER_OPTIONS = [
    "localeMatcher", "s", "numberingSystem", "s", "style", "s", "currency", "s",
    "currencyDisplay", "s", "currencySign", "s", "unit", "s", "unitDisplay", "s",
    "notation", "s", "minimumIntegerDigits", "n", "minimumFractionDigits", "n",
    "maximumFractionDigits", "n", "minimumSignificantDigits", "n", "maximumSignificantDigits", "n",
    "roundingIncrement", "n", "roundingMode", "s", "roundingPriority", "s",
    "trailingZeroDisplay", "s", "compactDisplay", "s", "useGrouping", "g", "signDisplay", "s",
  ];
  const NUMBER_ORDER = [
    "locale", "numberingSystem", "style", "currency", "currencyDisplay", "currencySign", "unit",
    "unitDisplay", "minimumIntegerDigits", "minimumFractionDigits", "maximumFractionDigits",
    "minimumSignificantDigits", "maximumSignificantDigits", "useGrouping", "notation",
    "compactDisplay", "signDisplay", "roundingIncrement", "roundingMode", "roundingPriority",
    "trailingZeroDisplay",
  ];
  const numberSlots = slots();
  const formatNumber = (state, x) =>
    askJson("numberFormat", `{"options":${optionsJson(state)},"value":${toJson(numericText(x))}}`);

  /** @constructor */
  function NumberFormat(locales, options) {
    if (!new.target) return new NumberFormat(locales, options);
    const tags = localeList(locales);
    const resolved = ask("numberResolve", { tags, options: readOptions(options, NUMBER_OPTIONS) });
    numberSlots.set(this, { options: resolved });
  }
  function numberRange(state, start, end) {
    if (start === undefined || end === undefined) throw new TypeError("start or end is undefined");
    if (Number.isNaN(Number(start)) || Number.isNaN(Number(end))) throw new RangeError("Invalid number value: NaN");
    const a = formatNumber(state, start);
    const b = formatNumber(state, end);
    if (join(a) === join(b)) return [{ type: "approximatelySign", value: "~", source: "shared" }, ...a.map((p) => ({ ...p, source: "shared" }))];
    // A unit or percent suffix shared by both ends is written once (ICU's
    // collapse); with nothing collapsed, a symbol or unit makes the dash
    // spaced.
    const suffix = (ps) => {
      let i = ps.length;
      while (i > 0 && (ps[i - 1].type === "unit" || ps[i - 1].type === "percentSign" || ps[i - 1].type === "literal")) i--;
      return ps.slice(i);
    };
    // ICU collapses a unit always, a percent sign only when a space sets it
    // off (`10–20 %`, but `10% – 20%`).
    const shared = suffix(a);
    const collapse = join(shared) === join(suffix(b)) &&
      (shared.some((p) => p.type === "unit") ||
        (shared.some((p) => p.type === "percentSign") && shared.some((p) => p.type === "literal")));
    const left = collapse ? a.slice(0, a.length - shared.length) : a;
    const spaced = a.some((p) => p.type === "currency" || p.type === "compact") ||
      (!collapse && shared.some((p) => p.type !== "literal"));
    return [
      ...left.map((p) => ({ ...p, source: "startRange" })),
      { type: "literal", value: spaced ? " – " : "–", source: "shared" },
      ...b.map((p) => ({ ...p, source: "endRange" })),
    ];
  }
  defineClass("NumberFormat", NumberFormat, {
    formatToParts(x) {
      return toParts(formatNumber(numberSlots.get(this, "formatToParts"), x));
    },
    formatRange(start, end) {
      return join(numberRange(numberSlots.get(this, "formatRange"), start, end));
    },
    formatRangeToParts(start, end) {
      return toParts(numberRange(numberSlots.get(this, "formatRangeToParts"), start, end));
    },
    resolvedOptions() {
      return ordered(numberSlots.get(this, "resolvedOptions").options, NUMBER_ORDER);
    },
  }, {
    format: boundGetter(numberSlots, "format", (state) => (x) => join(formatNumber(state, x))),
  });

  // ---- DateTimeFormat ------------------------------------------------------------
  const DATE_OPTIONS = [
    "localeMatcher", "s", "calendar", "s", "numberingSystem", "s", "hour12", "b", "hourCycle", "s",
    "timeZone", "s", "weekday", "s", "era", "s", "year", "s", "month", "s", "day", "s",
    "dayPeriod", "s", "hour", "s", "minute", "s", "second", "s", "fractionalSecondDigits", "n",
    "timeZoneName", "s", "formatMatcher", "s", "dateStyle", "s", "timeStyle", "s",
  ];
  const DATE_ORDER = [
    "locale", "calendar", "numberingSystem", "timeZone", "hourCycle", "hour12", "weekday", "era",
    "year", "month", "day", "dayPeriod", "hour", "minute", "second", "fractionalSecondDigits",
    "timeZoneName", "dateStyle", "timeStyle",
  ];
  const dateSlots = slots();
  const dateNow = Date.now;
  function timeValue(date) {
    const t = date === undefined ? dateNow() : Number(date);
    if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) throw new RangeError("Invalid time value");
    return Math.trunc(t) + 0;
  }
  function makeDateTimeFormat(self, locales, options, required, defaults) {
    const tags = localeList(locales);
    const resolved = ask("dateTimeResolve", { tags, options: readOptions(options, DATE_OPTIONS), required, defaults });
    dateSlots.set(self, { options: resolved });
  }
  /** @constructor */
  function DateTimeFormat(locales, options) {
    if (!new.target) return new DateTimeFormat(locales, options);
    makeDateTimeFormat(this, locales, options, "any", "date");
  }
  const formatDate = (state, date) =>
    askJson("dateTimeFormat", `{"options":${optionsJson(state)},"time":${timeValue(date)}}`);
  function dateRange(state, start, end) {
    if (start === undefined || end === undefined) throw new TypeError("startDate or endDate is undefined");
    return ask("dateTimeFormatRange", { options: state.options, start: timeValue(start), end: timeValue(end) });
  }
  defineClass("DateTimeFormat", DateTimeFormat, {
    formatToParts(date) {
      return toParts(formatDate(dateSlots.get(this, "formatToParts"), date));
    },
    formatRange(start, end) {
      return join(dateRange(dateSlots.get(this, "formatRange"), start, end));
    },
    formatRangeToParts(start, end) {
      return toParts(dateRange(dateSlots.get(this, "formatRangeToParts"), start, end));
    },
    resolvedOptions() {
      return ordered(dateSlots.get(this, "resolvedOptions").options, DATE_ORDER);
    },
  }, {
    format: boundGetter(dateSlots, "format", (state) => (date) => join(formatDate(state, date))),
  });

  // ---- Collator ------------------------------------------------------------------
  const COLLATOR_OPTIONS = [
    "usage", "s", "localeMatcher", "s", "collation", "s", "numeric", "b", "caseFirst", "s",
    "sensitivity", "s", "ignorePunctuation", "b",
  ];
  const COLLATOR_ORDER = ["locale", "usage", "sensitivity", "ignorePunctuation", "collation", "numeric", "caseFirst"];
  const collatorSlots = slots();
  /** @constructor */
  function Collator(locales, options) {
    if (!new.target) return new Collator(locales, options);
    const tags = localeList(locales);
    collatorSlots.set(this, { options: ask("collatorResolve", { tags, options: readOptions(options, COLLATOR_OPTIONS) }) });
  }
  const compareWith = (state, a, b) =>
    askJson("collatorCompare", `{"options":${optionsJson(state)},"pairs":[[${toJson(`${a}`)},${toJson(`${b}`)}]]}`)[0];
  defineClass("Collator", Collator, {
    resolvedOptions() {
      return ordered(collatorSlots.get(this, "resolvedOptions").options, COLLATOR_ORDER);
    },
  }, {
    compare: boundGetter(collatorSlots, "compare", (state) => (a, b) => compareWith(state, a, b)),
  });

  // ---- PluralRules ---------------------------------------------------------------
  const PLURAL_OPTIONS = [
    "localeMatcher", "s", "type", "s", "minimumIntegerDigits", "n", "minimumFractionDigits", "n",
    "maximumFractionDigits", "n", "minimumSignificantDigits", "n", "maximumSignificantDigits", "n",
    "roundingIncrement", "n", "roundingMode", "s", "roundingPriority", "s", "trailingZeroDisplay", "s",
  ];
  const PLURAL_ORDER = [
    "locale", "type", "notation", "minimumIntegerDigits", "minimumFractionDigits", "maximumFractionDigits",
    "minimumSignificantDigits", "maximumSignificantDigits", "pluralCategories", "roundingIncrement",
    "roundingMode", "roundingPriority", "trailingZeroDisplay",
  ];
  const pluralSlots = slots();
  /** @constructor */
  function PluralRules(locales, options) {
    if (!new.target) throw new TypeError("Constructor Intl.PluralRules requires 'new'");
    const tags = localeList(locales);
    pluralSlots.set(this, { options: ask("pluralResolve", { tags, options: readOptions(options, PLURAL_OPTIONS) }) });
  }
  const select = (state, n) => ask("pluralSelect", { options: state.options, type: state.options.type, value: numericText(Number(n)) });
  defineClass("PluralRules", PluralRules, {
    select(n) {
      return select(pluralSlots.get(this, "select"), n);
    },
    selectRange(start, end) {
      const state = pluralSlots.get(this, "selectRange");
      if (start === undefined || end === undefined) throw new TypeError("start or end is undefined");
      if (Number.isNaN(Number(start)) || Number.isNaN(Number(end))) throw new RangeError("Invalid number value: NaN");
      return select(state, end);
    },
    resolvedOptions() {
      return ordered(pluralSlots.get(this, "resolvedOptions").options, PLURAL_ORDER);
    },
  });

  // ---- ListFormat, RelativeTimeFormat, Segmenter, DisplayNames -----------------------
  function simpleService(name, fn, optionNames, order) {
    const store = slots();
    function Service(locales, options) {
      if (!new.target) throw new TypeError(`Constructor Intl.${name} requires 'new'`);
      const tags = localeList(locales);
      if (name === "DisplayNames" && options === undefined) throw new TypeError("Required option \"type\" is missing");
      const read = readOptions(options, optionNames);
      store.set(this, { tags, options: read, resolved: ask(fn, { tags, options: read }) });
    }
    Service.store = store;
    Service.order = order;
    return Service;
  }

  const ListFormat = simpleService("ListFormat", "listFormat", ["localeMatcher", "s", "type", "s", "style", "s"], ["locale", "type", "style"]);
  function listItems(list) {
    const items = [];
    if (list === undefined) return items;
    for (const item of list) {
      if (typeof item !== "string") throw new TypeError("Iterable yielded " + String(item) + " which is not a string");
      items.push(item);
    }
    return items;
  }
  const formatList = (state, list) => ask("listFormat", { tags: state.tags, options: state.options, items: listItems(list) });
  defineClass("ListFormat", ListFormat, {
    format(list) {
      return join(formatList(ListFormat.store.get(this, "format"), list));
    },
    formatToParts(list) {
      return toParts(formatList(ListFormat.store.get(this, "formatToParts"), list));
    },
    resolvedOptions() {
      return ordered(ListFormat.store.get(this, "resolvedOptions").resolved, ListFormat.order);
    },
  });

  const RelativeTimeFormat = simpleService(
    "RelativeTimeFormat", "relativeFormat",
    ["localeMatcher", "s", "numberingSystem", "s", "style", "s", "numeric", "s"],
    ["locale", "style", "numeric", "numberingSystem"],
  );
  function formatRelative(state, value, unit) {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new RangeError("Invalid time value");
    const pieces = ask("relativeFormat", { tags: state.tags, options: state.options, value: numericText(n), unit: `${unit}` });
    // Number parts name their unit (singular), as ECMA-402 says.
    const singular = `${unit}`.replace(/s$/, "");
    return pieces.map((p) => (p.type === "literal" ? p : { type: p.type, value: p.value, unit: singular }));
  }
  defineClass("RelativeTimeFormat", RelativeTimeFormat, {
    format(value, unit) {
      return join(formatRelative(RelativeTimeFormat.store.get(this, "format"), value, unit));
    },
    formatToParts(value, unit) {
      return toParts(formatRelative(RelativeTimeFormat.store.get(this, "formatToParts"), value, unit));
    },
    resolvedOptions() {
      return ordered(RelativeTimeFormat.store.get(this, "resolvedOptions").resolved, RelativeTimeFormat.order);
    },
  });

  const Segmenter = simpleService("Segmenter", "segment", ["localeMatcher", "s", "granularity", "s"], ["locale", "granularity"]);
  const segmentsProto = {};
  const segmentsSlots = slots();
  function segmentData(state, i) {
    const { input, breaks, wordLike, granularity } = state;
    const data = { segment: input.slice(breaks[i], breaks[i + 1]), index: breaks[i], input };
    if (granularity === "word") data.isWordLike = wordLike[i];
    return data;
  }
  defineProperty(segmentsProto, "containing", {
    value: function containing(index) {
      const state = segmentsSlots.get(this, "containing");
      const n = Math.trunc(Number(index)) || 0;
      if (n < 0 || n >= state.input.length) return undefined;
      let i = 0;
      while (state.breaks[i + 1] <= n) i++;
      return segmentData(state, i);
    },
    writable: true,
    configurable: true,
  });
  defineProperty(segmentsProto, Symbol.iterator, {
    value: function* segments() {
      const state = segmentsSlots.get(this, "[Symbol.iterator]");
      for (let i = 0; i + 1 < state.breaks.length; i++) yield segmentData(state, i);
    },
    writable: true,
    configurable: true,
  });
  defineClass("Segmenter", Segmenter, {
    segment(string) {
      const state = Segmenter.store.get(this, "segment");
      const input = `${string}`;
      const answer = ask("segment", { tags: state.tags, options: state.options, text: input });
      const segments = Object.create(segmentsProto);
      segmentsSlots.set(segments, { input, breaks: answer.breaks, wordLike: answer.wordLike, granularity: state.resolved.granularity });
      return segments;
    },
    resolvedOptions() {
      return ordered(Segmenter.store.get(this, "resolvedOptions").resolved, Segmenter.order);
    },
  });

  const DisplayNames = simpleService(
    "DisplayNames", "displayName",
    ["localeMatcher", "s", "style", "s", "type", "s", "fallback", "s", "languageDisplay", "s"],
    ["locale", "style", "type", "fallback", "languageDisplay"],
  );
  defineClass("DisplayNames", DisplayNames, {
    of(code) {
      const state = DisplayNames.store.get(this, "of");
      const name = ask("displayName", { tags: state.tags, options: state.options, code: `${code}` });
      return name === null ? undefined : name;
    },
    resolvedOptions() {
      return ordered(DisplayNames.store.get(this, "resolvedOptions").resolved, DisplayNames.order);
    },
  });

  // ---- Locale --------------------------------------------------------------------
  const LOCALE_OPTIONS = [
    "language", "s", "script", "s", "region", "s", "calendar", "s", "collation", "s",
    "hourCycle", "s", "caseFirst", "s", "numeric", "b", "numberingSystem", "s",
  ];
  const localeSlots = slots();
  function isLocale(value) {
    try {
      localeSlots.get(value, "");
      return true;
    } catch {
      return false;
    }
  }
  /** @constructor */
  function Locale(tag, options) {
    if (!new.target) throw new TypeError("Constructor Intl.Locale requires 'new'");
    if (tag === null || (typeof tag !== "string" && typeof tag !== "object")) {
      throw new TypeError("First argument to Intl.Locale constructor can't be empty or missing");
    }
    const text = isLocale(tag) ? localeSlots.get(tag, "").tag : `${tag}`;
    const read = readOptions(options, LOCALE_OPTIONS);
    if (read.numeric !== undefined) read.numeric = `${read.numeric}`;
    localeSlots.set(this, ask("localeInfo", { tag: text, options: read }));
  }
  const localeGetter = (key) => function () {
    const value = localeSlots.get(this, key)[key];
    return value === null ? undefined : value;
  };
  defineClass("Locale", Locale, {
    toString() {
      return localeSlots.get(this, "toString").tag;
    },
    toJSON() {
      return localeSlots.get(this, "toJSON").tag;
    },
    maximize() {
      return new Locale(localeSlots.get(this, "maximize").maximal);
    },
    minimize() {
      return new Locale(localeSlots.get(this, "minimize").minimal);
    },
  }, {
    baseName: localeGetter("baseName"),
    language: localeGetter("language"),
    script: localeGetter("script"),
    region: localeGetter("region"),
    calendar: localeGetter("calendar"),
    collation: localeGetter("collation"),
    hourCycle: localeGetter("hourCycle"),
    caseFirst: localeGetter("caseFirst"),
    numeric: localeGetter("numeric"),
    numberingSystem: localeGetter("numberingSystem"),
  });
  delete /** @type {any} */ (Locale).supportedLocalesOf;

  // ---- Intl functions ------------------------------------------------------------
  defineProperty(Intl, "getCanonicalLocales", {
    value: function getCanonicalLocales(locales) {
      return ask("canonicalize", { tags: localeList(locales) });
    },
    writable: true,
    configurable: true,
  });
  defineProperty(Intl, "supportedValuesOf", {
    value: function supportedValuesOf(key) {
      return ask("supportedValuesOf", { key: `${key}` });
    },
    writable: true,
    configurable: true,
  });
  defineProperty(globalThis, "Intl", { value: Intl, writable: true, configurable: true });

  // ---- locale-aware built-ins ---------------------------------------------------------
  // Formatters for calls without arguments are made once, on first use.
  const defaults = new Map();
  function cached(key, make) {
    let value = defaults.get(key);
    if (!value) {
      value = make();
      defaults.set(key, value);
    }
    return value;
  }
  function method(proto, name, fn) {
    defineProperty(proto, name, { value: fn, writable: true, configurable: true });
  }
  const thisNumber = Number.prototype.valueOf;
  const thisBigInt = BigInt.prototype.valueOf;
  const thisTime = Date.prototype.getTime;
  method(Number.prototype, "toLocaleString", function toLocaleString(locales, options) {
    const x = call(thisNumber, this);
    const nf = locales === undefined && options === undefined
      ? cached("number", () => new NumberFormat())
      : new NumberFormat(locales, options);
    return join(formatNumber(numberSlots.get(nf, "format"), x));
  });
  method(BigInt.prototype, "toLocaleString", function toLocaleString(locales, options) {
    const x = call(thisBigInt, this);
    const nf = new NumberFormat(locales, options);
    return join(formatNumber(numberSlots.get(nf, "format"), x));
  });
  for (const [name, required, defaultFields] of [
    ["toLocaleString", "any", "all"],
    ["toLocaleDateString", "date", "date"],
    ["toLocaleTimeString", "time", "time"],
  ]) {
    method(Date.prototype, name, {
      [name](locales, options) {
        const t = call(thisTime, this);
        if (Number.isNaN(t)) return "Invalid Date";
        const make = () => {
          const dtf = Object.create(DateTimeFormat.prototype);
          makeDateTimeFormat(dtf, locales, options, required, defaultFields);
          return dtf;
        };
        const dtf = locales === undefined && options === undefined ? cached(name, make) : make();
        return join(formatDate(dateSlots.get(dtf, name), t));
      },
    }[name]);
  }
  method(String.prototype, "localeCompare", function localeCompare(that, locales, options) {
    if (this === undefined || this === null) throw new TypeError("String.prototype.localeCompare called on null or undefined");
    const collator = locales === undefined && options === undefined
      ? cached("collator", () => new Collator())
      : new Collator(locales, options);
    return compareWith(collatorSlots.get(collator, "compare"), `${this}`, `${that}`);
  });
  for (const [name, upper] of /** @type {[string, boolean][]} */ ([["toLocaleUpperCase", true], ["toLocaleLowerCase", false]])) {
    method(String.prototype, name, {
      [name](locales) {
        if (this === undefined || this === null) throw new TypeError(`String.prototype.${name} called on null or undefined`);
        const tags = localeList(locales);
        return ask("caseMap", { tags: tags.slice(0, 1), text: `${this}`, upper });
      },
    }[name]);
  }
  // Array.prototype.toLocaleString passes its arguments on (ECMA-402
  // §19.5.1); QuickJS's own drops them.
  method(Array.prototype, "toLocaleString", function toLocaleString(locales, options) {
    const array = Object(this);
    const length = Math.min(Math.max(Math.trunc(Number(array.length)) || 0, 0), 2 ** 53 - 1);
    let out = "";
    for (let k = 0; k < length; k++) {
      if (k > 0) out += ",";
      const element = array[k];
      if (element !== undefined && element !== null) out += `${element.toLocaleString(locales, options)}`;
    }
    return out;
  });
})();
