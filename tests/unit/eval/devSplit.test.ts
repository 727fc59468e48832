/**
 * The TypeScript split must put every query in the part the training side (scripts/train/data.py
 * `split_of`) put it in, or dev rows would include training queries. Expected values were printed
 * by the Python function itself.
 */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { devEvalPart, normaliseQuery, trainingSplitOf, type TrainedSet } from '../../../src/eval/devSplit.js';

const FROM_PYTHON: ReadonlyArray<readonly [TrainedSet, string, 'train' | 'dev']> = [
  ['jobbert', 'Python Developer', 'dev'],
  ['jobbert', '  Registered   Nurse ', 'dev'],
  ['jobbert', 'Boucher (h/f/x)', 'dev'],
  ['melo', 'Développeur logiciel', 'dev'],
  ['techwolf', 'Data Engineer', 'train'],
  ['jobbert', 'night nurse', 'dev'],
  ['jobbert', 'java developer', 'train'],
  ['jobbert', 'Chef de partie', 'train'],
];

test('every query lands in the part scripts/train/data.py puts it in', () => {
  for (const [set, query, part] of FROM_PYTHON)
    assert.equal(trainingSplitOf(set, query), part, `${set}: ${query}`);
});

test('case and spacing do not move a query; the set name does', () => {
  assert.equal(normaliseQuery('  Registered \t  Nurse\n'), 'registered nurse');
  assert.equal(
    trainingSplitOf('jobbert', 'PYTHON   developer'),
    trainingSplitOf('jobbert', 'python developer'),
  );
  const moved = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].filter(
    (q) => trainingSplitOf('jobbert', q) !== trainingSplitOf('melo', q),
  );
  assert.ok(moved.length > 0, 'the set name is part of the hash');
});

test('about 30 % of queries are dev-eval', () => {
  const items = Array.from({ length: 5000 }, (_, i) => ({ text: `title ${i}` }));
  const share = devEvalPart('jobbert', items).length / items.length;
  assert.ok(share > 0.27 && share < 0.33, `dev share ${share}`);
});
