import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { explain } from '../../src/ranking/explanation.js';
import {
  DEFAULT_WEIGHTS,
  FEATURE_NAMES,
  bestOccupationMatch,
  cosine,
  fuse,
  mergeWeights,
  occupationLevel,
  outcomeHistory,
} from '../../src/ranking/features.js';
import { matchSkills } from '../../src/ranking/skillMatch.js';

test('occupation closeness follows ESCO identity and the ISCO-08 hierarchy', () => {
  const target = { uri: 'o:ds', iscoGroup: '2511' };
  assert.equal(occupationLevel(target, { uri: 'o:ds', iscoGroup: '2511' }), 'same occupation');
  assert.equal(occupationLevel(target, { uri: 'o:x', iscoGroup: '2511' }), 'same unit group');
  assert.equal(occupationLevel(target, { uri: 'o:x', iscoGroup: '2512' }), 'same minor group');
  assert.equal(occupationLevel(target, { uri: 'o:x', iscoGroup: '2521' }), 'same sub-major group');
  assert.equal(occupationLevel(target, { uri: 'o:x', iscoGroup: '2111' }), 'same major group');
  assert.equal(occupationLevel(target, { uri: 'o:x', iscoGroup: '7111' }), 'none');
  assert.equal(occupationLevel(target, { uri: 'o:x', iscoGroup: null }), 'none');
  const best = bestOccupationMatch(target, [
    { uri: 'o:a', iscoGroup: '2512' },
    { uri: 'o:b', iscoGroup: '2511' },
  ]);
  assert.deepEqual([best.level, best.score, best.occupation?.uri], ['same unit group', 0.75, 'o:b']);
  assert.equal(bestOccupationMatch(null, [{ uri: 'o:a', iscoGroup: '2512' }]).score, 0);
});

test('cosine, smoothed outcome history', () => {
  assert.ok(Math.abs(cosine([1, 0], [1, 1]) - Math.SQRT1_2) < 1e-12);
  assert.equal(cosine([0, 0], [1, 1]), 0);
  assert.equal(outcomeHistory(0, 0), 0.5);
  assert.equal(outcomeHistory(3, 4), 4 / 6);
});

test('fusion: weighted sum over present features, with the breakdown', () => {
  const { score, breakdown } = fuse(
    { essentialCoverage: 0.5, embeddingCosine: 0.8, crossEncoder: null },
    DEFAULT_WEIGHTS,
  );
  assert.ok(Math.abs(score - (0.5 * 0.35 + 0.8 * 0.15)) < 1e-12);
  assert.equal(breakdown.length, FEATURE_NAMES.length);
  assert.deepEqual(
    breakdown.find((b) => b.name === 'crossEncoder'),
    { name: 'crossEncoder', value: null, weight: 0.1, contribution: 0 },
  );
});

test('weight overrides are validated and merged', () => {
  assert.equal(mergeWeights({ regionMatch: 1 }).regionMatch, 1);
  assert.equal(mergeWeights({ regionMatch: null }).regionMatch, DEFAULT_WEIGHTS.regionMatch);
  assert.throws(() => mergeWeights({ regionMatch: -0.1 }), RangeError);
  assert.throws(() => mergeWeights({ regionMatch: Number.NaN }), RangeError);
});

test('no sensitive attribute can enter the features', () => {
  const sensitive = new Set([
    'gender',
    'sex',
    'age',
    'ageband',
    'ethnicity',
    'race',
    'religion',
    'disability',
    'nationality',
    'sensitive',
  ]);
  for (const name of FEATURE_NAMES) {
    const words = name.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
    assert.ok(!words.some((w) => sensitive.has(w)), name);
  }
  // The candidate feature query never reads the sensitive profile; only the audit query does.
  const read = (f: string) => fs.readFileSync(path.join(PROJECT_ROOT, 'cypher', f), 'utf8');
  for (const f of [
    'ranking/candidate-features.cypher',
    'ranking/vacancy-features.cypher',
    'ranking/candidate-context.cypher',
    'ranking/vector-candidates.cypher',
    'ranking/graph-recall-candidates.cypher',
  ]) {
    assert.ok(!/SensitiveProfile|HAS_SENSITIVE/.test(read(f)), f);
  }
  assert.match(read('ranking/pool-groups.cypher'), /Fairness audit only/);
});

test('explanations say what the score is made of, in one sentence', () => {
  const match = matchSkills(
    [
      { uri: 'a', label: 'Python', relation: 'essential', specificity: 1 },
      { uri: 'b', label: 'SQL', relation: 'essential', specificity: 1 },
      { uri: 'c', label: 'statistics', relation: 'essential', specificity: 1 },
    ],
    { held: ['a'], near: [{ required: 'b', held: 'x', heldLabel: 'MySQL', kind: 'narrower' }] },
  );
  const text = explain({
    match,
    occupationLevel: 'same occupation',
    occupationLabel: 'data scientist',
    sameRegion: true,
    embeddingCosine: 0.81234,
    crossEncoder: null,
    subject: 'candidate',
  });
  assert.equal(
    text,
    'Holds 1 of 3 essential skills (Python), 1 more in part, missing statistics, SQL; worked as data scientist; same region; text similarity 0.81.',
  );
});
