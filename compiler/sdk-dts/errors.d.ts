/**
 * The exceptions SDK calls throw. Every colony failure is one of these,
 * never an empty result: catch `ColonyError` for all of them, or a subclass
 * for one kind.
 *
 * @module
 */
/** Base class of every colony failure. `code` is the Connect/gRPC code. */
export declare class ColonyError extends Error {
    name: string;
    /** `unavailable`, `not_found`, `failed_precondition`, … */
    readonly code: string;
    constructor(message: string, code?: string);
}
/** The colony cannot be reached (down, wrong address, cannot be opened). */
export declare class ColonyUnavailable extends ColonyError {
    name: string;
}
/** No such service (or other named thing) in the colony. */
export declare class NotFound extends ColonyError {
    name: string;
}
/** A malformed request: a percentile outside 0–1, a negative window, … */
export declare class InvalidArgument extends ColonyError {
    name: string;
}
/** Raw SQL the colony refused, with its reason (not read-only, not allowed, bad syntax). */
export declare class QueryRejected extends ColonyError {
    name: string;
}
/** A size or resource limit was hit (result too large, query memory, too many events). */
export declare class LimitExceeded extends ColonyError {
    name: string;
}
/** The colony did not answer within the call timeout (`--colony-timeout`). */
export declare class ColonyTimeout extends ColonyError {
    name: string;
}
/** The exception class for each Connect/gRPC code. */
export declare const errorClassByCode: Record<string, new (message: string, code?: string) => ColonyError>;
/** The exception for a failure with `code`. */
export declare function colonyError(code: string, message: string): ColonyError;
