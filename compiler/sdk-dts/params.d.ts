/** Thrown when a parameter is missing (with no default) or has the wrong type. */
export declare class ParamError extends Error {
    name: string;
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
export declare const params: Params;
