/**
 * Structured events: `emit("high_latency", { service, p99Ms }, "warning")`.
 * Events travel apart from console output: `coral run` shows each on
 * stderr as `event <name> [<severity>] <data as JSON>`, and daemon scripts
 * keep them.
 *
 * @module
 */
import { transport } from "./transport.ts";
import type { Severity } from "./types.ts";

/** Emits an event; `data` must be JSON-serialisable. */
export function emit(name: string, data: unknown = null, severity: Severity = "info"): void {
  // Normalise to JSON now (Dates become strings), so every transport sends the same.
  const json = data === undefined ? null : JSON.parse(JSON.stringify(data) ?? "null");
  transport.emit(name, json, severity);
}
