/**
 * The exceptions SDK calls throw. Every colony failure is one of these,
 * never an empty result: catch `ColonyError` for all of them, or a subclass
 * for one kind.
 *
 * @module
 */

/** Base class of every colony failure. `code` is the Connect/gRPC code. */
export class ColonyError extends Error {
  override name = "ColonyError";
  /** `unavailable`, `not_found`, `failed_precondition`, … */
  readonly code: string;
  constructor(message: string, code = "internal") {
    super(message);
    this.code = code;
  }
}

/** The colony cannot be reached (down, wrong address, cannot be opened). */
export class ColonyUnavailable extends ColonyError {
  override name = "ColonyUnavailable";
}

/** No such service (or other named thing) in the colony. */
export class NotFound extends ColonyError {
  override name = "NotFound";
}

/** A malformed request: a percentile outside 0–1, a negative window, … */
export class InvalidArgument extends ColonyError {
  override name = "InvalidArgument";
}

/** Raw SQL the colony refused, with its reason (not read-only, not allowed, bad syntax). */
export class QueryRejected extends ColonyError {
  override name = "QueryRejected";
}

/** A size or resource limit was hit (result too large, query memory, too many events). */
export class LimitExceeded extends ColonyError {
  override name = "LimitExceeded";
}

/** The colony did not answer within the call timeout (`--colony-timeout`). */
export class ColonyTimeout extends ColonyError {
  override name = "ColonyTimeout";
}

/** The exception class for each Connect/gRPC code. */
export const errorClassByCode: Record<string, new (message: string, code?: string) => ColonyError> = {
  unavailable: ColonyUnavailable,
  not_found: NotFound,
  invalid_argument: InvalidArgument,
  failed_precondition: QueryRejected,
  resource_exhausted: LimitExceeded,
  deadline_exceeded: ColonyTimeout,
  unimplemented: ColonyError,
  internal: ColonyError,
};

/** The exception for a failure with `code`. */
export function colonyError(code: string, message: string): ColonyError {
  const ErrorClass = errorClassByCode[code] ?? ColonyError;
  return new ErrorClass(message, code);
}
