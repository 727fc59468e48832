import assert from 'node:assert/strict';
import { test } from 'vitest';
import { BadUserInputError } from '../../src/errors.js';
import { encodeCursor, offsetAfter, pageSize } from '../../src/graph/paging.js';

test('cursors round-trip and continue after the item they name', () => {
  assert.equal(offsetAfter(undefined), 0);
  assert.equal(offsetAfter(encodeCursor(0)), 1);
  assert.equal(offsetAfter(encodeCursor(41)), 42);
});

test('malformed cursors are BAD_USER_INPUT', () => {
  for (const c of [
    'garbage',
    Buffer.from('tg1:-1').toString('base64url'),
    Buffer.from('tg1:1e3').toString('base64url'),
  ]) {
    assert.throws(() => offsetAfter(c), BadUserInputError);
  }
});

test('page size is 1..100', () => {
  assert.equal(pageSize(undefined, 20), 20);
  assert.equal(pageSize(100, 20), 100);
  for (const n of [0, -1, 101, 2.5]) assert.throws(() => pageSize(n, 20), BadUserInputError);
});
