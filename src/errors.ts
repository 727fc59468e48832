/**
 * Typed errors with stable codes. Every error a client may see is one of these;
 * anything else is masked by `formatError` (see `src/http/graphqlServer.ts`) and logged.
 */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  MODEL_UNAVAILABLE: 'MODEL_UNAVAILABLE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  TIMEOUT: 'TIMEOUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  QUERY_TOO_LARGE: 'QUERY_TOO_LARGE',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  PAGE_SIZE_TOO_LARGE: 'PAGE_SIZE_TOO_LARGE',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class: a message safe to show to a client, a stable code and optional structured details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class BadUserInputError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.BAD_USER_INPUT, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(kind: string, id: string) {
    super(ErrorCode.NOT_FOUND, `${kind} not found: ${id}`, { kind, id });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.CONFLICT, message, details);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed', details?: Record<string, unknown>) {
    super(ErrorCode.FORBIDDEN, message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(
    message = 'Authentication required: send an API key (x-api-key) or a bearer token',
    details?: Record<string, unknown>,
  ) {
    super(ErrorCode.UNAUTHENTICATED, message, details);
  }
}

/** A request refused by a limit; `details.limit` names the limit (and its setting). */
export class LimitError extends AppError {
  constructor(
    code:
      | 'RATE_LIMITED'
      | 'QUERY_TOO_DEEP'
      | 'QUERY_TOO_COMPLEX'
      | 'QUERY_TOO_LARGE'
      | 'TOO_MANY_ALIASES'
      | 'PAGE_SIZE_TOO_LARGE'
      | 'BATCH_TOO_LARGE'
      | 'PAYLOAD_TOO_LARGE'
      | 'INTROSPECTION_DISABLED'
      | 'TIMEOUT',
    message: string,
    details: { limit: string; setting?: string; max?: number; actual?: number; retryAfterMs?: number },
  ) {
    super(code, message, details);
  }
}

export class ModelUnavailableError extends AppError {
  constructor(message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(ErrorCode.MODEL_UNAVAILABLE, message, details, options);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.SERVICE_UNAVAILABLE, message, undefined, options);
  }
}

export class TimeoutError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.TIMEOUT, message, undefined, options);
  }
}

/** Converts an `AppError` to the GraphQL error a client receives. */
export function toGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, ...(error.details ? { details: error.details } : {}) },
  });
}

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
