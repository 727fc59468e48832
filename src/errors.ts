/**
 * Typed errors with stable codes. Every error a client may see is one of these;
 * anything else is masked by `formatError` (see `src/http/graphqlServer.ts`) and logged.
 *
 * Each error also knows the HTTP status of a request it refuses as a whole before GraphQL executes
 * (`httpStatus`): the HTTP layer answers with it, and the security plugin hands it to Apollo as
 * `extensions.http`. An error about one field (an argument out of bounds, an id not found, a
 * field the role may not read) is raised while the operation executes and leaves the response at
 * 200 (GraphQL over HTTP), with the field's `path` and `data` for the rest; its code, not the
 * status, tells the client what went wrong (README "API conventions").
 *
 * `details` keys mean the same wherever they appear (`DETAIL_KEYS`).
 */

export const ErrorCode = {
  /** The request itself is malformed (a body that is not JSON); the code Apollo uses for the same. */
  BAD_REQUEST: 'BAD_REQUEST',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  MODEL_UNAVAILABLE: 'MODEL_UNAVAILABLE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A shared resource (the cross-encoder's queue, a caller's concurrency share) is full: retry later. */
  SERVICE_OVERLOADED: 'SERVICE_OVERLOADED',
  TIMEOUT: 'TIMEOUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  QUERY_TOO_LARGE: 'QUERY_TOO_LARGE',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Base class: a message safe to show to a client, a stable code, optional structured details and
 * the HTTP status of a request refused with it.
 */
export abstract class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly httpStatus: number;
  constructor(
    code: ErrorCode,
    httpStatus: number,
    message: string,
    details?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = httpStatus;
    this.details = details;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super(ErrorCode.BAD_REQUEST, 400, message);
  }
}

export class BadUserInputError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.BAD_USER_INPUT, 400, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(kind: string, id: string) {
    super(ErrorCode.NOT_FOUND, 404, `${kind} not found: ${id}`, { kind, id });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.CONFLICT, 409, message, details);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed', details?: Record<string, unknown>) {
    super(ErrorCode.FORBIDDEN, 403, message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(
    message = 'Authentication required: send an API key (x-api-key) or a bearer token',
    details?: Record<string, unknown>,
  ) {
    super(ErrorCode.UNAUTHENTICATED, 401, message, details);
  }
}

/** The HTTP status of each limit: 400 for a request shaped beyond a limit, others where HTTP has one. */
const LIMIT_STATUS = {
  RATE_LIMITED: 429,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COMPLEX: 400,
  QUERY_TOO_LARGE: 400,
  TOO_MANY_ALIASES: 400,
  BATCH_TOO_LARGE: 400,
  PAYLOAD_TOO_LARGE: 413,
  INTROSPECTION_DISABLED: 400,
  TIMEOUT: 504,
} as const satisfies Partial<Record<ErrorCode, number>>;
export type LimitCode = keyof typeof LIMIT_STATUS;

/** A request refused by a limit; `details.limit` names the limit (and its setting). */
export class LimitError extends AppError {
  constructor(
    code: LimitCode,
    message: string,
    details: { limit: string; setting?: string; max?: number; actual?: number; retryAfterMs?: number },
  ) {
    super(code, LIMIT_STATUS[code], message, details);
  }
}

export class ModelUnavailableError extends AppError {
  constructor(message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(ErrorCode.MODEL_UNAVAILABLE, 503, message, details, options);
  }
}

/** What a client may retry after: `retryAfterMs` goes out as the `retry-after` header too. */
export interface RetryDetails {
  readonly retryAfterMs?: number;
  readonly [key: string]: unknown;
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string, options?: ErrorOptions & { details?: RetryDetails }) {
    super(ErrorCode.SERVICE_UNAVAILABLE, 503, message, options?.details, options);
  }
}

/**
 * A shared resource is full (the cross-encoder's queue, the caller's share of concurrent work):
 * the request is refused rather than served degraded, so an answer never depends on the load.
 * `details.resource` names what was full; `details.retryAfterMs` when to try again.
 */
export class OverloadedError extends AppError {
  constructor(message: string, details: RetryDetails & { resource: string }) {
    super(ErrorCode.SERVICE_OVERLOADED, 503, message, details);
  }
}

export class TimeoutError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.TIMEOUT, 504, message, undefined, options);
  }
}

/**
 * The `details` keys with one meaning across the API (README "API conventions"): an error that
 * speaks of one of these things uses this key for it, never a synonym (`arguments`, `params`).
 * Errors may add keys of their own (`from`/`to` of a status change, `model` of a model error).
 */
export const DETAIL_KEYS = {
  argument: 'dotted path of the argument or input field at fault: `k`, `options.weights.regionMatch`',
  field: 'schema coordinate of the field at fault: `Query.candidates`, `Candidate.displayName`',
  min: 'smallest value allowed (inclusive)',
  max: 'largest value allowed (inclusive), or the limit a figure exceeded',
  actual: 'the value or figure sent (a number; null for an explicit null)',
  limit: 'the limit that refused the request: `maxDepth`, `maxCost`, `perIp`',
  setting: 'the environment variable that sets it: `MAX_QUERY_DEPTH`, `MAX_PAGE_SIZE`',
  retryAfterMs: 'milliseconds to wait before retrying (also the `retry-after` header, in seconds)',
  resource: 'the shared resource that was full: `callerConcurrency`, `neo4jPool`',
  role: 'the caller role refused',
  kind: 'what was not found: `Vacancy`, `Candidate`, `Occupation`',
  id: 'the id, URI or code not found',
  path: 'where in the request body or query string a value is malformed: `variables.t`',
  oneOf: 'arguments of which exactly one must be given',
} as const;
export type DetailKey = keyof typeof DETAIL_KEYS;

/** Finds an `AppError` in an error's cause chain (GraphQL wraps resolver errors in `originalError`). */
export function findAppError(error: unknown): AppError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth += 1) {
    if (current instanceof AppError) return current;
    const next =
      (current as { originalError?: unknown; cause?: unknown }).originalError ??
      (current as { cause?: unknown }).cause;
    current = next;
  }
  return undefined;
}
