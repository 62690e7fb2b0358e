/**
 * `@coral/sdk`: what a Coral script can see of the world — the colony's
 * services, metrics, traces, host metrics and raw SQL, its own parameters,
 * and a channel for structured events.
 *
 * ```ts
 * import * as coral from "@coral/sdk";
 * for (const svc of await coral.services.list()) {
 *   const p99 = await coral.metrics.getP99(svc.name);
 *   console.log(`${svc.name}: ${(p99 / 1e6).toFixed(1)}ms`);
 * }
 * ```
 *
 * @module
 */
export { services } from "./services.ts";
export { HTTP_SERVER_DURATION, metrics } from "./metrics.ts";
export { traces } from "./traces.ts";
export { system } from "./system.ts";
export { db } from "./db.ts";
export { emit } from "./emit.ts";
export { ParamError, params } from "./params.ts";
export type { Services } from "./services.ts";
export type { Metrics } from "./metrics.ts";
export type { Traces } from "./traces.ts";
export type { System } from "./system.ts";
export type { Db } from "./db.ts";
export type { Params } from "./params.ts";
export { ColonyError, ColonyTimeout, ColonyUnavailable, InvalidArgument, LimitExceeded, NotFound, QueryRejected, } from "./errors.ts";
export type { Column, ErrorStats, PercentileStats, QueryOptions, QueryResult, Row, Service, Severity, SqlValue, SystemMetrics, Trace, } from "./types.ts";
