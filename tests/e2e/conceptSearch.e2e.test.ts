/**
 * normalizeJobTitle, extractSkills and similar* over HTTP with the real models, on the ESCO
 * fixture in the scratch database (label embeddings computed here: the fixture is tiny).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { FRENCH_TITLES_NOT_RERANKED } from '../../src/services/conceptSearchService.js';
import { errorCodes, gql } from '../support/graphqlClient.js';
import { startFixtureApp } from '../support/testEnv.js';

const E = 'http://data.europa.eu/esco';
let app: App;
let gateway: Neo4jGateway;

beforeAll(async () => {
  ({ app, gateway } = await startFixtureApp({ RERANKER_ENABLED: 'true' }));
  await app.embeddings.runOnce();
});
afterAll(async () => {
  await app.stop();
  await gateway.close();
});

test('normalizeJobTitle finds the occupation in every mode and reports its stages', async () => {
  for (const mode of ['LEXICAL', 'DENSE', 'HYBRID', 'HYBRID_RERANK']) {
    const res = await gql<{
      normalizeJobTitle: {
        matches: Array<{ score: number; matchedLabel: string | null; occupation: { code: string } }>;
        stages: {
          mode: string;
          lexicalCandidates: number;
          denseCandidates: number;
          reranked: number;
          skipped: string[];
        };
      };
    }>(
      app.url,
      'query($m: SearchMode) { normalizeJobTitle(title: "Senior ML scientist", k: 3, mode: $m) { matches { score matchedLabel occupation { code } } stages { mode lexicalCandidates denseCandidates reranked skipped } } }',
      { m: mode },
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const r = res.data?.normalizeJobTitle;
    // The cross-encoder (trained on web passages) may reorder close labels; it must keep the answer in the head.
    const codes = r?.matches.map((m) => m.occupation.code) ?? [];
    if (mode === 'HYBRID_RERANK') assert.ok(codes.includes('2511.4'), `${mode}: ${codes.join(', ')}`);
    else assert.equal(codes[0], '2511.4', mode);
    assert.equal(r?.stages.mode, mode);
    assert.equal((r?.stages.lexicalCandidates ?? 0) > 0, mode !== 'DENSE', mode);
    assert.equal((r?.stages.denseCandidates ?? 0) > 0, mode !== 'LEXICAL', mode);
    assert.equal((r?.stages.reranked ?? 0) > 0, mode === 'HYBRID_RERANK', mode);
    assert.deepEqual(r?.stages.skipped, []);
  }
});

test('a French title keeps its fused order under HYBRID_RERANK, and says why', async () => {
  const query =
    'query($m: SearchMode) { normalizeJobTitle(title: "informaticien", lang: FR, k: 3, mode: $m) { matches { occupation { code } } stages { reranked skipped } } }';
  type Answer = {
    normalizeJobTitle: {
      matches: Array<{ occupation: { code: string } }>;
      stages: { reranked: number; skipped: string[] };
    };
  };
  const reranked = await gql<Answer>(app.url, query, { m: 'HYBRID_RERANK' });
  const hybrid = await gql<Answer>(app.url, query, { m: 'HYBRID' });
  assert.equal(reranked.errors, undefined, JSON.stringify(reranked.errors));
  assert.equal(reranked.data?.normalizeJobTitle.stages.reranked, 0);
  assert.deepEqual(reranked.data?.normalizeJobTitle.stages.skipped, [FRENCH_TITLES_NOT_RERANKED]);
  assert.deepEqual(reranked.data?.normalizeJobTitle.matches, hybrid.data?.normalizeJobTitle.matches);
});

test('extractSkills returns ESCO skills with the evidence span they came from', async () => {
  const text = 'You will build pipelines in Python and SQL; a solid grounding in statistics is expected.';
  const res = await gql<{
    extractSkills: {
      skills: Array<{
        score: number;
        skill: { uri: string };
        evidence: { text: string; start: number; end: number };
      }>;
    };
  }>(
    app.url,
    'query($t: String!) { extractSkills(text: $t, k: 5) { skills { score skill { uri } evidence { text start end } } } }',
    { t: text },
  );
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const skills = res.data?.extractSkills.skills ?? [];
  const uris = skills.map((s) => s.skill.uri.split('/').pop());
  for (const expected of ['sk-python', 'sk-sql', 'sk-stats'])
    assert.ok(uris.includes(expected), `${expected} in ${uris.join(', ')}`);
  for (const s of skills) assert.equal(text.slice(s.evidence.start, s.evidence.end), s.evidence.text);
  const stats = skills.find((s) => s.skill.uri.endsWith('sk-stats'));
  assert.match(stats?.evidence.text ?? '', /statistics/);
});

test('similar occupations and skills fuse graph and embedding neighbours', async () => {
  const res = await gql<{
    similarOccupations: {
      similar: Array<{ occupation: { code: string } }>;
      stages: { lexicalCandidates: number; denseCandidates: number };
    };
    similarSkills: { similar: Array<{ skill: { uri: string } }> };
  }>(
    app.url,
    `{ similarOccupations(uri: "${E}/occupation/occ-ds", k: 2) { similar { occupation { code } } stages { lexicalCandidates denseCandidates } }
       similarSkills(uri: "${E}/skill/sk-ml", k: 3) { similar { skill { uri } } } }`,
  );
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  assert.equal(res.data?.similarOccupations.similar[0]?.occupation.code, '2511.5');
  assert.ok((res.data?.similarOccupations.stages.denseCandidates ?? 0) > 0);
  assert.ok(
    res.data?.similarSkills.similar.some((s) => s.skill.uri.endsWith('sk-stats')),
    'ESCO-related skills come up',
  );
});

test('bad input is refused with stable codes', async () => {
  const cases: Array<[string, string]> = [
    ['{ normalizeJobTitle(title: "  ") { title } }', 'BAD_USER_INPUT'],
    ['{ normalizeJobTitle(title: "data", k: 0) { title } }', 'BAD_USER_INPUT'],
    [`{ extractSkills(text: "${'x'.repeat(5001)}") { skills { score } } }`, 'BAD_USER_INPUT'],
    ['{ similarOccupations(uri: "nope") { similar { score } } }', 'BAD_USER_INPUT'],
    [`{ similarOccupations(uri: "${E}/occupation/none") { similar { score } } }`, 'NOT_FOUND'],
    [`{ similarSkills(uri: "${E}/occupation/occ-ds") { similar { score } } }`, 'BAD_USER_INPUT'],
  ];
  for (const [query, code] of cases)
    assert.deepEqual(errorCodes(await gql(app.url, query)), [code], query.slice(0, 80));
});
