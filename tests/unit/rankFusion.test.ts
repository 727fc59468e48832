import assert from 'node:assert/strict';
import { test } from 'vitest';
import { bestPerGroup, reciprocalRankFusion, splitClauses } from '../../src/ranking/rankFusion.js';

test('reciprocal rank fusion matches hand-computed scores', () => {
  const fused = reciprocalRankFusion([
    {
      items: [
        { id: 'a', score: 9 },
        { id: 'b', score: 5 },
      ],
    },
    {
      items: [
        { id: 'b', score: 0.9 },
        { id: 'c', score: 0.8 },
      ],
    },
  ]);
  // b: 1/62 + 1/61; a: 1/61; c: 1/62
  assert.deepEqual(
    fused.map((f) => f.id),
    ['b', 'a', 'c'],
  );
  assert.ok(Math.abs((fused[0]?.score ?? 0) - (1 / 62 + 1 / 61)) < 1e-15);
});

test('best entry per group', () => {
  const best = bestPerGroup(
    [
      { g: 'x', score: 0.2 },
      { g: 'y', score: 0.9 },
      { g: 'x', score: 0.5 },
    ],
    (i) => i.g,
  );
  assert.deepEqual(best, [
    { g: 'y', score: 0.9 },
    { g: 'x', score: 0.5 },
  ]);
});

test('clauses keep their offsets', () => {
  const text = 'Experience with Python and SQL; strong communication skills.';
  const clauses = splitClauses(text);
  assert.deepEqual(
    clauses.map((c) => c.text),
    ['Experience with Python and SQL', 'strong communication skills'],
  );
  for (const c of clauses) assert.equal(text.slice(c.start, c.end), c.text);
});
