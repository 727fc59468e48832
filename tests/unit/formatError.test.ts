import assert from 'node:assert/strict';
import { test } from 'vitest';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { NotFoundError } from '../../src/errors.js';
import { createFormatError } from '../../src/http/graphqlServer.js';

const format = createFormatError(pino({ level: 'silent' }));

test('typed errors keep their message and stable code', () => {
  const original = new NotFoundError('Occupation', '9999.9');
  const wrapped = new GraphQLError(original.message, { originalError: original, path: ['occupation'] });
  const out = format({ message: wrapped.message, path: ['occupation'] }, wrapped);
  assert.equal(out.extensions?.code, 'NOT_FOUND');
  assert.equal(out.message, 'Occupation not found: 9999.9');
});

test('unexpected errors are masked', () => {
  const original = new Error('Neo.ClientError.Statement.SyntaxError: secret query text');
  const wrapped = new GraphQLError(original.message, { originalError: original });
  const out = format({ message: wrapped.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, wrapped);
  assert.equal(out.message, 'Internal server error');
  assert.equal(out.extensions?.code, 'INTERNAL_SERVER_ERROR');
  assert.ok(!JSON.stringify(out).includes('secret'));
});

test('protocol errors (validation) pass through', () => {
  const err = new GraphQLError('Cannot query field "nope" on type "Query".', {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  });
  const out = format({ message: err.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, err);
  assert.equal(out.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
});
