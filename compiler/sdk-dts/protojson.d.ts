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
export declare function str(v: unknown): string;
/** A numeric field (int32, int64 as string, double; 0 when absent). */
export declare function num(v: unknown): number;
/** A bool field. */
export declare function bool(v: unknown): boolean;
/** A `google.protobuf.Timestamp` field, or null when absent. */
export declare function date(v: unknown): Date | null;
/** A repeated message field. */
export declare function list(v: unknown): Message[];
/** An integer given as decimal text: a number when exact, else a bigint. */
export declare function integer(text: string): number | bigint;
/** A `coral.colony.v1.Value` (a oneof) as a JavaScript value. */
export declare function sqlValue(v: Message): SqlValue;
