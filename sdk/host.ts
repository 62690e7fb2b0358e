/**
 * The SDK's transport seam. In the wasm engine every SDK call becomes one
 * synchronous host call through the `coral` ABI (see `coral-host-abi`); the
 * engine prelude installs the hook this file reads.
 *
 * @module
 */

interface HostHooks {
  call(op: string, payload: Record<string, unknown>): unknown;
  errorClasses: Record<string, new (message: string) => Error>;
}

const hooks = (globalThis as unknown as Record<symbol, HostHooks | undefined>)[
  Symbol.for("coral.host")
];

/** Synchronous request/response to the host. */
export const host = {
  call<T>(op: string, payload: Record<string, unknown>): T {
    if (!hooks) throw new Error("@coral/sdk: not running inside the Coral engine");
    return hooks.call(op, payload) as T;
  },
};
