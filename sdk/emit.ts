/**
 * Structured events: `emit("high_latency", { service, p99Ms }, "warning")`.
 * Events travel apart from console output: `coral run` shows each on
 * stderr as `event <name> [<severity>] <data as JSON>`, and daemon scripts
 * keep them.
 *
 * @module
 */
import { json, transport } from "./transport.ts";
import type { Severity } from "./types.ts";

const SEVERITIES: readonly string[] = ["debug", "info", "warning", "error", "critical"];
const MAX_NAME = 256;
/** A UTF-16 surrogate without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Emits an event; `data` must be JSON-serialisable. Throws a `TypeError` for
 * an empty or over-long name or an unknown severity, and `LimitExceeded`
 * after 10,000 events in one run.
 */
export function emit(name: string, data: unknown = null, severity: Severity = "info"): void {
  // Checked here so both engines refuse the same way; the host checks again.
  // Characters are Unicode code points (what the host counts too), not
  // UTF-16 units or UTF-8 bytes.
  if (typeof name !== "string" || name.length === 0 || [...name].length > MAX_NAME) {
    throw new TypeError(`emit: the event name must be 1-${MAX_NAME} characters`);
  }
  if (LONE_SURROGATE.test(name)) {
    throw new TypeError(`emit: the event name holds a lone surrogate (half of a UTF-16 pair), which no text encoding can carry`);
  }
  if (!SEVERITIES.includes(severity)) {
    throw new TypeError(`emit: unknown severity "${severity}" (one of ${SEVERITIES.join(", ")})`);
  }
  // Normalise to JSON now (Dates become strings), so every transport sends
  // the same; a bigint is refused with one message on every engine.
  const text = json.stringify(data, (key, value) => {
    if (LONE_SURROGATE.test(key)) {
      throw new TypeError("emit: data holds a key with a lone surrogate (half of a UTF-16 pair), which no text encoding can carry");
    }
    if (typeof value === "bigint") {
      throw new TypeError("emit: data must be JSON-serialisable, and a bigint is not (convert it with Number() or String())");
    }
    if (typeof value === "string" && LONE_SURROGATE.test(value)) {
      const at = key === "" ? "" : ` (at key "${key}")`;
      throw new TypeError(
        `emit: data holds a string with a lone surrogate (half of a UTF-16 pair), which no text encoding can carry${at}; remove or replace it (toWellFormed())`,
      );
    }
    return value;
  });
  const normalised = data === undefined ? null : json.parse(text ?? "null");
  transport.emit(name, normalised, severity);
}
