import type { Severity } from "./types.ts";
/**
 * Emits an event; `data` must be JSON-serialisable. Throws a `TypeError` for
 * an empty or over-long name or an unknown severity, and `LimitExceeded`
 * after 10,000 events in one run.
 */
export declare function emit(name: string, data?: unknown, severity?: Severity): void;
