/**
 * Smoke run of `eval:ranking`'s core on a tiny labelled fixture (tests/fixtures/eval-ranking/tiny.jsonl
 * over the ESCO subset in tests/fixtures/esco-mini): load into the scratch database, embed with the
 * real model, rank every row through RankingService, score, fit learned fusion, and serve the
 * fitted artifact (named in `meta`). The full evaluation is `npm run eval`, not part of the tests.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { prepareGraph } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { silentProgress } from '../../src/import/progress.js';
import { createEmbedder, createReranker, type Embedder, type Reranker } from '../../src/inference/index.js';
import { outcomeGroups } from '../../src/eval/outcomeGroups.js';
import {
  addLines,
  emptyDataset,
  isValidationVacancy,
  type RankingDataset,
} from '../../src/eval/rankingData.js';
import {
  ablationRows,
  createEvalRankingService,
  fitFusionModel,
  lexicalIndex,
  loadDataset,
  outcomesFromGraph,
  rankedFeatures,
  runRow,
  vacancyTexts,
  type EvalContext,
} from '../../src/eval/rankingHarness.js';
import { DEFAULT_WEIGHTS } from '../../src/ranking/features.js';
import { loadFusionModel } from '../../src/services/fusionModel.js';
import { RankingService } from '../../src/services/rankingService.js';
import { GapRepository } from '../../src/graph/gap/gapRepository.js';
import { RankingRepository } from '../../src/graph/ranking/rankingRepository.js';
import { createTestGateway, FIXTURES, scratchUri, silentLog, testConfig } from '../support/testEnv.js';

let gateway: Neo4jGateway;
let embedder: Embedder;
let reranker: Reranker;
let dataset: RankingDataset;

beforeAll(async () => {
  gateway = createTestGateway(scratchUri());
  await gateway.runAutoCommit('admin/wipe');
  const config = testConfig(scratchUri(), {
    DEMO_AUTOLOAD: 'false',
    ESCO_DIR: path.join(FIXTURES, 'esco-mini'),
  });
  await prepareGraph(gateway, config, silentLog, silentProgress);
  embedder = await createEmbedder(config);
  reranker = await createReranker(config);
  dataset = addLines(
    emptyDataset(),
    'tiny.jsonl',
    fs.readFileSync(path.join(FIXTURES, 'eval-ranking', 'tiny.jsonl'), 'utf8').split('\n'),
  );
});

afterAll(async () => {
  await embedder?.close();
  await reranker?.close();
  await gateway?.close();
});

test('the fixture parses and loads into the graph with embeddings', async () => {
  assert.deepEqual(dataset.issues, []);
  const { report } = await loadDataset(gateway, dataset, embedder, silentLog);
  assert.deepEqual(report?.written, { candidates: 10, vacancies: 2, applications: 7 });
  assert.equal(report?.rejectedCount, 0);
  const outcomes = await outcomesFromGraph(gateway);
  assert.equal(outcomes.get('v1')?.get('c1'), 'HIRED');
  assert.equal(outcomes.get('v2')?.get('c4'), 'REJECTED');
});

test('every ablation row ranks through the pipeline and scores within bounds', async () => {
  const service = createEvalRankingService(gateway, embedder, reranker, 2);
  const ctx: EvalContext = {
    service,
    gateway,
    dataset,
    vacancies: ['v1', 'v2'],
    qualifiedGrade: 2,
    maxGrade: 3,
    log: () => {},
  };
  const lexical = {
    index: await lexicalIndex(gateway, [...dataset.groups.keys()]),
    texts: await vacancyTexts(gateway, ['v1', 'v2']),
  };
  for (const spec of ablationRows()) {
    const row = await runRow(ctx, spec, { lexical });
    assert.equal(row.scores.queries, 2, spec.key);
    const { queries: _queries, ...metrics } = row.scores;
    for (const value of Object.values(metrics)) assert.ok(value >= 0 && value <= 1, `${spec.key}: ${value}`);
    assert.ok((row.run.get('v1') ?? []).length > 0, spec.key);
    if (spec.key === 'skills') {
      // Skill coverage and occupation closeness put the fixture's data scientists first.
      assert.ok(['c1', 'c2'].includes(row.run.get('v1')![0]!), row.run.get('v1')!.join(','));
      assert.ok(row.scores.ndcg10 > 0.8, `${row.scores.ndcg10}`);
    }
    assert.deepEqual(
      row.fairness.groups.map((g) => g.group),
      ['female', 'male'],
    );
  }
  const constrained = await runRow(
    ctx,
    { ...ablationRows()[4]!, key: 'c', constraint: { group: 'female', minShare: 0.5 } },
    { base: new Map() },
  );
  assert.equal(constrained.scores.queries, 2);
});

test('learned fusion fits on the outcomes, and the served artifact is named in meta', async () => {
  const service = createEvalRankingService(gateway, embedder, reranker, 2);
  const ranked = await rankedFeatures(service, ['v1', 'v2']);
  assert.ok(ranked.every((r) => r.items.length > 0 && r.items.length === r.poolSize));
  const fit = fitFusionModel(ranked, await outcomesFromGraph(gateway), {
    isValidation: (v) => v === 'v2',
    band: [0.03, 0.04],
    maxHardNegatives: 5,
    source: 'tiny fixture',
    createdAt: '2026-11-23T00:00:00.000Z',
    train: { epochs: 50 },
  });
  assert.equal(fit.train.lists.length, 1);
  assert.equal(fit.validation.lists.length, 1);
  assert.equal(fit.model.weights.outcomeHistory, 0);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-')), 'model.json');
  fs.writeFileSync(file, JSON.stringify(fit.model));
  const model = loadFusionModel(file);
  const served = new RankingService({
    repository: new RankingRepository(gateway, new GapRepository(gateway)),
    embedder,
    reranker,
    embeddings: null,
    minGroupSize: 2,
    cacheTtlMs: 0,
    fusion: model,
  });
  const result = await served.rankCandidates('v1', 5, null, {});
  assert.equal(result.meta.fusionModel?.name, model.name);
  assert.deepEqual(result.meta.weights, model.weights);
  // A request still overrides one weight over the learned base.
  const overridden = await served.rankCandidates('v1', 5, null, { weights: { regionMatch: 0.5 } });
  assert.equal(overridden.meta.weights.regionMatch, 0.5);
  assert.equal(overridden.meta.weights.essentialCoverage, model.weights.essentialCoverage);
  const plain = await createEvalRankingService(gateway, embedder, reranker, 2).rankCandidates(
    'v1',
    5,
    null,
    {},
  );
  assert.equal(plain.meta.fusionModel, null);
  assert.deepEqual(plain.meta.weights, DEFAULT_WEIGHTS);
});

test('the ranking cross-encoder`s training groups: the graph`s grades, the split of eval:ranking, the service`s own pairs', async () => {
  const repository = new RankingRepository(gateway, new GapRepository(gateway));
  const result = await outcomeGroups(gateway, repository, { validationShare: 0.5 });
  assert.deepEqual(
    result.groups.map((g) => g.vacancyId),
    ['v1', 'v2'],
  );
  const v1 = result.groups[0]!;
  assert.deepEqual(
    v1.items.map((i) => [i.candidateId, i.grade]),
    [
      ['c1', 2],
      ['c5', 0],
      ['c6', 0],
      ['c7', 0],
    ],
  );
  for (const g of result.groups)
    assert.equal(g.split, isValidationVacancy(g.vacancyId, 0.5) ? 'dev' : 'train', g.vacancyId);
  assert.equal(result.counts.pairs, 7);
  assert.match(result.sha256, /^[0-9a-f]{64}$/);
  // The pairs the ranking's cross-encoder scores for v1 (a recorder around the real model) are
  // the exported ones, character for character, for every applicant in the head.
  const seen: Array<readonly [string, string]> = [];
  const recording: Reranker = {
    info: reranker.info,
    score: (pairs) => {
      seen.push(...pairs);
      return reranker.score(pairs);
    },
    pending: () => reranker.pending(),
    close: () => Promise.resolve(),
  };
  const service = createEvalRankingService(gateway, embedder, recording, 2);
  await service.rankCandidates('v1', 10, null, { useReranker: true, rerankM: 10 });
  const exported = new Set(v1.items.map((i) => JSON.stringify([v1.query, i.text])));
  const applicantPairs = seen.filter((p) => exported.has(JSON.stringify(p)));
  assert.ok(
    applicantPairs.length >= 2,
    `${applicantPairs.length} of the scored pairs are applicants' exported pairs`,
  );
  assert.ok(
    seen.every((p) => p[0] === v1.query),
    'the query is the vacancy text the service sends',
  );
});
