import assert from 'node:assert/strict';
import { test } from 'vitest';
import { BadUserInputError } from '../../src/errors.js';
import { applyMinGroupShare } from '../../src/ranking/fairnessConstraint.js';

interface Row {
  id: string;
  group: string | null;
  score: number;
  extra?: string;
}

const row = (id: string, group: string | null, score: number): Row => ({ id, group, score });
const ids = (rows: readonly Row[]): string[] => rows.map((r) => r.id);
const close = (actual: number, expected: number): void => {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≉ ${expected}`);
};

/*
 * rank: 1    2    3    4    5    | 6    7    8    9    10
 * id:   a    b    c    d    e    | f    g    h    i    j
 * group m    m    f    m    m    | m    f    f    m    f
 * score .95  .90  .85  .80  .75  | .70  .65  .60  .55  .50
 * Top 5 holds one f (c); the pool holds four (c, g, h, j) and six m.
 */
const POOL: readonly Row[] = [
  row('a', 'm', 0.95),
  row('b', 'm', 0.9),
  row('c', 'f', 0.85),
  row('d', 'm', 0.8),
  row('e', 'm', 0.75),
  row('f', 'm', 0.7),
  row('g', 'f', 0.65),
  row('h', 'f', 0.6),
  row('i', 'm', 0.55),
  row('j', 'f', 0.5),
];

test('feasible: promotes the best outsiders, demotes the lowest-scored over-represented members', () => {
  // minShare 0.6 of 5 → ceil(3) = 3 f places; top 5 has 1 → two swaps.
  // 1st: promote g (rank 7, .65) for e (rank 5, .75): loss .10
  // 2nd: promote h (rank 8, .60) for d (rank 4, .80): loss .20  → total .30
  const before = ids(POOL);
  const result = applyMinGroupShare(POOL, 5, { group: 'f', minShare: 0.6 });
  assert.equal(result.changed, true);
  assert.equal(result.feasible, true);
  assert.deepEqual(result.swaps, [
    { promotedRank: 7, demotedRank: 5 },
    { promotedRank: 8, demotedRank: 4 },
  ]);
  close(result.scoreLoss, 0.3); // (.95+.90+.85+.80+.75) − (.95+.90+.85+.65+.60) = 4.25 − 3.95
  // New top 5 by score, then the demoted (d, e) by score, then the rest of the tail in order.
  assert.deepEqual(ids(result.ranked), ['a', 'b', 'c', 'g', 'h', 'd', 'e', 'f', 'i', 'j']);
  assert.deepEqual(ids(POOL), before, 'input not mutated');
  assert.ok(
    result.ranked.every((r) => POOL.includes(r)),
    'same objects',
  );
  assert.ok(!/\b[a-j]\b/.test(result.note.replace(/"f"/g, '')), `note names no one: ${result.note}`);
});

test('infeasible: best effort when the group has too few members', () => {
  // minShare 1 of 5 → 5 f places, but the pool has only four f: promote g, h, j for e, d, b.
  // loss = (.75 − .65) + (.80 − .60) + (.90 − .50) = .10 + .20 + .40 = .70
  const result = applyMinGroupShare(POOL, 5, { group: 'f', minShare: 1 });
  assert.equal(result.feasible, false);
  assert.equal(result.changed, true);
  assert.deepEqual(result.swaps, [
    { promotedRank: 7, demotedRank: 5 },
    { promotedRank: 8, demotedRank: 4 },
    { promotedRank: 10, demotedRank: 2 },
  ]);
  close(result.scoreLoss, 0.7);
  assert.deepEqual(ids(result.ranked.slice(0, 5)), ['a', 'c', 'g', 'h', 'j']);
  assert.match(result.note, /Best effort/);
});

test('already satisfied, absent group and minShare 0 leave the ranking unchanged', () => {
  // minShare 0.2 of 5 → 1 place; c holds it.
  const satisfied = applyMinGroupShare(POOL, 5, { group: 'f', minShare: 0.2 });
  assert.equal(satisfied.changed, false);
  assert.equal(satisfied.feasible, true);
  assert.deepEqual(satisfied.swaps, []);
  assert.equal(satisfied.scoreLoss, 0);
  assert.deepEqual(ids(satisfied.ranked), ids(POOL));
  assert.notEqual(satisfied.ranked, POOL, 'a copy');

  const absent = applyMinGroupShare(POOL, 5, { group: 'nonbinary', minShare: 0.2 });
  assert.equal(absent.changed, false);
  assert.equal(absent.feasible, false);

  assert.equal(applyMinGroupShare(POOL, 5, { group: 'nonbinary', minShare: 0 }).feasible, true);
  assert.equal(applyMinGroupShare([], 5, { group: 'f', minShare: 0.5 }).feasible, true); // 0 places needed
});

test('0.3 of 10 needs 3 places, not 4 (0.3 · 10 = 3.0000000000000004 in binary)', () => {
  // Ranks 1–3 f, 4–10 m, 11 f, 12 m: top 10 holds exactly 3 f.
  const pool = [
    ...['f', 'f', 'f', 'm', 'm', 'm', 'm', 'm', 'm', 'm', 'f', 'm'].map((g, i) =>
      row(`p${i + 1}`, g, 1 - i / 100),
    ),
  ];
  const result = applyMinGroupShare(pool, 10, { group: 'f', minShare: 0.3 });
  assert.equal(result.changed, false);
  assert.equal(result.feasible, true);
});

test('every-group form targets only groups with at least minGroupSize members, never "unknown"', () => {
  // Default minGroupSize 5: f (4 members) is not targeted; m needs ceil(0.4·5) = 2 and has 4.
  const small = applyMinGroupShare(POOL, 5, { minShare: 0.4 });
  assert.equal(small.changed, false);
  assert.equal(small.feasible, true);
  assert.match(small.note, /already gives "m"/);

  // minGroupSize 4: f needs 2 and has 1 → promote g (rank 7) for e (rank 5); m keeps 3 ≥ 2.
  const both = applyMinGroupShare(POOL, 5, { minShare: 0.4 }, 4);
  assert.deepEqual(both.swaps, [{ promotedRank: 7, demotedRank: 5 }]);
  assert.equal(both.feasible, true);
  close(both.scoreLoss, 0.1);
  assert.deepEqual(ids(both.ranked), ['a', 'b', 'c', 'd', 'g', 'e', 'f', 'h', 'i', 'j']);

  // minShare 0.6: f and m each need 3 of 5 places (6 > 5). After g for e, f has 2 and m 3: m can
  // spare no one → best effort, infeasible.
  const tooMuch = applyMinGroupShare(POOL, 5, { minShare: 0.6 }, 4);
  assert.deepEqual(tooMuch.swaps, [{ promotedRank: 7, demotedRank: 5 }]);
  assert.equal(tooMuch.feasible, false);

  // Five members without a group are never a target, but may give up places.
  const unknowns = [
    ...['u1', 'u2', 'u3', 'u4', 'u5'].map((id, i) => row(id, null, 0.9 - i / 100)),
    ...['x1', 'x2', 'x3', 'x4', 'x5'].map((id, i) => row(id, 'x', 0.5 - i / 100)),
  ];
  const result = applyMinGroupShare(unknowns, 5, { minShare: 0.4 });
  // x needs 2: promote x1 (rank 6), x2 (rank 7) for u5 (rank 5), u4 (rank 4).
  assert.deepEqual(result.swaps, [
    { promotedRank: 6, demotedRank: 5 },
    { promotedRank: 7, demotedRank: 4 },
  ]);
});

test('ties are broken by id, whatever the input order', () => {
  // Promotion among equal outsiders: the smallest id (r) goes up, in either input order.
  const promoteA = [row('p', 'm', 0.9), row('q', 'm', 0.5), row('r', 'f', 0.4), row('s', 'f', 0.4)];
  const promoteB = [row('p', 'm', 0.9), row('q', 'm', 0.5), row('s', 'f', 0.4), row('r', 'f', 0.4)];
  for (const pool of [promoteA, promoteB]) {
    const result = applyMinGroupShare(pool, 2, { group: 'f', minShare: 0.5 });
    assert.deepEqual(ids(result.ranked.slice(0, 2)), ['p', 'r']);
  }
  // Demotion among equal top-k members: the largest id (q) goes down, in either input order.
  const demoteA = [row('p', 'm', 0.5), row('q', 'm', 0.5), row('r', 'f', 0.4)];
  const demoteB = [row('q', 'm', 0.5), row('p', 'm', 0.5), row('r', 'f', 0.4)];
  for (const pool of [demoteA, demoteB]) {
    const result = applyMinGroupShare(pool, 2, { group: 'f', minShare: 0.5 });
    assert.deepEqual(ids(result.ranked), ['p', 'r', 'q']);
  }
});

test('keeps extra fields and exposes only ranks', () => {
  const pool = POOL.map((r) => ({ ...r, extra: `secret-${r.id}` }));
  const result = applyMinGroupShare(pool, 5, { group: 'f', minShare: 0.6 });
  assert.equal(result.ranked[3]?.extra, 'secret-g');
  const { ranked: _ranked, ...summary } = result;
  assert.ok(!JSON.stringify(summary).includes('secret'));
  assert.deepEqual(Object.keys(result.swaps[0] ?? {}).sort(), ['demotedRank', 'promotedRank']);
});

test('validates minShare, k and minGroupSize; rejects duplicate ids and non-finite scores', () => {
  for (const minShare of [-0.1, 1.5, Number.NaN]) {
    assert.throws(
      () => applyMinGroupShare(POOL, 5, { group: 'f', minShare }),
      (e: unknown) => e instanceof BadUserInputError && e.code === 'BAD_USER_INPUT',
    );
  }
  assert.throws(() => applyMinGroupShare(POOL, -1, { minShare: 0.5 }), BadUserInputError);
  assert.throws(() => applyMinGroupShare(POOL, 5, { minShare: 0.5 }, 0), BadUserInputError);
  assert.throws(() => applyMinGroupShare(POOL, 5, { group: '', minShare: 0.5 }), BadUserInputError);
  assert.throws(
    () => applyMinGroupShare([row('a', 'f', 1), row('a', 'm', 0)], 1, { minShare: 0.5 }),
    RangeError,
  );
  assert.throws(() => applyMinGroupShare([row('a', 'f', Number.NaN)], 1, { minShare: 0.5 }), RangeError);
});
