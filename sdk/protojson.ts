/**
 * Reading protojson: int64 fields arrive as strings, timestamps as RFC 3339
 * strings, non-finite doubles as "NaN"/"Infinity", and fields at their
 * default value are left out. Shared by every transport.
 *
 * @module
 */
import type { SqlValue } from "./types.ts";

/** A protojson message. */
export type Message = Record<string, unknown>;

/** A string field ("" when absent). */
export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** A numeric field (int32, int64 as string, double; 0 when absent). */
export function num(v: unknown): number {
  if (v === undefined || v === null) return 0;
  return typeof v === "number" ? v : Number(v);
}

/** A bool field. */
export function bool(v: unknown): boolean {
  return v === true;
}

/** A `google.protobuf.Timestamp` field, or null when absent. */
export function date(v: unknown): Date | null {
  return typeof v === "string" ? new Date(v) : null;
}

/** A repeated message field. */
export function list(v: unknown): Message[] {
  return Array.isArray(v) ? (v as Message[]) : [];
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer given as decimal text: a number when exact, else a bigint. */
export function integer(text: string): number | bigint {
  const big = BigInt(text);
  return big <= MAX_SAFE && big >= -MAX_SAFE ? Number(big) : big;
}

/**
 * `a / b` rounded toward −∞ (BigInt division truncates toward 0, which
 * would put a time before 1970 with a sub-millisecond part a millisecond
 * late).
 */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/** A `coral.colony.v1.Value` (a oneof) as a JavaScript value. */
export function sqlValue(v: Message): SqlValue {
  if ("stringValue" in v) return str(v.stringValue);
  if ("intValue" in v) return integer(String(v.intValue));
  if ("doubleValue" in v) return num(v.doubleValue);
  if ("boolValue" in v) return bool(v.boolValue);
  if ("timestampMicros" in v) return new Date(Number(floorDiv(BigInt(String(v.timestampMicros)), 1000n)));
  if ("bigIntValue" in v) return integer(String(v.bigIntValue));
  return null;
}
