// The types of `engine/src/shared.js`, which both engines evaluate (the
// wasm engine before its prelude, the Deno engine before setup.js). For
// `deno check` only (scripts/check-js.sh): engine/deno.json and
// runtime/src/deno/deno.json name this file.

/** A timer as the queue keeps it. */
interface CoralTimer {
  id: number;
  callback: (...args: unknown[]) => void;
  args: unknown[];
  /** When it fires, in ms on the queue's clock. */
  due: number;
  /** Creation order: ties on `due` fire in it. */
  seq: number;
  /** The period of an interval, in ms; undefined for a timeout. */
  interval: number | undefined;
  /** Whether it keeps the event loop alive (false for AbortSignal.timeout's). */
  ref: boolean;
}

/** The timer queue both engines fire timers from (shared.js). */
interface CoralTimerQueue {
  add(callback: unknown, delay: unknown, args: unknown[], repeat: boolean, ref?: boolean): number;
  clear(id: unknown): void;
  /** The timer to fire next, while a referenced timer is pending. */
  next(): CoralTimer | undefined;
  /** Fires a timer from next(); an exception the callback throws goes to onError. */
  fire(timer: CoralTimer, onError: (error: unknown) => void): void;
}

interface CoralTimerGlobals {
  setTimeout(callback: unknown, delay?: unknown, ...args: unknown[]): number;
  setInterval(callback: unknown, delay?: unknown, ...args: unknown[]): number;
  clearTimeout(id?: unknown): void;
  clearInterval(id?: unknown): void;
}

/** What shared.js leaves in `__coral_shared`. */
interface CoralShared {
  createTimerQueue(now: () => number, wake: () => void): CoralTimerQueue;
  timerGlobals(queue: CoralTimerQueue): CoralTimerGlobals;
  /** Math.random over xorshift128+, seeded on first use from two 26-bit halves. */
  createRandom(seed: () => [number, number] | number[]): () => number;
}

// `var`: only var declarations become properties of globalThis.
// deno-lint-ignore no-var
declare var __coral_shared: CoralShared | undefined;
