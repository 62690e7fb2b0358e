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
import { colonyError, errorClassByCode } from "./errors.ts";
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

/**
 * `JSON.stringify` and `JSON.parse` as they were before the script ran: the
 * engines take them before any module loads, so a script that replaces
 * them cannot garble its own SDK calls and events.
 */
export interface Json {
  stringify(value: unknown, replacer?: (this: unknown, key: string, value: unknown) => unknown): string | undefined;
  parse(text: string): unknown;
}

/** What the wasm engine's prelude installs at `Symbol.for("coral.host")`. */
interface EngineHooks {
  call(op: string, payload: Record<string, unknown>): unknown;
  errorClasses: Record<string, unknown>;
  json: Json;
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

/** What `coral run --engine deno` installs at `Symbol.for("coral.deno")` (runtime/src/deno/setup.js). */
interface DenoRun {
  /** Base URL of the run's colony endpoint (Connect JSON, loopback). */
  colony: string;
  params: Readonly<Record<string, string>>;
  maxEvents: number;
  /** Hands an event to the CLI. */
  emit(event: { name: string; data: unknown; severity: Severity }): void;
  /** Marks a colony call in flight (deterministic timers wait for it). */
  track<T>(promise: Promise<T>): Promise<T>;
  json: Json;
  /** Deno's `fetch`, as it was before the script ran. */
  fetch(url: string, init: RequestInit): Promise<Response>;
}

const CONNECT_PATH = "/coral.colony.v1.QueryService/";

function denoTransport(run: DenoRun): Transport {
  let events = 0;
  return {
    async unary(method, request) {
      let response: Response;
      let text: string;
      try {
        response = await run.track(run.fetch(run.colony + CONNECT_PATH + method, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: run.json.stringify(request),
        }));
        text = await run.track(response.text());
      } catch (e) {
        throw colonyError("unavailable", `the run's colony endpoint ${run.colony} is unavailable: ${(e as Error).message}`);
      }
      if (response.ok) return run.json.parse(text);
      // A Connect error: {"code": "not_found", "message": "..."}.
      let failure: { code?: string; message?: string } = {};
      try {
        failure = run.json.parse(text) as { code?: string; message?: string };
      } catch {
        // not JSON: reported by status below
      }
      throw colonyError(failure.code ?? "internal", failure.message ?? `HTTP ${response.status}: ${text}`);
    },
    params: () => ({ ...run.params }),
    emit(name, data, severity) {
      if (events >= run.maxEvents) {
        throw colonyError("resource_exhausted", `emit: a run may emit at most ${run.maxEvents} events`);
      }
      events++;
      run.emit({ name, data, severity });
    },
  };
}

function unsupported(): Transport {
  const fail = (): never => {
    throw new Error("@coral/sdk: run this script with `coral run` (this runtime has no Coral transport)");
  };
  return { unary: fail, params: fail, emit: fail };
}

const globals = globalThis as unknown as Record<symbol, unknown>;
const hooks = globals[Symbol.for("coral.host")] as EngineHooks | undefined;
const denoRun = globals[Symbol.for("coral.deno")] as DenoRun | undefined;

/** The transport of this runtime. */
export const transport: Transport = hooks
  ? engineTransport(hooks)
  : denoRun
  ? denoTransport(denoRun)
  : unsupported();

/** The JSON functions the SDK encodes with (see [`Json`]). */
export const json: Json = hooks?.json ?? denoRun?.json ?? {
  stringify: JSON.stringify,
  parse: JSON.parse,
};
