/**
 * Fits the confidence models of normalizeJobTitle and extractSkills on the public dev sets and
 * writes them to `src/services/calibration.json` (read by the service at start).
 *
 *   npx tsx scripts/calibrate.ts [--every N] [--refit] [--no-doc]
 *
 * Collect (needs the graph with label embeddings, as `npm run eval:titles|skills`): runs the
 * service in its default mode on every N-th JobBERT validation title (default 40), all MELO
 * queries, and all TECH / HOUSE validation sentences; records each returned match's features and
 * whether it is gold in `tests/fixtures/calibration/dev-features.json`. Every query falls in a fit
 * part (70 %) or a report part by a hash of its id (`calibrationPart`). Fit: logistic regression on
 * the fit part, no-match threshold by Youden's J there. Report: reliability table and ECE on the
 * report part only, beside the raw fused score and the raw cosine as baselines, in
 * docs/evaluation.md (section calibration). `--refit` skips collecting and refits the committed
 * features (no graph needed); tests/unit/calibration.test.ts checks the committed models are
 * what it gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import {
  fitAll,
  reportOperation,
  toFeatureRow,
  type CalibrationFeatures,
  type FeatureQuery,
} from '../src/eval/calibrationFit.js';
import { everyNth, parseJobbertTitles, parseMelo, parseSkillSentences } from '../src/eval/evalData.js';
import {
  EvalHarness,
  machineDescription,
  mapLimit,
  progress,
  readEvalFile,
  writeDocSection,
} from '../src/eval/harness.js';
import { markdownTable } from '../src/eval/report.js';
import { calibrationPart, type ReliabilityBin } from '../src/services/calibration.js';
import { DEFAULT_SKILL_MODE, DEFAULT_TITLE_MODE } from '../src/services/conceptSearchService.js';

const { values: argv } = parseArgs({
  options: {
    every: { type: 'string', default: '40' },
    refit: { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
  },
});
const EVERY = Number(argv.every);
if (!Number.isInteger(EVERY) || EVERY < 1)
  throw new Error(`--every must be a positive integer (got ${argv.every})`);

export const FEATURES_FILE = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'calibration', 'dev-features.json');
export const MODEL_FILE = path.join(PROJECT_ROOT, 'src', 'services', 'calibration.json');
/** Matches recorded per query: the default k of each operation. */
const TITLE_K = 5;
const SKILL_K = 10;

/** Retries a call the gateway refused while its breaker was open (a loaded machine, not a dead database). */
async function retrying<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 40 || (error as { code?: string }).code !== 'SERVICE_UNAVAILABLE') throw error;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  }
}

async function collect(): Promise<CalibrationFeatures> {
  const harness = await EvalHarness.open();
  try {
    const served = await harness.embedder(harness.config.inference.embeddingModel);
    const service = await retrying(() => harness.service(served, null));
    const titles: FeatureQuery[] = [];
    const jobbert = everyNth(
      parseJobbertTitles(readEvalFile('job-titles/jobbert-titles.validation.csv')),
      EVERY,
    );
    const meloDir = 'job-titles/melo-bel_q_fr_c_fr';
    const melo = parseMelo({
      queries: readEvalFile(`${meloDir}/queries.tsv`),
      annotations: readEvalFile(`${meloDir}/annotations.tsv`),
      conceptMapping: readEvalFile(`${meloDir}/concept_mapping.tsv`),
    });
    for (const [set, queries, lang] of [
      ['jobbert', jobbert, 'en'],
      ['melo', melo, 'fr'],
    ] as const) {
      const started = performance.now();
      const answers = await mapLimit(queries, 2, (q) =>
        retrying(() =>
          service.normalizeJobTitle({ title: q.text, lang, k: TITLE_K, mode: DEFAULT_TITLE_MODE }),
        ),
      );
      queries.forEach((q, i) => {
        const id = `${set}:${q.id}`;
        titles.push({
          id,
          part: calibrationPart(id),
          rows: answers[i]!.hits.map((h) => toFeatureRow(h.features!, q.gold.includes(h.uri) ? 1 : 0)),
        });
      });
      progress(`titles ${set}: ${queries.length} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const skills: FeatureQuery[] = [];
    const concepts = await retrying(() => harness.skills());
    const uriByLabel = new Map(concepts.map((s) => [s.preferredLabel.toLowerCase(), s.uri]));
    for (const set of ['tech', 'house'] as const) {
      const started = performance.now();
      const queries = parseSkillSentences(readEvalFile(`skill-extraction/${set}_validation.csv`), `${set}-`);
      const answers = await mapLimit(queries, 2, (q) =>
        retrying(() => service.extractSkills({ text: q.text, k: SKILL_K, mode: DEFAULT_SKILL_MODE })),
      );
      queries.forEach((q, i) => {
        const gold = new Set(q.gold.flatMap((l) => uriByLabel.get(l.toLowerCase()) ?? []));
        const id = `${set}:${q.id}`;
        skills.push({
          id,
          part: calibrationPart(id),
          rows: answers[i]!.hits.map((h) => toFeatureRow(h.features!, gold.has(h.uri) ? 1 : 0)),
        });
      });
      progress(`skills ${set}: ${queries.length} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const skillLabelsMissing = !(await service
      .extractSkills({ text: 'use Python', k: 1 })
      .then((r) => r.stages.dense > 0));
    await served.close();
    return {
      meta: {
        date: new Date().toISOString(),
        model: harness.config.inference.embeddingModel,
        jobbertEvery: EVERY,
        titleMode: DEFAULT_TITLE_MODE,
        skillMode: DEFAULT_SKILL_MODE,
        skillDenseStage: skillLabelsMissing ? 'absent (skill-label embeddings incomplete)' : 'present',
      },
      titles,
      skills,
    };
  } finally {
    await harness.close();
  }
}

const data: CalibrationFeatures = argv.refit
  ? (JSON.parse(fs.readFileSync(FEATURES_FILE, 'utf8')) as CalibrationFeatures)
  : await collect();
if (!argv.refit) {
  fs.mkdirSync(path.dirname(FEATURES_FILE), { recursive: true });
  fs.writeFileSync(FEATURES_FILE, `${JSON.stringify(data)}\n`);
}
const models = fitAll(data);
fs.writeFileSync(MODEL_FILE, `${JSON.stringify(models, null, 2)}\n`);
progress(`wrote ${path.relative(PROJECT_ROOT, MODEL_FILE)}`);

const f3 = (x: number) => x.toFixed(3);
const binsTable = (rel: {
  calibrated: { bins: ReliabilityBin[] };
  fused: { bins: ReliabilityBin[] };
  cosine: { bins: ReliabilityBin[] };
}) =>
  markdownTable(
    [
      'Predicted',
      'calibrated: n',
      'mean conf.',
      'observed',
      'fused score: n',
      'observed',
      'cosine: n',
      'observed',
    ],
    rel.calibrated.bins.map((b, i) => {
      const fu = rel.fused.bins[i]!;
      const co = rel.cosine.bins[i]!;
      const cell = (x: ReliabilityBin) => (x.count ? [String(x.count), f3(x.accuracy)] : ['0', '—']);
      return [
        `${b.from.toFixed(1)}–${b.to.toFixed(1)}`,
        String(b.count),
        b.count ? f3(b.meanConfidence) : '—',
        b.count ? f3(b.accuracy) : '—',
        ...cell(fu),
        ...cell(co),
      ];
    }),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
const sections = (['titles', 'skills'] as const).map((op) => {
  const r = reportOperation(data[op], models[op]);
  const a = r.abstention;
  const summary = markdownTable(
    ['Confidence', 'ECE (report part)'],
    [
      ['**calibrated (served)**', f3(r.calibrated.ece)],
      ['baseline: raw fused rank score', f3(r.fused.ece)],
      ['baseline: raw cosine of the best label (vector index score)', f3(r.cosine.ece)],
    ],
    ['l', 'r'],
  );
  const title =
    op === 'titles'
      ? 'normalizeJobTitle (JobBERT 1/' + String(data.meta.jobbertEvery) + ' + MELO)'
      : 'extractSkills (TECH + HOUSE)';
  return `### ${title}

Report part: ${r.queries} queries, ${r.matches} returned matches (top ${op === 'titles' ? TITLE_K : SKILL_K}), ${r.positives} gold. No-match threshold (fit part, Youden's J on "a gold concept is in the answer"): **${models[op].noMatchThreshold}**. On the report part \`noMatch\` is set for ${(a.noMatchShare * 100).toFixed(1)} % of the queries; top-1 accuracy ${f3(a.top1WhenAnswered)} where it is not set vs ${f3(a.top1WhenNoMatch)} where it is (all: ${f3(a.top1All)}); gold in the answer ${f3(a.goldInAnswerWhenAnswered)} vs ${f3(a.goldInAnswerWhenNoMatch)}.

${summary}

${binsTable(r)}
`;
});
const body = `## Calibrated confidence (\`npm run calibrate\`)

Command: \`npm run calibrate\` (= \`tsx scripts/calibrate.ts\`; \`--every ${String(data.meta.jobbertEvery)}\`; \`--refit\` refits the committed features without a graph). Features collected ${String(data.meta.date)} with ${String(data.meta.model)}, default modes (titles ${String(data.meta.titleMode)}, skills ${String(data.meta.skillMode)}; skill dense stage: ${String(data.meta.skillDenseStage)}). Machine: ${machineDescription()}.

Each returned match gets a calibrated probability that it is a gold concept: logistic regression (Newton, L2 0.01) on the features the search computes anyway — fused rank score, log rank, cosine of the nearest label, 1/rank in the lexical and in the dense list and their product (stage agreement), margin to the next candidate, share of the label's words that are whole words of the text, and the lookalike flag. Queries are split by an FNV-1a hash of their id: 70 % fit the model and choose the no-match threshold, the other 30 % (never seen by the fit) give the figures below. Observed = share of the matches in the bin that are gold. ECE = count-weighted mean |observed − predicted| over 10 equal-width bins. Baselines: the raw score the API used to return (fused reciprocal-rank value) and the raw vector-index score, read as probabilities. Only the dev sets are used (no test split). The fitted numbers live in \`src/services/calibration.json\` (committed: the service needs them at start and cannot fit without the dev data; \`tests/unit/calibration.test.ts\` refits \`tests/fixtures/calibration/dev-features.json\` and checks the committed file equals the result).

${sections.join('\n')}`;
process.stdout.write(`${body}\n`);
if (!argv['no-doc']) {
  writeDocSection('calibration', body);
  progress('docs/evaluation.md updated (section calibration)');
}
