import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { clsPool, l2Normalize, meanPool, sigmoid } from '../../../src/inference/pooling.js';

// Two rows, sequence length 3, dimension 2; row 1 has one padding position.
const hidden = Float32Array.from([
  1,
  2,
  3,
  4,
  5,
  6, // row 0: tokens (1,2) (3,4) (5,6)
  10,
  20,
  30,
  40,
  999,
  999, // row 1: tokens (10,20) (30,40) + padding
]);

describe('meanPool', () => {
  test('averages only each row’s valid tokens', () => {
    const [row0, row1] = meanPool(hidden, [3, 2], 3, 2);
    assert.deepEqual(Array.from(row0!), [3, 4]);
    assert.deepEqual(Array.from(row1!), [20, 30]);
  });

  test('rejects a length outside the sequence', () => {
    assert.throws(() => meanPool(hidden, [0, 2], 3, 2), RangeError);
    assert.throws(() => meanPool(hidden, [4, 2], 3, 2), RangeError);
  });
});

describe('clsPool', () => {
  test('takes each row’s first token, as a copy', () => {
    const rows = clsPool(hidden, 2, 3, 2);
    assert.deepEqual(
      rows.map((r) => Array.from(r)),
      [
        [1, 2],
        [10, 20],
      ],
    );
    rows[0]![0] = 42;
    assert.equal(hidden[0], 1);
  });
});

describe('l2Normalize', () => {
  test('scales to unit length', () => {
    assert.deepEqual(
      Array.from(l2Normalize(Float32Array.from([3, 4]))),
      [0.6000000238418579, 0.800000011920929],
    );
  });

  test('leaves a zero vector at zero instead of NaN', () => {
    assert.deepEqual(Array.from(l2Normalize(new Float32Array(3))), [0, 0, 0]);
  });
});

test('sigmoid maps logits to probabilities', () => {
  assert.equal(sigmoid(0), 0.5);
  assert.ok(Math.abs(sigmoid(2) - 0.8807970779778823) < 1e-15);
  assert.ok(sigmoid(-40) > 0 && sigmoid(-40) < 1e-17);
});
