/**
 * The projection's skill evidence (`EvidencePlan`) equals `matchEvidence`, the definition the
 * graph path uses, row for row: required skills repeated, near entries sharing a held skill,
 * skills nobody holds (not interned), candidates holding nothing relevant.
 */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { matchEvidence, type EvidenceRow } from '../../src/graph/gap/gapRepository.js';
import { EvidencePlan } from '../../src/graph/ranking/candidateProjection.js';
import { Codes } from '../../src/graph/ranking/candidateTable.js';
import { seededRandom } from '../support/random.js';

test('2,000 drawn candidates: the same held and near lists, in the same order, as matchEvidence', () => {
  const next = seededRandom(5);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const kinds = ['narrower', 'broader', 'related'] as const;
  const universe = Array.from({ length: 40 }, (_, i) => `skill/${i}`);
  const ids = new Codes();
  // Skills 30..39 are never held by anyone: not interned, as in the projection.
  for (const uri of universe.slice(0, 30)) ids.code(uri);
  for (let set = 0; set < 40; set += 1) {
    const required = Array.from({ length: Math.floor(next() * 20) }, () => pick(universe));
    const near: EvidenceRow['near'] = Array.from({ length: Math.floor(next() * 30) }, () => ({
      required: pick(required.length > 0 ? required : universe),
      held: pick(universe),
      heldLabel: 'label',
      kind: pick(kinds),
    }));
    const plan = new EvidencePlan(required, near, (uri) => ids.find(uri));
    for (let c = 0; c < 50; c += 1) {
      const held = [...new Set(universe.slice(0, 30).filter(() => next() < 0.25))];
      const skills = Int32Array.from(held.map((uri) => ids.find(uri)!)).sort();
      assert.deepEqual(plan.evidence(`c${c}`, skills), matchEvidence(`c${c}`, held, required, near));
    }
  }
});
