import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  matchSkills,
  MIN_SIMILARITY,
  PARTIAL_CREDIT,
  type NearEvidence,
  type PartialMatch,
  type Requirement,
  type SkillEvidence,
  type SkillMatch,
} from '../../src/ranking/skillMatch.js';
import { seededRandom } from '../support/random.js';

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

/**
 * `matchSkills` as it was written before it kept a plan per requirement list (dedup, totals and
 * the missing lists' order worked out once): the oracle the planned version must equal exactly.
 */
function referenceMatch(requirements: readonly Requirement[], evidence: SkillEvidence): SkillMatch {
  const creditOf = (e: NearEvidence) =>
    e.kind !== 'similar'
      ? PARTIAL_CREDIT[e.kind]
      : (e.similarity ?? 0) < MIN_SIMILARITY
        ? 0
        : PARTIAL_CREDIT.similar * (e.similarity ?? 0);
  const partialBy = new Map<string, { evidence: NearEvidence; credit: number }>();
  for (const e of evidence.near) {
    const credit = creditOf(e);
    if (credit <= 0) continue;
    const prior = partialBy.get(e.required);
    if (!prior || credit > prior.credit || (credit === prior.credit && e.held < prior.evidence.held))
      partialBy.set(e.required, { evidence: e, credit });
  }
  const ratio = (n: number, d: number) => (d > 0 ? n / d : 0);
  const held = new Set(evidence.held);
  const matched: Requirement[] = [];
  const partial: PartialMatch[] = [];
  const missing: Requirement[] = [];
  const totals = { essential: 0, optional: 0 };
  const earned = { essential: 0, optional: 0 };
  const exactCount = { essential: 0, optional: 0 };
  const count = { essential: 0, optional: 0 };
  const seen = new Set<string>();
  for (const r of requirements) {
    if (seen.has(r.uri)) continue;
    seen.add(r.uri);
    count[r.relation] += 1;
    totals[r.relation] += r.specificity;
    if (held.has(r.uri)) {
      matched.push(r);
      exactCount[r.relation] += 1;
      earned[r.relation] += r.specificity;
      continue;
    }
    const p = partialBy.get(r.uri);
    if (p) {
      const { held: heldUri, heldLabel, kind } = p.evidence;
      partial.push({ required: r, heldUri, heldLabel, kind, credit: p.credit });
      earned[r.relation] += r.specificity * p.credit;
    }
    missing.push(r);
  }
  const partialCredit = new Map(partial.map((p) => [p.required.uri, p.credit]));
  const toMissing = (relation: 'essential' | 'optional') =>
    missing
      .filter((r) => r.relation === relation)
      .map((r) => ({
        requirement: r,
        gain: ratio(r.specificity * (1 - (partialCredit.get(r.uri) ?? 0)), totals[relation]),
      }))
      .sort((a, b) => b.gain - a.gain || a.requirement.label.localeCompare(b.requirement.label));
  return {
    matched,
    partial,
    missingEssential: toMissing('essential'),
    missingOptional: toMissing('optional'),
    essentialCoverage: ratio(exactCount.essential, count.essential),
    optionalCoverage: ratio(exactCount.optional, count.optional),
    weightedEssentialCoverage: ratio(earned.essential, totals.essential),
    weightedOptionalCoverage: ratio(earned.optional, totals.optional),
    essentialCount: count.essential,
    optionalCount: count.optional,
  };
}

test('the plan kept per requirement list changes nothing: 3,000 drawn cases equal the plain definition', () => {
  const next = seededRandom(11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const kinds = ['narrower', 'broader', 'related', 'similar'] as const;
  for (let list = 0; list < 60; list += 1) {
    // Few distinct specificities and labels, so that gains and labels tie often; repeated uris too.
    const uris = Array.from({ length: 1 + Math.floor(next() * 25) }, (_, i) => `s${i}`);
    const requirements = Array.from({ length: Math.floor(next() * 30) }, () => ({
      uri: pick(uris),
      label: pick(['a', 'b', 'b', 'c']),
      relation: pick(['essential', 'optional'] as const),
      specificity: pick([1, 1.5, 2.25, 7]),
    }));
    for (let c = 0; c < 50; c += 1) {
      const evidence: SkillEvidence = {
        held: uris.filter(() => next() < 0.3),
        near: Array.from({ length: Math.floor(next() * 4) }, () => ({
          required: pick(uris),
          held: pick(['x', 'y', 'z']),
          heldLabel: 'held',
          kind: pick(kinds),
          similarity: pick([0.7, 0.85, 0.95]),
        })),
      };
      assert.deepEqual(matchSkills(requirements, evidence), referenceMatch(requirements, evidence));
    }
  }
});
