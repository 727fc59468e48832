import assert from 'node:assert/strict';
import { test } from 'vitest';
import { list, map, maps, num, str, strings, text, vector } from '../../src/graph/rowDecoders.js';

test('str keeps strings only', () => {
  assert.equal(str('a'), 'a');
  assert.equal(str(''), '');
  assert.equal(str(1), null);
  assert.equal(str(null), null);
  assert.equal(str(undefined), null);
});

test('num keeps finite numbers only', () => {
  assert.equal(num(0), 0);
  assert.equal(num(-1.5), -1.5);
  assert.equal(num(Number.NaN), null);
  assert.equal(num(Number.POSITIVE_INFINITY), null);
  assert.equal(num('1'), null);
  assert.equal(num(null), null);
});

test('text, list and strings', () => {
  assert.equal(text(7), '7');
  assert.equal(text('id-1'), 'id-1');
  assert.deepEqual(list([1, 'a']), [1, 'a']);
  assert.deepEqual(list('a'), []);
  assert.deepEqual(list(null), []);
  assert.deepEqual(strings(['a', 2]), ['a', '2']);
  assert.deepEqual(strings(undefined), []);
});

test('map and maps keep plain objects and drop nulls', () => {
  assert.deepEqual(map({ a: 1 }), { a: 1 });
  assert.equal(map(null), null);
  assert.equal(map([1]), null);
  assert.equal(map(new Float32Array(2)), null);
  assert.equal(map('x'), null);
  assert.deepEqual(maps([{ uri: 'u' }, null, 3, { uri: 'v' }]), [{ uri: 'u' }, { uri: 'v' }]);
  assert.deepEqual(maps(null), []);
});

test('vector reads a list of numbers as a Float32Array', () => {
  const v = vector([0.5, 0.25]);
  assert.ok(v instanceof Float32Array);
  assert.deepEqual(Array.from(v), [0.5, 0.25]);
  assert.equal(vector([0.5, 'x']), null);
  assert.equal(vector(null), null);
  assert.equal(vector('0.5'), null);
});
