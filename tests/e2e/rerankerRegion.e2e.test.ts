/**
 * The cross-encoder reads the work and the skills, not the region (issue 16 item 3), over HTTP on
 * the scratch database (ESCO fixture) with the real cross-encoder: two vacancies that differ only
 * in their region — in the region field, the title and the description — give every candidate the
 * same CROSS_ENCODER feature. The same real model over the old inputs (the prose, which names the
 * region) does score the two differently, so the equality is the texts' doing, not the model's.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { createReranker } from '../../src/inference/index.js';
import { candidateText, vacancyText } from '../../src/ranking/texts.js';
import { gql } from '../support/graphqlClient.js';
import { scratchUri, startFixtureApp, testConfig } from '../support/testEnv.js';

let app: App;
let gateway: Neo4jGateway;

const SKILLS = [
  'Python (computer programming)',
  'SQL',
  'statistics',
  'machine learning',
  'computer programming',
];
const REGIONS = ['Bavaria', 'Lombardy'] as const;

const vacancy = (region: string) => ({
  id: `vac-${region.toLowerCase()}`,
  title: `Data scientist (${region})`,
  description: `Kestrel Analytics is hiring a data scientist in ${region}. You will work on site in ${region}.`,
  region,
  occupation: { code: '2511.4' },
  skills: [
    { label: 'Python (computer programming)', relation: 'ESSENTIAL' },
    { label: 'SQL', relation: 'ESSENTIAL' },
    { label: 'statistics', relation: 'ESSENTIAL' },
    { label: 'machine learning', relation: 'OPTIONAL' },
  ],
});

/** Eight candidates, half in each region, with different skill sets; the summary names the region. */
const candidates = Array.from({ length: 8 }, (_, i) => {
  const region = REGIONS[i % 2] as string;
  return {
    id: `cand-${i}`,
    displayName: `Person ${i}`,
    region,
    summary: `Analyst based in ${region}, looking for the next step in ${region}.`,
    occupations: i % 3 === 0 ? [{ label: 'data scientist' }] : [],
    skills: SKILLS.slice(0, 2 + (i % 4)).map((label) => ({ label })),
  };
});

interface Ranked {
  rankCandidates: {
    items: Array<{ candidate: { id: string }; breakdown: Array<{ feature: string; value: number | null }> }>;
    meta: { reranked: number; rerankerModel: { name: string } | null };
  };
}

async function crossEncoderFeature(vacancyId: string): Promise<Map<string, number>> {
  const res = await gql<Ranked>(
    app.url,
    `query($v: ID!) { rankCandidates(vacancyId: $v, k: 8, options: { useReranker: true, rerankM: 8 }) {
      items { candidate { id } breakdown { feature value } }
      meta { reranked rerankerModel { name } } } }`,
    { v: vacancyId },
  );
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const r = res.data?.rankCandidates;
  assert.ok(r?.meta.rerankerModel, 'the cross-encoder ran');
  assert.equal(r.meta.reranked, 8);
  return new Map(
    r.items.map((i) => [
      i.candidate.id,
      i.breakdown.find((b) => b.feature === 'CROSS_ENCODER')?.value ?? NaN,
    ]),
  );
}

beforeAll(async () => {
  ({ app, gateway } = await startFixtureApp({ RERANKER_ENABLED: 'true', RANKING_CACHE_TTL_MS: '0' }));
  for (const input of [...candidates, ...REGIONS.map(vacancy)]) {
    const mutation = 'displayName' in input ? 'upsertCandidate' : 'upsertVacancy';
    const type = mutation === 'upsertCandidate' ? 'CandidateInput' : 'VacancyInput';
    const res = await gql(app.url, `mutation($i: ${type}!) { ${mutation}(input: $i) { id } }`, { i: input });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  }
});
afterAll(async () => {
  await app.stop();
  await gateway.close();
});

test("changing only the region leaves every candidate's cross-encoder feature unchanged", async () => {
  const [a, b] = await Promise.all(REGIONS.map((r) => crossEncoderFeature(`vac-${r.toLowerCase()}`)));
  assert.ok(a && b);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  assert.equal(a.size, 8);
  for (const [id, value] of a) {
    assert.ok(Number.isFinite(value), `${id} has a cross-encoder value`);
    assert.ok(Math.abs(value - (b.get(id) ?? NaN)) < 1e-6, `${id}: ${value} vs ${b.get(id)}`);
  }
  // Not a constant: the feature tells candidates apart.
  assert.ok(new Set([...a.values()].map((v) => v.toFixed(4))).size > 1);
});

test('the same model over the old prose inputs does move with the region', async () => {
  const reranker = await createReranker(testConfig(scratchUri()));
  try {
    const person = candidates[0];
    assert.ok(person);
    const passage = candidateText({
      summary: person.summary,
      skills: person.skills.map((s) => s.label),
      occupations: ['data scientist'],
    });
    const scores = await reranker.score(
      REGIONS.map((r) => {
        const v = vacancy(r);
        return [
          vacancyText({ title: v.title, description: v.description, skills: SKILLS.slice(0, 4) }),
          passage,
        ] as const;
      }),
    );
    assert.ok(Math.abs((scores[0] ?? 0) - (scores[1] ?? 0)) > 1e-3, `prose scores ${scores.join(' vs ')}`);
  } finally {
    await reranker.close();
  }
});
