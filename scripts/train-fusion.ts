/**
 * Fits the stage-2 fusion weights to a deployment's own outcomes (HIRED vs REJECTED applications in
 * the configured graph) and writes a versioned artifact the API loads with FUSION_MODEL=<file>:
 *
 *   npx tsx scripts/train-fusion.ts [--out .data/fusion-model.json] [--validation-share 0.3]
 *       [--hard-band 0.03,0.04] [--max-hard-negatives 5] [--max-vacancies N]
 *
 * Reads only. Uses the configured Neo4j (NEO4J_URI, else the local one of a running `npm start`,
 * else starts it) and the configured models: each vacancy with a hire is ranked by the API's code
 * with the hand-set weights, its top 200 give the feature vectors of the hire, the rejected
 * applicants and hard negatives from the runner-up band; vacancies are split into training and
 * validation by a hash of their id. Prints the validation comparison with the hand-set weights.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { connectNeo4j } from '../src/app.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { elapsed, progress } from '../src/eval/harness.js';
import { isValidationVacancy } from '../src/eval/rankingData.js';
import {
  createEvalRankingService,
  fitFusionModel,
  outcomesFromGraph,
  rankedFeatures,
} from '../src/eval/rankingHarness.js';
import { fmt, markdownTable } from '../src/eval/report.js';
import { createEmbedder, createReranker } from '../src/inference/index.js';
import { DEFAULT_WEIGHTS, FEATURE_NAMES } from '../src/ranking/features.js';

const { values: argv } = parseArgs({
  options: {
    out: { type: 'string', default: path.join('.data', 'fusion-model.json') },
    'validation-share': { type: 'string', default: '0.3' },
    'hard-band': { type: 'string', default: '0.03,0.04' },
    'max-hard-negatives': { type: 'string', default: '5' },
    'max-vacancies': { type: 'string' },
  },
  allowPositionals: true,
});

const started = performance.now();
const config = loadConfig();
const log = pino({ level: 'warn' }, pino.destination(2));
const band = (argv['hard-band'] ?? '').split(',').map(Number) as [number, number];
const share = Number(argv['validation-share']);
const { gateway, local } = await connectNeo4j(config, log);
const embedder = await createEmbedder(config);
const reranker = config.inference.rerankerEnabled ? await createReranker(config) : null;
try {
  const outcomes = await outcomesFromGraph(gateway);
  let vacancies = [...outcomes]
    .filter(([, m]) => [...m.values()].includes('HIRED'))
    .map(([v]) => v)
    .sort();
  if (argv['max-vacancies']) vacancies = vacancies.slice(0, Number(argv['max-vacancies']));
  if (vacancies.length === 0) throw new Error('no HIRED applications in the graph: nothing to learn from');
  progress(`${vacancies.length} vacancies with a hire; ranking them with the hand-set weights`);
  const service = createEvalRankingService(gateway, embedder, reranker, config.privacy.minGroupSize);
  const ranked = await rankedFeatures(service, vacancies, 200, progress);
  const fit = fitFusionModel(ranked, outcomes, {
    isValidation: (v) => isValidationVacancy(v, share),
    band,
    maxHardNegatives: Number(argv['max-hard-negatives']),
    source: `train:fusion on ${config.neo4j.mode === 'remote' ? config.neo4j.uri : `the local Neo4j (${config.neo4j.dataDir})`}`,
    createdAt: new Date().toISOString(),
  });
  const out = path.resolve(PROJECT_ROOT, argv.out ?? '');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(fit.model, null, 2)}\n`);
  process.stdout.write(
    `${markdownTable(
      ['Weights', ...FEATURE_NAMES],
      [
        ['hand-set', ...FEATURE_NAMES.map((n) => fmt(DEFAULT_WEIGHTS[n]))],
        [fit.model.name, ...FEATURE_NAMES.map((n) => fmt(fit.model.weights[n]))],
      ],
    )}\n\n` +
      `Training: ${fit.train.lists.length} vacancies, ${fit.model.training.pairs} pairs (${fit.train.rejected} rejected applicants, ${fit.train.hardNegatives} hard negatives); ${fit.train.hiresOutOfReach} hires ranked below 200 left out.\n` +
      `Validation (${fit.learned.lists} vacancies, the hire among its rejected applicants): hire MRR ${fmt(fit.learned.mrr)} learned vs ${fmt(fit.handSet.mrr)} hand-set; pairwise accuracy ${fmt(fit.learned.pairwiseAccuracy)} vs ${fmt(fit.handSet.pairwiseAccuracy)}.\n` +
      `Wrote ${path.relative(PROJECT_ROOT, out)}; serve it with FUSION_MODEL=${path.relative(PROJECT_ROOT, out)} (done in ${elapsed(started)}).\n`,
  );
} finally {
  await embedder.close();
  await reranker?.close();
  await gateway.close();
  await local?.stop();
}
