/** `value` must be a non-empty string. */
export declare function requireString(fn: string, name: string, value: unknown, hint?: string): void;
/**
 * `value`, if given, must be a finite number (`what` names its unit). Its
 * range is the colony's to judge: a negative window is an `InvalidArgument`
 * from the colony, as before.
 */
export declare function optionalNumber(fn: string, name: string, value: unknown, what: string): void;
