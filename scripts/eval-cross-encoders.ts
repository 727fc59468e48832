import { parseArgs } from 'node:util';
import { devEvalPart } from '../src/eval/devSplit.js';
import { everyNth, parseHahuPostings } from '../src/eval/evalData.js';
import {
  EvalHarness,
  elapsed,
  exactTitleRun,
  fuseTitleRuns,
  idsRun,
  machineDescription,
  JOBBERT_FILE,
  MELO_DIR,
  progress,
  readEvalFile,
  readTitleSets,
  recordRun,
  runTimesLine,
  titleRuns,
  writeDocSection,
} from '../src/eval/harness.js';
import { hitAtK, reciprocalRankAtK, type Judgements } from '../src/eval/metrics.js';
import { fmt, markdownTable, pairedBootstrap, perQueryValues, summarize } from '../src/eval/report.js';
import type { Embedder } from '../src/inference/index.js';
import type { Scored } from '../src/ranking/rankFusion.js';
import {
  TITLE_FUSION,
  type ConceptSearchService,
  type SearchMode,
} from '../src/services/conceptSearchService.js';

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
const HAHU_FILE = 'vacancies/hahu-postings.dev.csv';
/** normalizeJobTitle accepts at most 200 characters. */
const MAX_TITLE = 200;

const SETS = ['job', 'melo', 'hahu'] as const;
type SetName = (typeof SETS)[number];
type Runs = Record<SetName, Map<string, Scored[]>>;

interface Row {
  readonly name: string;
  readonly runs: Map<SetName, Map<string, string[]>>;
  readonly msPerTitle: number | null;
}

const started = performance.now();
const harness = await EvalHarness.open();
try {
  const { jobbert, melo } = readTitleSets();
  const occupations = await harness.occupations();
  const uriByCode = new Map(occupations.map((o) => [o.code, o.uri]));
  const postings = parseHahuPostings(readEvalFile(HAHU_FILE));
  const devJob = everyNth(devEvalPart('jobbert', jobbert), EVERY);
  const devMelo = devEvalPart('melo', melo);
  const queries: Record<SetName, Array<{ id: string; text: string }>> = {
    job: devJob,
    melo: devMelo,
    hahu: postings.map((p) => ({ id: p.id, text: p.title.slice(0, MAX_TITLE) })),
  };
  const gold: Record<SetName, Map<string, readonly string[]>> = {
    job: new Map(devJob.map((q) => [q.id, q.gold])),
    melo: new Map(devMelo.map((q) => [q.id, q.gold])),
    hahu: new Map(postings.map((p) => [p.id, uriByCode.has(p.escoCode) ? [uriByCode.get(p.escoCode)!] : []])),
  };
  progress(
    `dev-eval parts: JobBERT ${queries.job.length} titles (every ${EVERY}th), MELO ${queries.melo.length}; HaHu ${postings.length} postings`,
  );

  const rows: Row[] = [];
  const addRow = (name: string, runs: Runs, msPerTitle: number | null = null) =>
    rows.push({ name, runs: new Map(SETS.map((set) => [set, idsRun(runs[set])])), msPerTitle });
  const serviceRuns = async (svc: ConceptSearchService, mode: SearchMode) => {
    const t = performance.now();
    const job = await titleRuns(svc, queries.job, 'en', mode, K);
    const msPerTitle = (performance.now() - t) / Math.max(1, queries.job.length);
    const runs: Runs = {
      job,
      melo: await titleRuns(svc, queries.melo, 'fr', mode, K),
      hahu: await titleRuns(svc, queries.hahu, 'en', mode, K),
    };
    return { runs, msPerTitle };
  };

  const servedName = harness.config.inference.embeddingModel;
  const served = await harness.embedder(servedName);
  const generic = await harness.reranker();
  const trained = await harness.trainedReranker();
  const trainedBi = await harness.trainedEmbedder();
  progress(`trained bi-encoder: ${trainedBi.message}`);
  progress(`trained cross-encoder: ${trained.message}`);

  // ---- bi-encoders: exact search over all occupation labels, alone and fused with lexical --------
  // The service without a cross-encoder: its LEXICAL runs here, its HYBRID row below.
  const plain = await harness.service(served, null);
  const lexical = await serviceRuns(plain, 'LEXICAL');
  addRow('Lexical: fulltext (service LEXICAL)', lexical.runs);
  const exact = async (embedder: Embedder, what: string) => {
    const t = performance.now();
    const index = await harness.labelIndex(embedder, occupations);
    const runs = {} as Runs;
    for (const set of SETS) runs[set] = await exactTitleRun(embedder, index, queries[set], K);
    addRow(`Dense exact: ${what}`, runs);
    const hybrid = {} as Runs;
    for (const set of SETS) hybrid[set] = fuseTitleRuns(lexical.runs[set], runs[set], K);
    addRow(`Hybrid: lexical + ${what} exact, service fusion`, hybrid);
    progress(`${what}: exact search and fusion ${elapsed(t)}`);
  };
  await exact(served, `generic ${served.info.name}`);
  if (trainedBi.embedder) {
    await exact(
      trainedBi.embedder,
      `trained ${trainedBi.embedder.info.name} (sha256 ${trainedBi.embedder.info.sha256.slice(0, 12)}…)`,
    );
    await trainedBi.embedder.close();
  }

  // ---- cross-encoders, through the service ------------------------------------------------------
  const anyLanguage = { rerankTitlesInAnyLanguage: true };
  const configs: Array<{ name: string; mode: SearchMode; svc: ConceptSearchService }> = [
    {
      name: 'Hybrid (service HYBRID, the default)',
      mode: 'HYBRID',
      svc: plain,
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
  for (const c of configs) {
    const t = performance.now();
    const { runs, msPerTitle } = await serviceRuns(c.svc, c.mode);
    addRow(c.name, runs, msPerTitle);
    progress(`${c.name}: ${elapsed(t)}`);
  }
  await trained.reranker?.close();
  await generic.close();
  await served.close();

  const mrr = (ranked: readonly string[], j: Judgements) => reciprocalRankAtK(ranked, j, 10);
  const acc5 = (ranked: readonly string[], j: Judgements) => hitAtK(ranked, j, 5);
  const base = rows.find((r) => r.name.startsWith('Hybrid (service HYBRID'))!;
  const perQuery = (row: Row, set: SetName, metric: typeof mrr) =>
    perQueryValues(
      row.runs.get(set)!,
      gold[set],
      queries[set].map((q) => q.id),
      metric,
    );
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${fmt(Math.abs(x))}`;
  const delta = (row: Row, set: SetName, metric = mrr) => {
    if (row === base) return '—';
    const d = pairedBootstrap(perQuery(row, set, metric), perQuery(base, set, metric));
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
      'HaHu Acc@1',
      'Acc@5',
      'MRR@10',
      'Δ Acc@5 vs hybrid',
    ],
    rows.map((row) => {
      const job = summarize(row.runs.get('job')!, gold.job);
      const m = summarize(row.runs.get('melo')!, gold.melo);
      const h = summarize(row.runs.get('hahu')!, gold.hahu);
      return [
        row.name,
        fmt(job.mrr10),
        fmt(job.recall1),
        fmt(job.recall5),
        delta(row, 'job'),
        row.msPerTitle === null ? '—' : row.msPerTitle.toFixed(1),
        fmt(m.mrr10),
        fmt(m.recall1),
        delta(row, 'melo'),
        fmt(h.hit1),
        fmt(h.hit5),
        fmt(h.mrr10),
        delta(row, 'hahu', acc5),
      ];
    }),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const caption = `Trained and generic models on data training never saw, ${new Date().toISOString().slice(0, 10)}: the JobBERT validation titles in the dev part of the training split, every ${EVERY}th (${queries.job.length}), the MELO queries in it (${queries.melo.length}), and the HaHu dev posting titles (${postings.length}; no training source). Δ: paired bootstrap over queries against the service's HYBRID, 95 % interval. ms/title: wall time per JobBERT title, 4 in flight, on this machine (service rows). Trained bi-encoder: ${trainedBi.message}. Trained cross-encoder: ${trained.message}.`;
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
      `## Trained models on data training never saw (\`npm run eval:cross-encoders\`)

Data: the dev-eval parts of \`../shared/eval/${JOBBERT_FILE}\` and \`../shared/eval/${MELO_DIR}/\` under the hash split that \`npm run train:models\` trains on (\`src/eval/devSplit.ts\`, the same rule as \`scripts/train/data.py\`: sha256 of \`<set>:\` + the lowercased, whitespace-collapsed query, mod 10 ≥ 7). The rows of \`eval:titles\` above sample all of JobBERT validation, whose train part the trained models have seen; these rows do not. HaHu (\`../shared/eval/${HAHU_FILE}\`) is no training source, so all its postings count; its rows here are on the posting title only (\`eval:postings\` has the title + first sentence variant).

Command: \`npm run eval:cross-encoders\` (= \`tsx scripts/eval-cross-encoders.ts\`; \`--every ${EVERY}\`). Date: ${new Date().toISOString()}. Machine: ${machineDescription()}. Run time — ${runTimesLine(log)}.

${caption}

${table}

The *Dense exact* rows embed every occupation label (en and fr, preferred and alternative) with that model as passages and the cleaned title as a query, exact cosine search in memory; the *Hybrid: lexical + … exact* rows fuse the service's lexical list with it as the service fuses titles (weighted RRF k = ${TITLE_FUSION.k}, lexical weight ${TITLE_FUSION.lexicalWeight}): what HYBRID would give with that bi-encoder served (\`npm start\` serves the trained bi-encoder when one is present, \`TRAINED_MODELS=auto\`). The last rows are the service's \`normalizeJobTitle\` with the served generic bi-encoder through the Neo4j label index; the cross-encoder rows rerank the fused top 20 against preferred labels, French titles included (the service itself keeps French titles in their fused order: \`FRENCH_TITLES_NOT_RERANKED\`, because of the MELO column here).
`,
    );
    progress('docs/evaluation.md updated (section eval:cross-encoders)');
  }
  progress(`done in ${elapsed(started)}`);
} finally {
  await harness.close();
}
