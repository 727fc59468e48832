/**
 * Each typed error carries the HTTP status of a request it refuses (STYLE 17): the HTTP layer
 * answers with it and the security plugin passes it to Apollo as `extensions.http`.
 */
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { describe, test } from 'vitest';
import {
  BadRequestError,
  BadUserInputError,
  ConflictError,
  ErrorCode,
  findAppError,
  ForbiddenError,
  LimitError,
  ModelUnavailableError,
  NotFoundError,
  ServiceUnavailableError,
  TimeoutError,
  UnauthenticatedError,
} from '../../src/errors.js';
import { toRefusal } from '../../src/security/securityPlugin.js';

const limit = { limit: 'probe' };

describe('typed errors know their HTTP status', () => {
  test.each([
    [new BadRequestError('not JSON'), ErrorCode.BAD_REQUEST, 400],
    [new BadUserInputError('bad'), ErrorCode.BAD_USER_INPUT, 400],
    [new NotFoundError('Vacancy', 'v1'), ErrorCode.NOT_FOUND, 404],
    [new ConflictError('taken'), ErrorCode.CONFLICT, 409],
    [new ForbiddenError(), ErrorCode.FORBIDDEN, 403],
    [new UnauthenticatedError(), ErrorCode.UNAUTHENTICATED, 401],
    [new ModelUnavailableError('no model'), ErrorCode.MODEL_UNAVAILABLE, 503],
    [new ServiceUnavailableError('draining'), ErrorCode.SERVICE_UNAVAILABLE, 503],
    [new TimeoutError('slow'), ErrorCode.TIMEOUT, 504],
  ])('%s', (error, code, status) => {
    assert.equal(error.code, code);
    assert.equal(error.httpStatus, status);
  });

  test.each([
    ['RATE_LIMITED', 429],
    ['PAYLOAD_TOO_LARGE', 413],
    ['TIMEOUT', 504],
    ['BATCH_TOO_LARGE', 400],
    ['QUERY_TOO_DEEP', 400],
    ['QUERY_TOO_COMPLEX', 400],
    ['QUERY_TOO_LARGE', 400],
    ['TOO_MANY_ALIASES', 400],
    ['INTROSPECTION_DISABLED', 400],
  ] as const)('LimitError %s answers %i', (code, status) => {
    const error = new LimitError(code, 'refused', limit);
    assert.equal(error.code, code);
    assert.equal(error.httpStatus, status);
  });

  test('a refusal from the security plugin hands the status to Apollo as extensions.http', () => {
    const error = new LimitError('RATE_LIMITED', 'slow down', limit);
    const refusal = toRefusal(error);
    assert.ok(refusal instanceof GraphQLError);
    assert.deepEqual(refusal.extensions, { code: 'RATE_LIMITED', http: { status: 429 } });
    assert.equal(findAppError(refusal), error);
  });
});
