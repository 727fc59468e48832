/**
 * The cross-encoders on titles the trained models never saw: the dev-eval parts of the hash split
 * `npm run train:models` trains on (src/eval/devSplit.ts = scripts/train/data.py `split_of`), i.e.
 * JobBERT validation titles in the dev part (every N-th) and the MELO queries in it.
 *
 *   npx tsx scripts/eval-cross-encoders.ts [--every N] [--no-doc]
 *
 * Rows, all through the service (`normalizeJobTitle`, served bi-encoder, Neo4j label indexes):
 * HYBRID (the default), HYBRID_RERANK with the generic cross-encoder, HYBRID_RERANK with the
 * trained one (`CACHE_DIR/models/trained`, left out with the reason when absent or rejected). The
 * cross-encoder rows rerank French titles too here (the service does not:
 * FRENCH_TITLES_NOT_RERANKED), which is the evidence for that rule. Paired bootstrap against
 * HYBRID, wall ms per JobBERT title. Rewrites the `eval:cross-encoders` section of
 * docs/evaluation.md. Needs the graph with label embeddings (`npm start`, or `npm run eval`).
 */
import { parseArgs } from 'node:util';
import { devEvalPart } from '../src/eval/devSplit.js';
import { everyNth } from '../src/eval/evalData.js';
import {
  EvalHarness,
  elapsed,
  idsRun,
  machineDescription,
  JOBBERT_FILE,
  MELO_DIR,
  progress,
  readTitleSets,
  recordRun,
  runTimesLine,
  titleRuns,
  writeDocSection,
} from '../src/eval/harness.js';
import { reciprocalRankAtK } from '../src/eval/metrics.js';
import { fmt, markdownTable, pairedBootstrap, perQueryValues, summarize } from '../src/eval/report.js';
import type { ConceptSearchService, SearchMode } from '../src/services/conceptSearchService.js';

const { values: argv } = parseArgs({
  options: {
    every: { type: 'string', default: '5' },
    'no-doc': { type: 'boolean', default: false },
  },
});
const EVERY = Number(argv.every);
if (!Number.isInteger(EVERY) || EVERY < 1)
  throw new Error(`--every must be a positive integer (got ${argv.every})`);
const K = 50;

interface Row {
  readonly name: string;
  readonly job: Map<string, string[]>;
  readonly melo: Map<string, string[]>;
  readonly msPerTitle: number;
}

const started = performance.now();
const harness = await EvalHarness.open();
try {
  const { jobbert, melo } = readTitleSets();
  const devJob = everyNth(devEvalPart('jobbert', jobbert), EVERY);
  const devMelo = devEvalPart('melo', melo);
  const goldJob = new Map(devJob.map((q) => [q.id, q.gold]));
  const goldMelo = new Map(devMelo.map((q) => [q.id, q.gold]));
  progress(`dev-eval parts: JobBERT ${devJob.length} titles (every ${EVERY}th), MELO ${devMelo.length}`);

  const served = await harness.embedder(harness.config.inference.embeddingModel);
  const generic = await harness.reranker();
  const trained = await harness.trainedReranker();
  progress(`trained cross-encoder: ${trained.message}`);
  const anyLanguage = { rerankTitlesInAnyLanguage: true };
  const configs: Array<{ name: string; mode: SearchMode; svc: ConceptSearchService }> = [
    {
      name: 'Hybrid (service HYBRID, the default)',
      mode: 'HYBRID',
      svc: await harness.service(served, null),
    },
    {
      name: `Hybrid + generic cross-encoder ${generic.info.name} on the top 20`,
      mode: 'HYBRID_RERANK',
      svc: await harness.service(served, generic, anyLanguage),
    },
  ];
  if (trained.reranker) {
    configs.push({
      name: `Hybrid + trained cross-encoder ${trained.reranker.info.name} (sha256 ${trained.reranker.info.sha256.slice(0, 12)}…) on the top 20`,
      mode: 'HYBRID_RERANK',
      svc: await harness.service(served, trained.reranker, anyLanguage),
    });
  }
  const rows: Row[] = [];
  for (const c of configs) {
    const t = performance.now();
    const job = await titleRuns(c.svc, devJob, 'en', c.mode, K);
    const msPerTitle = (performance.now() - t) / Math.max(1, devJob.length);
    const meloRun = await titleRuns(c.svc, devMelo, 'fr', c.mode, K);
    rows.push({ name: c.name, job: idsRun(job), melo: idsRun(meloRun), msPerTitle });
    progress(`${c.name}: ${elapsed(t)}`);
  }
  await trained.reranker?.close();
  await generic.close();
  await served.close();

  const mrr = (ranked: readonly string[], j: Parameters<typeof reciprocalRankAtK>[1]) =>
    reciprocalRankAtK(ranked, j, 10);
  const base = rows[0]!;
  const perQuery = (row: Row, set: 'job' | 'melo') =>
    set === 'job'
      ? perQueryValues(
          row.job,
          goldJob,
          devJob.map((q) => q.id),
          mrr,
        )
      : perQueryValues(
          row.melo,
          goldMelo,
          devMelo.map((q) => q.id),
          mrr,
        );
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${fmt(Math.abs(x))}`;
  const delta = (row: Row, set: 'job' | 'melo') => {
    if (row === base) return '—';
    const d = pairedBootstrap(perQuery(row, set), perQuery(base, set));
    return `${signed(d.mean)} [${signed(d.low)}, ${signed(d.high)}]`;
  };
  const table = markdownTable(
    [
      'Configuration',
      'JobBERT dev MRR@10',
      'R@1',
      'R@5',
      'Δ MRR@10 vs hybrid',
      'ms/title',
      'MELO dev MRR@10',
      'R@1',
      'Δ MRR@10 vs hybrid',
    ],
    rows.map((row) => {
      const job = summarize(row.job, goldJob);
      const m = summarize(row.melo, goldMelo);
      return [
        row.name,
        fmt(job.mrr10),
        fmt(job.recall1),
        fmt(job.recall5),
        delta(row, 'job'),
        row.msPerTitle.toFixed(1),
        fmt(m.mrr10),
        fmt(m.recall1),
        delta(row, 'melo'),
      ];
    }),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const caption = `Cross-encoders on the dev-eval parts, ${new Date().toISOString().slice(0, 10)}: the JobBERT validation titles in the dev part of the training split, every ${EVERY}th (${devJob.length}), and the MELO queries in it (${devMelo.length}). Δ: paired bootstrap over titles, 95 % interval. ms/title: wall time per JobBERT title, 4 in flight, on this machine. Trained cross-encoder: ${trained.message}.`;
  process.stdout.write(`${caption}\n\n${table}\n`);

  const seconds = (performance.now() - started) / 1000;
  const log = recordRun(harness.config, 'eval-cross-encoders', {
    date: new Date().toISOString(),
    seconds,
    labelSeconds: 0,
  });
  if (!argv['no-doc']) {
    writeDocSection(
      'eval:cross-encoders',
      `## Cross-encoders on titles training never saw (\`npm run eval:cross-encoders\`)

Data: the dev-eval parts of \`../shared/eval/${JOBBERT_FILE}\` and \`../shared/eval/${MELO_DIR}/\` under the hash split that \`npm run train:models\` trains on (\`src/eval/devSplit.ts\`, the same rule as \`scripts/train/data.py\`: sha256 of \`<set>:\` + the lowercased, whitespace-collapsed query, mod 10 ≥ 7). The rows of \`eval:titles\` above sample all of JobBERT validation, whose train part the trained models have seen; these rows do not.

Command: \`npm run eval:cross-encoders\` (= \`tsx scripts/eval-cross-encoders.ts\`; \`--every ${EVERY}\`). Date: ${new Date().toISOString()}. Machine: ${machineDescription()}. Run time — ${runTimesLine(log)}.

${caption}

${table}

Every row is the service's \`normalizeJobTitle\` with the served bi-encoder; the cross-encoder rows rerank the fused top 20 against preferred labels, French titles included (the service itself keeps French titles in their fused order: \`FRENCH_TITLES_NOT_RERANKED\`, because of the MELO column here).
`,
    );
    progress('docs/evaluation.md updated (section eval:cross-encoders)');
  }
  progress(`done in ${elapsed(started)}`);
} finally {
  await harness.close();
}
