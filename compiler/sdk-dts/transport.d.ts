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
/** The transport of this runtime. */
export declare const transport: Transport;
/** The JSON functions the SDK encodes with (see [`Json`]). */
export declare const json: Json;
