/**
 * Candidate ranking on labelled data, stage by stage, through the real pipeline:
 *
 *   npx tsx scripts/eval-ranking.ts [--file data.jsonl …] [--port 7731] [--store .data/neo4j-eval]
 *       [--candidates 3000 --vacancies 600 --seed 42 --outcome-bias 0.9] [--eval-vacancies 100]
 *       [--validation-share 0.3] [--min-group-share female:0.3] [--fusion-model artifact.json] [--no-doc]
 *
 * Starts its own local Neo4j (own port and store; ESCO imported on first use), loads the dataset
 * into it (replacing the people there), embeds it, and ranks every held-out vacancy with each
 * configuration of the ablation ladder, learned fusion included, through `RankingService`.
 *
 * Without --file it evaluates the demo generator's data (built in-house): the people file and its
 * held-out fit file (graded labels), generated twice from one seed — with unbiased outcomes and with
 * --outcome-bias — so learned fusion is trained once on each and the effect of biased outcomes on
 * fairness is measured. With --file it reads your own JSONL (format: docs/evaluation.md).
 *
 * Prints the tables, writes the fusion artifacts to .data/eval-ranking/ and rewrites its section of
 * docs/evaluation.md with SVG charts in docs/charts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { loadEscoSnapshot } from '../src/demo/escoSnapshot.js';
import { writeDemoFiles } from '../src/demo/writeDemoFiles.js';
import { elapsed, machineDescription, progress, recordRun, writeDocSection } from '../src/eval/harness.js';
import { mean, ndcgAtK } from '../src/eval/metrics.js';
import {
  addLines,
  datasetIds,
  emptyDataset,
  isValidationVacancy,
  type RankingDataset,
} from '../src/eval/rankingData.js';
import {
  ablationRows,
  createEvalRankingService,
  fitFusionModel,
  lexicalIndex,
  loadDataset,
  openEvalGraph,
  qrelsOf,
  rankedFeatures,
  runRow,
  vacancyTexts,
  type EvalContext,
  type FitResult,
  type RowResult,
  type RowSpec,
} from '../src/eval/rankingHarness.js';
import { fmt, markdownTable, pairedBootstrap } from '../src/eval/report.js';
import { barChartSvg } from '../src/eval/svgChart.js';
import {
  createEmbedder,
  createReranker,
  DEFAULT_RERANKER,
  describeTrainedLookup,
  findTrainedReranker,
} from '../src/inference/index.js';
import { FEATURE_NAMES, DEFAULT_WEIGHTS } from '../src/ranking/features.js';
import { parseFusionModel, type FusionModel } from '../src/ranking/learnedFusion.js';

const { values: argv } = parseArgs({
  options: {
    file: { type: 'string', multiple: true },
    port: { type: 'string', default: '7731' },
    store: { type: 'string', default: path.join('.data', 'neo4j-eval') },
    out: { type: 'string', default: path.join('.data', 'eval-ranking') },
    candidates: { type: 'string', default: '3000' },
    vacancies: { type: 'string', default: '600' },
    seed: { type: 'string', default: '42' },
    'outcome-bias': { type: 'string', default: '0.9' },
    'eval-vacancies': { type: 'string', default: '100' },
    'validation-share': { type: 'string', default: '0.3' },
    'min-group-share': { type: 'string', default: 'female:0.3' },
    'hard-band': { type: 'string', default: '0.03,0.04' },
    'max-hard-negatives': { type: 'string', default: '5' },
    'fusion-model': { type: 'string' },
    'no-doc': { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

const num = (name: keyof typeof argv): number => {
  const raw = argv[name];
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value))
    throw new Error(`--${name} must be a number (got ${String(raw)})`);
  return value;
};
const [constraintGroup, constraintShareRaw] = (argv['min-group-share'] ?? 'female:0.4').split(':');
const constraint = { group: constraintGroup ?? 'female', minShare: Number(constraintShareRaw ?? 0.3) };
const band = (argv['hard-band'] ?? '').split(',').map(Number) as [number, number];
const validationShare = num('validation-share');
const maxHardNegatives = num('max-hard-negatives');
const outDir = path.resolve(PROJECT_ROOT, argv.out ?? '.data/eval-ranking');
const CHART_DIR = path.join(PROJECT_ROOT, 'docs', 'charts');
const BUILT_IN_HOUSE =
  'built in-house (synthetic demo data from src/demo; outcomes follow a hidden fit function, not real hiring decisions)';

const started = performance.now();
const config = loadConfig();
const log = pino({ level: 'warn' }, pino.destination(2));
fs.mkdirSync(outDir, { recursive: true });

function readDataset(files: readonly string[]): RankingDataset {
  const dataset = emptyDataset();
  for (const file of files) addLines(dataset, path.basename(file), fs.readFileSync(file, 'utf8').split('\n'));
  if (dataset.issues.length > 0) {
    for (const issue of dataset.issues.slice(0, 20))
      progress(`${issue.origin}:${issue.line}: ${issue.reason}`);
    progress(`${dataset.issues.length} line(s) rejected`);
  }
  return dataset;
}

const graph = await openEvalGraph(config, {
  port: num('port'),
  store: path.resolve(PROJECT_ROOT, argv.store ?? ''),
  log,
});
const embedder = await createEmbedder(config);
// The generic cross-encoder by name (the rows stay comparable across runs); the trained one, when
// `npm run train:models` wrote it, gets a row of its own below.
const reranker = await createReranker(config, DEFAULT_RERANKER);
const trained = await findTrainedReranker(config);
const trainedReranker =
  trained.status === 'valid' ? await createReranker(config, undefined, { trained }) : null;
try {
  progress(`evaluation Neo4j on port ${argv.port} (store ${argv.store}) ready: ${elapsed(started)}`);
  const demoMode = !argv.file || argv.file.length === 0;
  let dataset: RankingDataset;
  let biased: RankingDataset | undefined;
  let dataLine: string;
  const demoOptions = { candidates: num('candidates'), vacancies: num('vacancies'), seed: num('seed') };
  const outcomeBias = num('outcome-bias');
  if (demoMode) {
    const snapshot = await loadEscoSnapshot(graph.gateway);
    const fair = await writeDemoFiles(
      snapshot,
      { ...demoOptions, outcomeBias: 0 },
      path.join(outDir, 'demo'),
    );
    const skewed = await writeDemoFiles(
      snapshot,
      { ...demoOptions, outcomeBias },
      path.join(outDir, `demo-bias-${outcomeBias}`),
    );
    dataset = readDataset([fair.files.people, fair.files.fit]);
    biased = readDataset([skewed.files.people, skewed.files.fit]);
    dataLine = `demo generator (${BUILT_IN_HOUSE}): ${fair.counts.candidates} candidates, ${fair.counts.vacancies} vacancies, ${fair.counts.applications} applications, seed ${demoOptions.seed}; graded labels from its held-out fit file (${fair.counts.fitRecords} judged pairs: every application, the 20 best-fitting and 20 random non-applicants per vacancy; grade 3 fit ≥ 0.7, 2 ≥ 0.5, 1 ≥ 0.3), never loaded into the graph. A second copy with \`--outcome-bias ${outcomeBias}\` differs only in outcomes (a woman's chance to clear the hiring bar × ${(1 - outcomeBias).toFixed(2)})`;
  } else {
    dataset = readDataset(argv.file ?? []);
    dataLine = `your file(s): ${(argv.file ?? []).join(', ')}`;
  }
  const ids = datasetIds(dataset);
  progress(
    `dataset: ${ids.candidates.length} candidates, ${ids.vacancies.length} vacancies, ${dataset.judgements.size} judged vacancies`,
  );
  const tLoad = performance.now();
  const load = await loadDataset(graph.gateway, dataset, embedder, log, { store: graph.store });
  const loadSeconds = (performance.now() - tLoad) / 1000;
  progress(
    load.reused
      ? 'dataset already loaded (same fingerprint)'
      : `dataset loaded and embedded: ${elapsed(started)}`,
  );
  if (load.report && load.report.rejectedCount > 0)
    progress(
      `${load.report.rejectedCount} records rejected by the importer (first: ${JSON.stringify(load.report.issues[0])})`,
    );

  const service = createEvalRankingService(graph.gateway, embedder, reranker, config.privacy.minGroupSize);
  const isValidation = (v: string) => isValidationVacancy(v, validationShare);
  const judgedRelevant = (v: string) => [...(dataset.judgements.get(v)?.values() ?? [])].some((g) => g > 0);
  const evalVacancies = ids.vacancies
    .filter((v) => isValidation(v) && judgedRelevant(v))
    .sort()
    .slice(0, num('eval-vacancies'));
  const maxGrade = Math.max(1, ...[...dataset.judgements.values()].flatMap((m) => [...m.values()]));

  // Learned fusion: features of the current ranking for vacancies with a hire, then one fit per label set.
  const tTrain = performance.now();
  const labelSets: Array<{ key: string; name: string; data: RankingDataset }> = [
    { key: 'learned', name: 'outcomes of the dataset', data: dataset },
  ];
  if (biased)
    labelSets.push({
      key: 'learned-biased',
      name: `outcomes with --outcome-bias ${outcomeBias}`,
      data: biased,
    });
  const withHire = ids.vacancies.filter((v) =>
    labelSets.some((s) => [...(s.data.outcomes.get(v)?.values() ?? [])].includes('HIRED')),
  );
  const fits: Array<{ key: string; name: string; fit: FitResult; file: string }> = [];
  if (withHire.length > 0) {
    const ranked = await rankedFeatures(service, withHire, 200, progress);
    for (const set of labelSets) {
      const fit = fitFusionModel(ranked, set.data.outcomes, {
        isValidation,
        band,
        maxHardNegatives,
        source: demoMode
          ? `eval:ranking demo data (${BUILT_IN_HOUSE}), ${set.name}`
          : `eval:ranking ${set.name}: ${(argv.file ?? []).join(', ')}`,
        createdAt: new Date().toISOString(),
      });
      const file = path.join(outDir, `fusion-${set.key}.json`);
      fs.writeFileSync(file, `${JSON.stringify(fit.model, null, 2)}\n`);
      fits.push({ key: set.key, name: set.name, fit, file });
      progress(
        `${set.key}: ${fit.model.name} from ${fit.train.lists.length} vacancies, ${fit.model.training.pairs} pairs → ${path.relative(PROJECT_ROOT, file)}`,
      );
    }
  } else {
    progress('no HIRED outcomes in the dataset: learned fusion skipped');
  }
  const trainSeconds = (performance.now() - tTrain) / 1000;
  let external: FusionModel | undefined;
  if (argv['fusion-model'])
    external = parseFusionModel(JSON.parse(fs.readFileSync(argv['fusion-model'], 'utf8')) as unknown);

  // The rows, all over the same held-out vacancies.
  const ctx: EvalContext = {
    service,
    gateway: graph.gateway,
    dataset,
    vacancies: evalVacancies,
    qualifiedGrade: 2,
    maxGrade,
    log: progress,
  };
  const lexical = {
    index: await lexicalIndex(graph.gateway, ids.candidates),
    texts: await vacancyTexts(graph.gateway, evalVacancies),
  };
  const specs: RowSpec[] = ablationRows();
  for (const f of fits) {
    specs.push({
      key: f.key,
      name:
        f.key === 'learned'
          ? `+ learned fusion (${f.fit.model.name}, fitted to HIRED vs REJECTED)`
          : `learned fusion fitted to biased outcomes (${f.fit.model.name}, --outcome-bias ${outcomeBias})`,
      weights: f.fit.model.weights,
      useReranker: true,
    });
  }
  if (external)
    specs.push({
      key: 'external',
      name: `learned fusion from --fusion-model (${external.name})`,
      weights: external.weights,
      useReranker: true,
    });
  const rows: RowResult[] = [];
  for (const spec of specs) rows.push(await runRow(ctx, spec, { lexical }));
  progress(`trained cross-encoder: ${describeTrainedLookup(trained, DEFAULT_RERANKER, 'reranker')}`);
  if (trainedReranker) {
    const trainedService = createEvalRankingService(
      graph.gateway,
      embedder,
      trainedReranker,
      config.privacy.minGroupSize,
    );
    rows.push(
      await runRow(
        { ...ctx, service: trainedService },
        {
          key: 'cross-trained',
          name: `+ trained cross-encoder ${trainedReranker.info.name} (sha256 ${trainedReranker.info.sha256.slice(0, 12)}…) on the top 30 instead (hand-set weights)`,
          weights: DEFAULT_WEIGHTS,
          useReranker: true,
        },
        { lexical },
      ),
    );
  }
  const byKey = (key: string) => rows.find((r) => r.spec.key === key);
  const constrained: RowResult[] = [];
  for (const key of ['cross', 'learned', 'learned-biased']) {
    const base = byKey(key);
    if (!base?.spec.weights) continue;
    constrained.push(
      await runRow(
        ctx,
        {
          ...base.spec,
          key: `${key}+constraint`,
          name: `${base.spec.name.split(' (')[0]} + minGroupShare ${constraint.group} ≥ ${constraint.minShare} of the top 10`,
          constraint,
        },
        { base: base.run },
      ),
    );
  }

  // Tables.
  const fair = (r: RowResult) => r.fairness;
  const headers = [
    'Configuration',
    'Recall@100',
    'nDCG@10',
    'MRR@10',
    'P@10',
    'MAP@10',
    'ERR@10',
    'DP diff',
    'DI ratio',
    'EO diff',
    'EOdds diff',
    'Exposure ratio',
    'ms / vacancy',
  ];
  const line = (r: RowResult) => [
    r.spec.name,
    fmt(r.scores.recall100),
    fmt(r.scores.ndcg10),
    fmt(r.scores.mrr10),
    fmt(r.scores.precision10),
    fmt(r.scores.map10),
    fmt(r.scores.err10),
    fmt(fair(r).demographicParityDifference),
    fmt(fair(r).disparateImpactRatio),
    fmt(fair(r).equalOpportunityDifference),
    fmt(fair(r).equalizedOddsDifference),
    fmt(fair(r).exposureRatio),
    r.timings.calls > 0 ? (r.timings.total / r.timings.calls).toFixed(0) : '—',
  ];
  const align = headers.map((_, i) => (i === 0 ? 'l' : 'r')) as Array<'l' | 'r'>;
  const ablationTable = markdownTable(headers, rows.map(line), align);
  const constraintTable = markdownTable(
    headers,
    [...rows.filter((r) => ['cross', 'learned', 'learned-biased'].includes(r.spec.key)), ...constrained].map(
      line,
    ),
    align,
  );
  const groupsTable = markdownTable(
    [
      'Configuration',
      'Group',
      'in top-100 slates',
      'selection rate into the top 10',
      'mean exposure',
      'TPR (qualified reaching the top 10)',
      'FPR',
    ],
    [...rows, ...constrained]
      .filter((r) => r.spec.key !== 'embedding' && r.spec.key !== 'skills' && r.spec.key !== 'ideal')
      .flatMap((r) =>
        r.fairness.groups.map((g) => [
          r.spec.name.split(' (')[0] ?? r.spec.name,
          g.group,
          String(g.slotted),
          fmt(g.selectionRate),
          fmt(g.exposure),
          fmt(g.truePositiveRate),
          fmt(g.falsePositiveRate),
        ]),
      ),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
  );

  // Learned vs hand-set on the held-out vacancies, with a paired bootstrap.
  const qrels = qrelsOf(dataset, evalVacancies);
  const scored = [...qrels]
    .filter(([, j]) => [...j.values()].some((g) => g > 0))
    .map(([v]) => v)
    .sort();
  const perQuery = (r: RowResult) => scored.map((v) => ndcgAtK(r.run.get(v) ?? [], qrels.get(v)!, 10));
  const comparisons: string[] = [];
  // Each cross-encoder against the API default (the same ranking without one).
  const apiDefault = byKey('ideal');
  for (const key of ['cross', 'cross-trained']) {
    const row = byKey(key);
    if (!apiDefault || !row) continue;
    const d = pairedBootstrap(perQuery(row), perQuery(apiDefault));
    comparisons.push(
      `- **${key === 'cross' ? 'Generic' : 'Trained'} cross-encoder on the top 30** (${row.spec.name.replace(/^\+ /, '')}): nDCG@10 ${fmt(mean(perQuery(row)))} vs ${fmt(mean(perQuery(apiDefault)))} without a cross-encoder (the API default), Δ ${d.mean >= 0 ? '+' : ''}${fmt(d.mean)} (paired bootstrap 95% [${fmt(d.low)}, ${fmt(d.high)}], ${scored.length} vacancies); ${row.timings.calls > 0 ? (row.timings.total / row.timings.calls).toFixed(0) : '—'} vs ${apiDefault.timings.calls > 0 ? (apiDefault.timings.total / apiDefault.timings.calls).toFixed(0) : '—'} ms per vacancy.`,
    );
  }
  const hand = byKey('cross');
  for (const f of fits) {
    const row = byKey(f.key);
    if (!hand || !row) continue;
    const d = pairedBootstrap(perQuery(row), perQuery(hand));
    const v = f.fit.model.metrics.validation;
    const o = (m: Record<string, number | null> | undefined, k: string) => fmt(m?.[k] ?? null);
    comparisons.push(
      `- **${f.key === 'learned' ? 'Learned fusion' : 'Learned fusion on biased outcomes'}** (${f.fit.model.name}; ${f.fit.train.lists.length} training vacancies with a hire in reach, ${f.fit.model.training.pairs} pairs, ${f.fit.train.hardNegatives} hard negatives, ${f.fit.train.hiresOutOfReach} hires ranked below 200 and left out): ` +
        `held-out nDCG@10 ${fmt(mean(perQuery(row)))} vs hand-set ${fmt(mean(perQuery(hand)))}, Δ ${d.mean >= 0 ? '+' : ''}${fmt(d.mean)} (paired bootstrap 95% [${fmt(d.low)}, ${fmt(d.high)}], ${scored.length} vacancies); ` +
        `on the held-out outcomes (${String(v.learned?.vacancies ?? 0)} validation vacancies with a hire: the hire among its rejected applicants) hire MRR ${o(v.learned, 'hireMrr')} vs ${o(v.handSet, 'hireMrr')}, pairwise accuracy ${o(v.learned, 'pairwiseAccuracy')} vs ${o(v.handSet, 'pairwiseAccuracy')}.`,
    );
  }
  const weightsTable = markdownTable(
    ['Weights', ...FEATURE_NAMES],
    [
      ['hand-set (default)', ...FEATURE_NAMES.map((n) => fmt(DEFAULT_WEIGHTS[n]))],
      ...fits.map((f) => [
        `${f.key} (${f.fit.model.name})`,
        ...FEATURE_NAMES.map((n) => fmt(f.fit.model.weights[n])),
      ]),
    ],
    ['l', ...FEATURE_NAMES.map(() => 'r' as const)],
  );
  const stageLine = rows
    .filter((r) => r.spec.weights !== null && r.timings.calls > 0)
    .map(
      (r) =>
        `${r.spec.key}: retrieve ${(r.timings.retrieve / r.timings.calls).toFixed(0)}, features ${(r.timings.features / r.timings.calls).toFixed(0)}, rerank ${(r.timings.rerank / r.timings.calls).toFixed(0)} ms`,
    )
    .join('; ');

  const date = new Date().toISOString();
  const caption = `Candidate ranking, ${date.slice(0, 10)}: ${scored.length} held-out vacancies (${Math.round(validationShare * 100)} % of vacancies by a hash of the id, those with a relevant judgement${evalVacancies.length < ids.vacancies.filter((v) => isValidation(v) && judgedRelevant(v)).length ? `, first ${evalVacancies.length} by id` : ''}). Each row ranks every vacancy's candidates (the API's default retrieval: vector index ∪ graph recall, 500 each) and keeps the top 100.`;
  process.stdout.write(`${caption}\n\n${ablationTable}\n\n${constraintTable}\n\n${comparisons.join('\n')}\n`);

  const seconds = (performance.now() - started) / 1000;
  const runLog = recordRun(config, demoMode ? 'eval-ranking' : 'eval-ranking-file', {
    date,
    seconds,
    labelSeconds: 0,
  });
  if (!argv['no-doc'] && demoMode) {
    fs.mkdirSync(CHART_DIR, { recursive: true });
    const chartCaption = [
      `Data: ${demoMode ? 'demo generator, built in-house (synthetic; hidden-fit graded labels)' : 'your file'}; ${scored.length} held-out vacancies.`,
      'Source: src/demo (TalentGraph), ESCO v1.1.1 skills and occupations. This service uses the ESCO classification of the European Commission.',
      `Command: npm run eval:ranking (${date.slice(0, 10)}).`,
    ];
    const all = [...rows, ...constrained];
    const short = (r: RowResult) => r.spec.name.split(' (')[0] ?? r.spec.name;
    fs.writeFileSync(
      path.join(CHART_DIR, 'ranking-ablation.svg'),
      barChartSvg({
        title: 'Candidate ranking: ablation (built in-house data)',
        caption: chartCaption,
        categories: rows.map(short),
        series: [
          { name: 'Recall@100', values: rows.map((r) => r.scores.recall100) },
          { name: 'nDCG@10', values: rows.map((r) => r.scores.ndcg10) },
          { name: 'MRR@10', values: rows.map((r) => r.scores.mrr10) },
        ],
        max: 1,
      }),
    );
    fs.writeFileSync(
      path.join(CHART_DIR, 'ranking-fairness.svg'),
      barChartSvg({
        title: 'Candidate ranking: fairness by gender in the top 10 (built in-house data)',
        caption: chartCaption,
        categories: all.map(short),
        series: [
          { name: 'DI ratio (1 = parity)', values: all.map((r) => r.fairness.disparateImpactRatio) },
          { name: 'Exposure ratio', values: all.map((r) => r.fairness.exposureRatio) },
          { name: 'EO difference', values: all.map((r) => r.fairness.equalOpportunityDifference) },
          { name: 'nDCG@10', values: all.map((r) => r.scores.ndcg10) },
        ],
        max: 1,
      }),
    );
    writeDocSection(
      'eval:ranking',
      `## Candidate ranking, stage by stage (\`npm run eval:ranking\`)

**Built in-house.** Data: ${dataLine}. Source: \`src/demo\` (this repository) over ESCO v1.1.1 (\`../shared/esco\`). This service uses the ESCO classification of the European Commission.

Command: \`npm run eval:ranking\` (= \`tsx scripts/eval-ranking.ts\`: its own Neo4j on port ${argv.port}, store \`${argv.store}\`, the served models ${embedder.info.name} and ${reranker.info.name}). Date: ${date}. Machine: ${machineDescription()} (shared with other work while measured). Run time: ${(seconds / 60).toFixed(1)} min (${load.reused ? 'dataset already in the store' : `dataset loaded and embedded in ${loadSeconds.toFixed(0)} s`}; learned fusion: features of ${withHire.length} vacancies with a hire and both fits, ${trainSeconds.toFixed(0)} s; the rest ranking ${evalVacancies.length} vacancies ${rows.length + constrained.length} times); ${runLog.length} run(s) logged in \`CACHE_DIR/eval/eval-ranking.runs.jsonl\`.

${caption} Graded relevance 0–3 (nDCG uses gain 2^g − 1; MRR@10, P@10, MAP@10 and Recall@100 count grade ≥ 1 as relevant; ERR@10 with maximum grade ${maxGrade}). Fairness by gender over the same lists, micro-averaged over vacancies (\`src/eval/rankingSummary.ts\`): DP diff = demographic parity difference and DI ratio = disparate-impact ratio of selection into the top 10 among each top-100 slate; EO diff = equal-opportunity difference (true positive rate of *qualified* candidates, grade ≥ 2, reaching the top 10); EOdds diff = equalized-odds difference; exposure ratio = min / max mean 1/log2(1+rank) over the slate; groups below 5 % of the slots (nonbinary, undisclosed) are left out.

![ablation](charts/ranking-ablation.svg)

${ablationTable}

Learned fusion (\`npm run train:fusion\` fits the same model to a deployment's own graph): a linear fusion over the same features (\`src/ranking/learnedFusion.ts\`) fitted on the *training* vacancies (the other ${Math.round((1 - validationShare) * 100)} %) to HIRED vs REJECTED applications with a pairwise logistic loss weighted by |ΔnDCG| (LambdaRank), hard negatives mined from ranks ${band[0] * 100}–${band[1] * 100} % of the current ranking (at most ${maxHardNegatives} non-applicants per vacancy, never the top 10), L2 towards the hand-set weights. Fixed hyper-parameters, no tuning on the held-out vacancies.

The API keeps the hand-set weights unless \`FUSION_MODEL\` names an artifact (its name then appears in every ranking's \`meta.fusionModel\`): a model fitted to one deployment's hires and rejections carries that deployment's habits and biases, so it is opt-in, after reading its validation figures and the fairness rows below.

${comparisons.join('\n')}

${weightsTable}

Per-stage mean times (ms per vacancy, from \`meta.timingsMs\`): ${stageLine}.

### Fairness under learned fusion, and what the constraint costs

The features hold no sensitive attribute (a test feeds a candidate with a gender to the feature builder and checks the vector is unchanged), so biased outcomes can only move the model through features that correlate with gender. The rows below compare the hand-set weights, the model fitted to unbiased outcomes and the model fitted to outcomes where women were hired less (\`--outcome-bias ${outcomeBias}\`), each without and with the API's \`minGroupShare\` constraint (${constraint.group} ≥ ${constraint.minShare} of the top 10, \`options.fairness\`).

![fairness](charts/ranking-fairness.svg)

${constraintTable}

${groupsTable}
`,
    );
    progress('docs/evaluation.md updated (section eval:ranking), charts in docs/charts/');
  }
  progress(`done in ${elapsed(started)}`);
} finally {
  await embedder.close();
  await reranker.close();
  await trainedReranker?.close();
  await graph.close();
}
