/**
 * The two ways of collecting skill evidence agree on real data (ESCO test store with its demo
 * people): `candidateEvidence` (near skills found from the candidate's held skills, used when one
 * person meets many vacancies) gives exactly what `skillEvidence` (near skills found from each
 * required skill) gives.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { GapRepository, type EvidenceRow } from '../../src/graph/gap/gapRepository.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { createTestGateway, escoUri } from '../support/testEnv.js';

let gateway: Neo4jGateway;
let gaps: GapRepository;
beforeAll(() => {
  gateway = createTestGateway(escoUri());
  gaps = new GapRepository(gateway);
});
afterAll(() => gateway.close());

const normal = (e: EvidenceRow) => ({
  held: [...e.held].sort(),
  near: [...new Set(e.near.map((n) => `${n.required}|${n.held}|${n.kind}`))].sort(),
});

test('candidateEvidence equals skillEvidence for demo candidates against many vacancies', async () => {
  const vacancyIds = Array.from({ length: 60 }, (_, i) => `vac-${String(i + 1).padStart(5, '0')}`);
  const requirements = await gaps.vacancyRequirements(vacancyIds);
  const uris = [...new Set([...requirements.values()].flatMap((v) => v.requirements.map((r) => r.uri)))];
  assert.ok(uris.length > 100, `expected many required skills, got ${uris.length}`);
  let withNear = 0;
  for (let i = 1; i <= 40; i += 1) {
    const id = `cand-${String(i).padStart(6, '0')}`;
    const expected = (await gaps.skillEvidence([id], uris)).get(id);
    assert.ok(expected, `demo candidate ${id} exists`);
    const actual = await gaps.candidateEvidence(id, uris);
    assert.deepEqual(normal(actual), normal(expected), id);
    if (expected.near.length > 0) withNear += 1;
  }
  assert.ok(withNear > 0, 'some candidates hold skills near a required one');
});
