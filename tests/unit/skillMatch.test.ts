import assert from 'node:assert/strict';
import { test } from 'vitest';
import { matchSkills, type Requirement } from '../../src/ranking/skillMatch.js';

const req = (uri: string, relation: 'essential' | 'optional', specificity: number): Requirement => ({
  uri,
  label: uri,
  relation,
  specificity,
});

test('exact matches, partial credit and weighted coverage match hand-computed values', () => {
  const requirements = [
    req('a', 'essential', 2),
    req('b', 'essential', 1),
    req('c', 'essential', 1),
    req('d', 'optional', 4),
    req('e', 'optional', 1),
  ];
  const m = matchSkills(requirements, {
    held: ['a', 'e'],
    near: [
      { required: 'b', held: 'x', heldLabel: 'x', kind: 'related' },
      { required: 'b', held: 'y', heldLabel: 'y', kind: 'narrower' },
      { required: 'c', held: 'z', heldLabel: 'z', kind: 'similar', similarity: 0.7 },
      { required: 'd', held: 'w', heldLabel: 'w', kind: 'broader' },
    ],
  });
  assert.deepEqual(
    m.matched.map((r) => r.uri),
    ['a', 'e'],
  );
  assert.deepEqual(
    m.partial.map((p) => [p.required.uri, p.heldUri, p.kind, p.credit]),
    [
      ['b', 'y', 'narrower', 0.8],
      ['d', 'w', 'broader', 0.5],
    ],
  );
  assert.equal(m.essentialCoverage, 1 / 3);
  assert.equal(m.optionalCoverage, 1 / 2);
  // essential: (2 + 1*0.8 + 0) / 4 ; optional: (4*0.5 + 1) / 5
  assert.ok(Math.abs(m.weightedEssentialCoverage - 0.7) < 1e-12);
  assert.ok(Math.abs(m.weightedOptionalCoverage - 0.6) < 1e-12);
  // gains: c = 1/4 (no credit), b = 1*(1-0.8)/4 = 0.05; d = 4*(1-0.5)/5 = 0.4
  assert.deepEqual(
    m.missingEssential.map((x) => [x.requirement.uri, Number(x.gain.toFixed(6))]),
    [
      ['c', 0.25],
      ['b', 0.05],
    ],
  );
  assert.deepEqual(
    m.missingOptional.map((x) => [x.requirement.uri, Number(x.gain.toFixed(6))]),
    [['d', 0.4]],
  );
});

test('similar evidence counts only above the similarity floor, scaled by similarity', () => {
  const m = matchSkills([req('a', 'essential', 1)], {
    held: [],
    near: [{ required: 'a', held: 's', heldLabel: 's', kind: 'similar', similarity: 0.9 }],
  });
  assert.ok(Math.abs((m.partial[0]?.credit ?? 0) - 0.45) < 1e-12);
});

test('no requirements gives zero coverage, duplicates count once', () => {
  assert.equal(matchSkills([], { held: ['a'], near: [] }).weightedEssentialCoverage, 0);
  const m = matchSkills([req('a', 'essential', 1), req('a', 'essential', 1)], { held: ['a'], near: [] });
  assert.equal(m.essentialCount, 1);
  assert.equal(m.essentialCoverage, 1);
});
