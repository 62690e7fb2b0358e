/**
 * Host metrics (CPU, memory) of a service's instances.
 *
 * @module
 */
import { optionalNumber, requireString } from "./args.ts";
import { date, type Message, num, str } from "./protojson.ts";
import { transport } from "./transport.ts";
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
export const system: System = {
  async getMetrics(service: string, timeRangeMs = 0): Promise<SystemMetrics> {
    requireString("system.getMetrics", "service", service);
    optionalNumber("system.getMetrics", "timeRangeMs", timeRangeMs, "a window in milliseconds");
    const resp = (await transport.unary("GetSystemMetrics", { service, timeRangeMs })) as Message;
    const samples = num(resp.sampleCount);
    return {
      service: str(resp.service) || service,
      cpu_percent: samples === 0 ? NaN : num(resp.cpuPercent),
      memory_percent: samples === 0 ? NaN : num(resp.memoryPercent),
      memory_bytes: num(resp.memoryBytes),
      sample_count: samples,
      last_sample: date(resp.lastSample),
    };
  },
};
