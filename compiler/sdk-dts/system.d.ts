import type { SystemMetrics } from "./types.ts";
/** System metrics: the type of {@link system}. */
export interface System {
    /**
     * Averages over the last `timeRangeMs` (default one hour) across the
     * service's instances. `cpu_percent` and `memory_percent` are 0–100, NaN
     * when no host metrics arrived in the window.
     */
    getMetrics(service: string, timeRangeMs?: number): Promise<SystemMetrics>;
}
/** System metrics. */
export declare const system: System;
