/**
 * Argument checks for the SDK's functions: a wrong argument is a
 * `TypeError` naming the function, the argument and what it got, before
 * anything reaches the colony (whose protojson errors name fields of a
 * request the script never wrote). The same on both engines.
 *
 * @module
 */
import { json } from "./transport.ts";

/** What a value is, for a message: `number 300000`, `string "x"`, `an object`. */
function describe(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return `string ${json.stringify(value)}`;
    case "number":
    case "bigint":
    case "boolean":
      return `${typeof value} ${String(value)}`;
    case "undefined":
      return "undefined";
    case "object":
      return Array.isArray(value) ? "an array" : "an object";
    default:
      return typeof value;
  }
}

/** `value` must be a non-empty string. */
export function requireString(fn: string, name: string, value: unknown, hint = ""): void {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`${fn}: ${name} must be a non-empty string${hint}, got ${describe(value)}`);
  }
}

/**
 * `value`, if given, must be a finite number (`what` names its unit). Its
 * range is the colony's to judge: a negative window is an `InvalidArgument`
 * from the colony, as before.
 */
export function optionalNumber(fn: string, name: string, value: unknown, what: string): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${fn}: ${name} must be ${what} (a number), got ${describe(value)}`);
  }
}
