/**
 * Finding traces: slow ones and failed ones, newest first within the window.
 *
 * @module
 */
import { optionalNumber, requireString } from "./args.ts";
import { bool, date, list, type Message, num, str } from "./protojson.ts";
import { transport } from "./transport.ts";
import type { Trace } from "./types.ts";

function trace(m: Message): Trace {
  return {
    traceId: str(m.traceId),
    durationNs: num(m.durationNs),
    timestamp: date(m.timestamp),
    service: str(m.service),
    spanName: str(m.spanName),
    httpStatusCode: num(m.httpStatusCode),
    statusMessage: str(m.statusMessage),
    error: bool(m.error),
  };
}

/** Trace queries: the type of {@link traces}. */
export interface Traces {
  /** Traces of `service` slower than `minDurationNs`, slowest first (default limit 10, at most 1000). */
  findSlow(service: string, minDurationNs: number, timeRangeMs?: number, limit?: number): Promise<Trace[]>;
  /** Failed traces of `service`, newest first (default limit 10, at most 1000). */
  findErrors(service: string, timeRangeMs?: number, limit?: number): Promise<Trace[]>;
}

/** Trace queries. */
export const traces: Traces = {
  async findSlow(service: string, minDurationNs: number, timeRangeMs = 0, limit = 0): Promise<Trace[]> {
    requireString("traces.findSlow", "service", service);
    if (minDurationNs === undefined) {
      throw new TypeError("traces.findSlow: minDurationNs must be a duration in nanoseconds (a number), got undefined");
    }
    optionalNumber("traces.findSlow", "minDurationNs", minDurationNs, "a duration in nanoseconds");
    optionalNumber("traces.findSlow", "timeRangeMs", timeRangeMs, "a window in milliseconds");
    optionalNumber("traces.findSlow", "limit", limit, "a number of traces");
    const resp = (await transport.unary("FindSlowTraces", {
      service,
      minDurationNs: String(Math.trunc(minDurationNs)),
      timeRangeMs,
      limit,
    })) as Message;
    return list(resp.traces).map(trace);
  },

  async findErrors(service: string, timeRangeMs = 0, limit = 0): Promise<Trace[]> {
    requireString("traces.findErrors", "service", service);
    optionalNumber("traces.findErrors", "timeRangeMs", timeRangeMs, "a window in milliseconds");
    optionalNumber("traces.findErrors", "limit", limit, "a number of traces");
    const resp = (await transport.unary("FindErrorTraces", { service, timeRangeMs, limit })) as Message;
    return list(resp.traces).map(trace);
  },
};
