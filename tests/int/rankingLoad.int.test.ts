/**
 * Ranking under load, on the ESCO test store with its demo people and the real models:
 * - when the cross-encoder's queue is full (RERANKER_MAX_WAITING), a ranking that needs it is
 *   refused with SERVICE_OVERLOADED (never ranked without it), nothing is cached, and the next
 *   quiet request gets the full ranking;
 * - with a symmetric embedder (no query prefix) the subject's stored vector is the query vector,
 *   so the ranking equals the one computed from its text.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { OverloadedError } from '../../src/errors.js';
import { GapRepository } from '../../src/graph/gap/gapRepository.js';
import { RankingRepository } from '../../src/graph/ranking/rankingRepository.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { createEmbedder, createReranker, type Embedder, type Reranker } from '../../src/inference/index.js';
import { vacancyText } from '../../src/ranking/texts.js';
import { RankingService } from '../../src/services/rankingService.js';
import { createTestGateway, escoUri, testConfig } from '../support/testEnv.js';

let gateway: Neo4jGateway;
let embedder: Embedder;
let reranker: Reranker;

beforeAll(async () => {
  gateway = createTestGateway(escoUri());
  const config = testConfig(escoUri());
  embedder = await createEmbedder(config);
  reranker = await createReranker(config);
});

afterAll(async () => {
  await embedder?.close();
  await reranker?.close();
  await gateway?.close();
});

const service = (maxWaiting?: number) =>
  new RankingService({
    repository: new RankingRepository(gateway, new GapRepository(gateway)),
    embedder,
    reranker,
    embeddings: null,
    minGroupSize: 2,
    cacheTtlMs: 60_000,
    defaultUseReranker: true, // the cross-encoder's queue is what these tests are about
    ...(maxWaiting === undefined ? {} : { rerankerMaxWaiting: maxWaiting }),
  });

test('a full cross-encoder queue refuses a ranking (SERVICE_OVERLOADED), never a different one', async () => {
  const ranking = service(1);
  const reference = await service().rankCandidates('vac-00003', 20, null);
  // Hold the cross-encoder busy with other work: one call in flight fills a queue of 1. The call
  // is long (800 pairs: seconds of work) so it is still running when the ranking, whose first
  // stages take a fraction of that, reaches the cross-encoder.
  const passage = 'an experienced analyst with statistics, python, databases and reporting skills; '.repeat(
    3,
  );
  const busy = reranker.score(
    Array.from({ length: 800 }, (_, i) => [`data analyst vacancy ${i}`, `${passage} ${i}`] as const),
  );
  assert.equal(reranker.pending(), 1);
  const refused = await ranking.rankCandidates('vac-00003', 20, null).then(
    () => assert.fail('ranked although the cross-encoder queue was full'),
    (error: unknown) => error,
  );
  await busy;
  assert.ok(refused instanceof OverloadedError, String(refused));
  assert.equal(refused.code, 'SERVICE_OVERLOADED');
  assert.equal(refused.details?.resource, 'cross-encoder');
  assert.match(refused.message, /useReranker: false/);

  assert.equal(reranker.pending(), 0);
  const again = await ranking.rankCandidates('vac-00003', 20, null);
  assert.equal(again.meta.cached, false, 'nothing was cached for the refused request');
  assert.equal(again.meta.reranked, 30);
  assert.ok(!again.meta.stagesSkipped.some((s) => /cross-encoder/.test(s)));
  assert.deepEqual(
    again.items.map((i) => i.id),
    reference.items.map((i) => i.id),
    'the same ranking as an idle service gives',
  );
});

test('the stored subject vector is the query vector of a symmetric model', async () => {
  assert.equal(
    embedder.info.queryPrefix,
    embedder.info.passagePrefix,
    'the default model embeds queries as passages',
  );
  const [row] = await gateway.read('ranking/vacancy-context', { ids: ['vac-00004'] });
  assert.ok(row && Array.isArray(row.embedding), 'the test store holds vacancy embeddings');
  const stored = Float32Array.from(row.embedding as number[]);
  const text = vacancyText({
    title: row.title as string,
    description: row.description as string,
    skills: (row.skillLabels as unknown[]).map(String),
  });
  const [computed] = await embedder.embed([text], 'query');
  assert.ok(computed);
  let dot = 0;
  for (let i = 0; i < stored.length; i += 1) dot += stored[i]! * computed[i]!;
  assert.ok(dot > 0.9999, `stored and computed query vectors agree (cosine ${dot})`);
  const ranking = await service().rankCandidates('vac-00004', 10, null, { useReranker: false });
  assert.equal(ranking.meta.retrieved.vector, 500);
  assert.equal(ranking.items.length, 10);
});
