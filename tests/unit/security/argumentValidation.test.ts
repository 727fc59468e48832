import assert from 'node:assert/strict';
import { test } from 'vitest';
import { BadUserInputError } from '../../../src/errors.js';
import { rangeRule, requireId, requireInRange } from '../../../src/domain/validation.js';

function refusal(run: () => unknown): { message: string; details: unknown } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof BadUserInputError);
    assert.equal(error.code, 'BAD_USER_INPUT');
    return { message: error.message, details: error.details };
  }
  assert.fail('expected a BAD_USER_INPUT refusal');
}

test('requireId passes ids through and refuses the rest in one message style', () => {
  assert.equal(requireId('cand-00017', 'candidateId'), 'cand-00017');
  assert.equal(requireId('a:b.c_d-1', 'id'), 'a:b.c_d-1');
  assert.deepEqual(
    refusal(() => requireId("x' OR 1=1", 'vacancyId')),
    {
      message:
        'vacancyId must be an id of 1-64 letters, digits, _ . : - (starting with a letter or digit) (got "x\' OR 1=1")',
      details: { argument: 'vacancyId' },
    },
  );
  for (const bad of ['', '-lead', 'a'.repeat(65), 'sp ace', 'zoë'])
    assert.match(refusal(() => requireId(bad, 'id')).message, /^id must be an id of 1-64/);
  const long = refusal(() => requireId(`${'x'.repeat(100)} `, 'id')).message;
  assert.ok(long.endsWith(`(got "${'x'.repeat(80)}")`), 'the echoed value is cut to 80 characters');
});

test('requireInRange checks inclusive bounds, integers by default, and names both bounds', () => {
  assert.equal(requireInRange(1, 'k', { min: 1, max: 100 }), 1);
  assert.equal(requireInRange(100, 'k', { min: 1, max: 100 }), 100);
  assert.equal(requireInRange(0.5, 'share', { min: 0, max: 1, integer: false }), 0.5);
  assert.deepEqual(
    refusal(() => requireInRange(101, 'k', { min: 1, max: 100 })),
    {
      message: 'k must be an integer between 1 and 100 (got 101)',
      details: { argument: 'k', min: 1, max: 100, actual: 101 },
    },
  );
  assert.equal(
    refusal(() => requireInRange(-1, 'options.rerankM', { min: 0 })).message,
    'options.rerankM must be an integer of at least 0 (got -1)',
  );
  assert.match(refusal(() => requireInRange(2.5, 'k', { min: 1 })).message, /integer/);
  assert.match(refusal(() => requireInRange(Number.NaN, 'k', {})).message, /got NaN/);
  assert.equal(rangeRule({ max: 5, integer: false }), 'a number of at most 5');
});
