/**
 * The SDK's one seam between logic and transport. Everything above this
 * file is shared; underneath, the wasm engine answers synchronously through
 * the `coral` host ABI (`coral-host-abi`: op `colony` carries the same
 * protojson bodies as Connect), and Deno mode speaks Connect JSON over
 * `fetch`. Requests and responses are `coral.colony.v1` QueryService
 * messages in protojson.
 *
 * @module
 */
import { errorClassByCode } from "./errors.ts";
import type { Severity } from "./types.ts";

/** How SDK calls reach the host. */
export interface Transport {
  /** One QueryService call, e.g. `unary("ListServices", {})`. */
  unary(method: string, request: Record<string, unknown>): Promise<unknown>;
  /** The run's `--param` values. */
  params(): Record<string, string>;
  /** Records a structured event. */
  emit(name: string, data: unknown, severity: Severity): void;
}

/** What the wasm engine's prelude installs at `Symbol.for("coral.host")`. */
interface EngineHooks {
  call(op: string, payload: Record<string, unknown>): unknown;
  errorClasses: Record<string, unknown>;
}

function engineTransport(hooks: EngineHooks): Transport {
  // The engine throws the class registered for a failure's code.
  Object.assign(hooks.errorClasses, errorClassByCode);
  return {
    unary(method, request) {
      try {
        return Promise.resolve(hooks.call("colony", { method, request }));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    params: () => hooks.call("params", {}) as Record<string, string>,
    emit(name, data, severity) {
      hooks.call("emit", { name, data, severity });
    },
  };
}

function unsupported(): Transport {
  const fail = (): never => {
    throw new Error("@coral/sdk: run this script with `coral run` (this runtime has no Coral transport)");
  };
  return { unary: fail, params: fail, emit: fail };
}

const hooks = (globalThis as unknown as Record<symbol, EngineHooks | undefined>)[
  Symbol.for("coral.host")
];

/** The transport of this runtime. */
export const transport: Transport = hooks ? engineTransport(hooks) : unsupported();
