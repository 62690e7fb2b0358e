// What the engine's JavaScript (prelude/*.js, json.js, intl.js, web/*.js)
// finds on globalThis besides the globals Deno's type library describes:
// the native functions `lib.rs` installs before the prelude runs, the
// hidden object the web files share and the one the prelude's files share
// (shared.js's are in shared.d.ts). For `deno check` only
// (scripts/check-js.sh, engine/deno.json); the build embeds the .js files,
// never this one. The web globals themselves (URL, Headers, streams, ...)
// are typed by Deno's library, whose behaviour they follow.

/** The functions `engine/src/lib.rs` installs as `__coral_native`; the prelude deletes the global. */
interface CoralNative {
  /** Writes `text` to stdout (1) or stderr (2), through the `coral.write` import. */
  write(stream: 1 | 2, text: string): void;
  /** Sends one JSON request through `coral.call`; returns the JSON response. */
  call(request: string): string;
  /** Milliseconds on the host's monotonic (or deterministic) clock. */
  now(): number;
  /** Blocks for `ms` milliseconds of the host's clock (timers with nothing else to run). */
  sleep(ms: number): void;
  /** The host's PRNG seed as two 26-bit halves. */
  seed(): [number, number];
  /** Hands the host the JSON error report of an uncaught exception. */
  reportError(report: string): void;
  /** Ends the run with `code` (`Deno.exit`, `process.exit`). */
  exit(code: number): never;
  /** True while QuickJS has promise jobs queued. */
  jobsPending(): boolean;
  /** `[state, result]` of a promise (0 pending, 1 fulfilled, 2 rejected); `[]` for anything else. */
  promiseState(value: unknown): [] | [0 | 1 | 2, unknown];
}

/** What the web files share through `__coral_web` (json.js creates it; the prelude deletes the global). */
interface CoralWeb {
  /** JSON for host requests, without the script's JSON.stringify. */
  encodeJson(value: unknown): string;
  /** The method a web global defines to show itself in console.log. */
  inspect: symbol;
  /** Bytes per host request (hex doubles it). */
  MAX_HOST_BYTES: number;
  toHex(bytes: ArrayLike<number>): string;
  fromHex(hex: string): Uint8Array;
  // The engine's Blob: blob.js's class, which the checker keeps apart
  // from the global Blob type it shadows.
  blobBytes(blob: object): Uint8Array;
  blobOf(bytes: Uint8Array, type: string, into?: object): object;
  makeEventTarget(target: object): void;
  hasListeners(target: object, type: string): boolean;
  formEntries(form: FormData): [string, FormDataEntryValue][];
  /** A timer that does not keep the run alive (AbortSignal.timeout). */
  unrefTimeout(callback: () => void, ms: number): unknown;
  /** Reports an exception a listener threw, as an uncaught error. */
  listenerError(error: unknown): void;
  /** The prelude's seedable PRNG (crypto.getRandomValues reads it). */
  random(): number;
}

/** What the prelude's files share through `__coral_prelude` (host.js creates it; hooks.js deletes it). */
interface CoralPrelude {
  native: CoralNative;
  web: Partial<CoralWeb>;
  shared: CoralShared;
  /** JSON.stringify and JSON.parse as they were before any script ran. */
  toJson(value: unknown): string;
  // A JSON value, typed as JSON.parse's own result is.
  // deno-lint-ignore no-explicit-any
  fromJson(text: string): any;
  /** The error classes a host error may name (the SDK adds Connect codes'). */
  errorClasses: Record<string, new (message: string, code?: string) => Error>;
  /** Sends `{op, ...payload}` to the host; returns its `ok`, throws its `error`. */
  // deno-lint-ignore no-explicit-any
  hostCall(op: string, payload: object): any;
  /** The text with unpaired surrogates replaced by U+FFFD. */
  wellFormed(text: string): string;
  /** A report field within the request bound. */
  clip(text: string): string;
  /** A stack within the request bound, whole frames only. */
  clipStack(stack: string): string;
  /** Defines a writable, configurable, non-enumerable global. */
  define(name: string, value: unknown): void;
  inspect(value: unknown, nested: boolean, depth?: number | null): string;
  format(args: unknown[]): string;
  table(data: unknown, properties?: unknown): string | undefined;
  ownStack(error: Error): string;
  MAX_DEPTH: number;
  /** Reports an uncaught error and ends the run with status 1. */
  fail(error: unknown): void;
  later(job: () => void): void;
  schedulePump(): void;
  reportUncaught(error: unknown): void;
  rejectionUnhandled(promise: Promise<unknown>, reason: unknown): void;
  /** What runs once the main module is done; null after it ran. */
  mainFinished: (() => void) | null;
  /** What runs when the loop has no work; true when it scheduled more. */
  loopEnding(): boolean;
}

// `var`: only var declarations become properties of globalThis.
// deno-lint-ignore no-var
declare var __coral_native: CoralNative | undefined;
/** Partial: each web file adds its part (`internal.x = ...`) as it loads. */
// deno-lint-ignore no-var
declare var __coral_web: Partial<CoralWeb> | undefined;
// deno-lint-ignore no-var
declare var __coral_prelude: CoralPrelude | undefined;
/** javy's global, which the prelude deletes. */
// deno-lint-ignore no-var
declare var Javy: unknown;
