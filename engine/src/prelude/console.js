// The `console` global (prelude, after inspect.js), as Deno's prints:
// log/info/debug to stdout, warn/error/trace/assert to stderr, groups,
// counters, timers on the run's clock, table and dir.
(() => {
  "use strict";
  const internal = globalThis.__coral_prelude;
  const { native, wellFormed, inspect, format, table, MAX_DEPTH } = internal;
  const STDOUT = 1;
  const STDERR = 2;

  let groupIndent = "";
  function emit(stream, args) {
    let text = format(args);
    if (groupIndent) text = text.split("\n").map((l) => groupIndent + l).join("\n");
    native.write(stream, wellFormed(text) + "\n");
  }

  const counts = new Map();
  const timersByLabel = new Map();
  const console = {
    log: (...a) => emit(STDOUT, a),
    info: (...a) => emit(STDOUT, a),
    debug: (...a) => emit(STDOUT, a),
    warn: (...a) => emit(STDERR, a),
    error: (...a) => emit(STDERR, a),
    trace: (...a) => emit(STDERR, ["Trace:", ...a, new Error().stack]),
    assert: (cond, ...a) => {
      if (!cond) emit(STDERR, ["Assertion failed:", ...a]);
    },
    group: (...a) => {
      if (a.length) emit(STDOUT, a);
      groupIndent += "  ";
    },
    groupEnd: () => {
      groupIndent = groupIndent.slice(2);
    },
    count: (label = "default") => {
      const n = (counts.get(label) || 0) + 1;
      counts.set(label, n);
      emit(STDOUT, [`${label}: ${n}`]);
    },
    countReset: (label = "default") => {
      if (counts.has(`${label}`)) counts.set(`${label}`, 0);
      else emit(STDERR, [`Count for '${label}' does not exist`]);
    },
    time: (label = "default") => {
      if (timersByLabel.has(`${label}`)) emit(STDERR, [`Timer '${label}' already exists`]);
      else timersByLabel.set(`${label}`, native.now());
    },
    timeLog: (label = "default", ...data) => {
      const start = timersByLabel.get(`${label}`);
      if (start === undefined) emit(STDERR, [`Timer '${label}' does not exist`]);
      else emit(STDOUT, [`${label}: ${Math.round(native.now() - start)}ms`, ...data]);
    },
    timeEnd: (label = "default") => {
      const start = timersByLabel.get(`${label}`);
      if (start === undefined) {
        emit(STDERR, [`Timer '${label}' does not exist`]);
        return;
      }
      timersByLabel.delete(`${label}`);
      emit(STDOUT, [`${label}: ${Math.round(native.now() - start)}ms`]);
    },
    table: (data, properties) => {
      const text = table(data, properties);
      if (text === undefined) emit(STDOUT, [data]);
      else emit(STDOUT, [text]);
    },
    // Deno clears with ANSI sequences whatever stdout is.
    clear: () => native.write(STDOUT, "\x1b[1;1H\x1b[0J"),
  };
  console.groupCollapsed = console.group;
  console.dirxml = console.log;
  // console.dir(value, {depth}): one value, inspected to `depth` levels
  // (null for all).
  console.dir = (v, options) => {
    const depth = options && "depth" in Object(options) ? options.depth : MAX_DEPTH;
    let text = inspect(v, false, depth);
    if (groupIndent) text = text.split("\n").map((l) => groupIndent + l).join("\n");
    native.write(STDOUT, wellFormed(text) + "\n");
  };

  Object.defineProperty(globalThis, "console", {
    value: console,
    writable: true,
    configurable: true,
    enumerable: false,
  });
})();
