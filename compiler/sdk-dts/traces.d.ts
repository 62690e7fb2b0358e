import type { Trace } from "./types.ts";
/** Trace queries: the type of {@link traces}. */
export interface Traces {
    /** Traces of `service` slower than `minDurationNs`, slowest first (default limit 10, at most 1000). */
    findSlow(service: string, minDurationNs: number, timeRangeMs?: number, limit?: number): Promise<Trace[]>;
    /** Failed traces of `service`, newest first (default limit 10, at most 1000). */
    findErrors(service: string, timeRangeMs?: number, limit?: number): Promise<Trace[]>;
}
/** Trace queries. */
export declare const traces: Traces;
