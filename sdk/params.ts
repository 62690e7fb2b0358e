/**
 * Script parameters, from `coral run script.ts --param key=value`.
 *
 * Values arrive as strings; the typed getters convert them and fall back to a
 * default when the parameter was not given. A value that cannot be converted
 * is an error, not a silent default.
 *
 * @module
 */
import { transport } from "./transport.ts";

let cache: Record<string, string> | undefined;

function all(): Record<string, string> {
  if (cache === undefined) cache = transport.params();
  return cache;
}

/** Thrown when a parameter is missing (with no default) or has the wrong type. */
export class ParamError extends Error {
  override name = "ParamError";
}

/** Typed access to `--param key=value` values: the type of {@link params}. */
export interface Params {
  /** The raw string value, or `undefined` when the parameter was not given. */
  get(name: string): string | undefined;
  /** True when the parameter was given. */
  has(name: string): boolean;
  /** Every parameter, as strings. */
  all(): Record<string, string>;
  /** The value as a string; `defaultValue` when absent; throws when absent without one. */
  string(name: string, defaultValue?: string): string;
  /** The value as a finite number (`--param threshold=500`). */
  number(name: string, defaultValue?: number): number;
  /** The value as a boolean: true/false, yes/no, 1/0, on/off. */
  boolean(name: string, defaultValue?: boolean): boolean;
}

/** Typed access to `--param key=value` values. */
export const params: Params = {
  get(name: string): string | undefined {
    return all()[name];
  },
  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(all(), name);
  },
  all(): Record<string, string> {
    return { ...all() };
  },
  string(name: string, defaultValue?: string): string {
    const v = all()[name];
    if (v !== undefined) return v;
    if (defaultValue !== undefined) return defaultValue;
    throw new ParamError(`missing parameter "${name}" (pass --param ${name}=<value>)`);
  },
  number(name: string, defaultValue?: number): number {
    const v = all()[name];
    if (v === undefined) {
      if (defaultValue !== undefined) return defaultValue;
      throw new ParamError(`missing parameter "${name}" (pass --param ${name}=<number>)`);
    }
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n)) {
      throw new ParamError(`parameter "${name}" must be a number, got "${v}"`);
    }
    return n;
  },
  boolean(name: string, defaultValue?: boolean): boolean {
    const v = all()[name];
    if (v === undefined) {
      if (defaultValue !== undefined) return defaultValue;
      throw new ParamError(`missing parameter "${name}" (pass --param ${name}=true|false)`);
    }
    switch (v.trim().toLowerCase()) {
      case "true": case "yes": case "1": case "on": return true;
      case "false": case "no": case "0": case "off": return false;
    }
    throw new ParamError(`parameter "${name}" must be true or false, got "${v}"`);
  },
};
