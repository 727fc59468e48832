/**
 * The cross-encoder's pair-score cache with the real model, Neo4j and API (#18 item 4): a second
 * ranking of the same vacancy with other options reranks from cached pairs (the model runs on
 * none or few), gives the scores a process without the cache gives, and /ready counts it.
 * Timings are printed, never asserted.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { gql } from '../support/graphqlClient.js';
import { escoUri, silentLog, testConfig } from '../support/testEnv.js';

type Ranking = {
  rankCandidates: {
    nodes: { candidate: { id: string }; breakdown: { feature: string; value: number | null }[] }[];
    meta: { reranked: number; timingsMs: { rerank: number } };
  };
};
const RANK = `query($v: ID!, $o: RankingOptions) { rankCandidates(vacancyId: $v, first: 30, options: $o) {
  nodes { candidate { id } breakdown { feature value } }
  meta { reranked timingsMs { rerank } } } }`;

let cached: App;
let uncached: App;
let vacancy: string;

beforeAll(async () => {
  // No ranking cache: every request computes its ranking, so only the pair cache can save work.
  [cached, uncached] = await Promise.all([
    startApp(testConfig(escoUri(), { RANKING_CACHE_TTL_MS: '0' }), silentLog),
    startApp(testConfig(escoUri(), { RANKING_CACHE_TTL_MS: '0', RERANKER_PAIR_CACHE: '0' }), silentLog),
  ]);
  const list = await gql<{ vacancies: { nodes: { id: string }[] } }>(
    cached.url,
    '{ vacancies(first: 1) { nodes { id } } }',
  );
  vacancy = list.data!.vacancies.nodes[0]!.id;
});
afterAll(async () => {
  await Promise.all([cached?.stop(), uncached?.stop()]);
});

const crossEncoderScores = (r: Ranking) =>
  new Map(
    r.rankCandidates.nodes.map((n) => [
      n.candidate.id,
      n.breakdown.find((b) => b.feature === 'CROSS_ENCODER')?.value ?? null,
    ]),
  );

async function ready(app: App): Promise<string | undefined> {
  const body = (await (await fetch(app.url.replace('/graphql', '/ready'))).json()) as {
    checks: { crossEncoderPairCache?: string };
  };
  return body.checks.crossEncoderPairCache;
}

test('a ranking with other options reranks from cached pairs, with the scores an uncached process gives', async () => {
  const rank = async (app: App, options: Record<string, unknown>) => {
    const r = await gql<Ranking>(app.url, RANK, { v: vacancy, o: { useReranker: true, ...options } });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!;
  };
  const cold = await rank(cached, {});
  assert.ok(cold.rankCandidates.meta.reranked > 0);
  const before = await ready(cached);
  assert.match(before ?? '', /^\d+ pairs kept, \d+ answered from the cache, \d+ scored by the model$/);
  const scoredBefore = Number(/(\d+) scored by the model/.exec(before!)![1]);
  // Other weights: another ranking (another cache key), the same pool and texts.
  const warm = await rank(cached, { weights: { regionMatch: 0.2 } });
  const after = await ready(cached);
  const scoredAfter = Number(/(\d+) scored by the model/.exec(after!)![1]);
  const hitsAfter = Number(/(\d+) answered from the cache/.exec(after!)![1]);
  assert.ok(hitsAfter >= warm.rankCandidates.meta.reranked / 2, `${after}`);
  assert.ok(
    scoredAfter - scoredBefore < warm.rankCandidates.meta.reranked,
    `the model ran on fewer pairs: ${before} -> ${after}`,
  );
  // The same scores as a process that scores every pair.
  const reference = crossEncoderScores(await rank(uncached, { weights: { regionMatch: 0.2 } }));
  for (const [id, score] of crossEncoderScores(warm)) {
    const expected = reference.get(id);
    if (score === null || expected === undefined || expected === null) continue;
    assert.ok(Math.abs(score - expected) < 1e-4, `${id}: ${score} vs ${expected}`);
  }
  assert.equal(await ready(uncached), undefined, 'RERANKER_PAIR_CACHE=0: no cache');
  process.stderr.write(
    `[pairScoreCache] rerank stage: cold ${cold.rankCandidates.meta.timingsMs.rerank.toFixed(1)} ms, other weights from cached pairs ${warm.rankCandidates.meta.timingsMs.rerank.toFixed(1)} ms (${warm.rankCandidates.meta.reranked} pairs); ${after}\n`,
  );
});
