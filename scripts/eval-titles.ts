/**
 * Job-title normalisation on the dev sets: JobBERT validation titles (English, → ESCO occupation)
 * and MELO bel_q_fr_c_fr (Belgian French titles → ESCO occupation).
 *
 *   npx tsx scripts/eval-titles.ts [--every N] [--models a,b] [--no-full] [--no-doc]
 *
 * Rows: lexical (the service in LEXICAL mode), every catalog embedding model with exact cosine
 * search over all occupation labels, RRF of lexical and the best exact model, and the served
 * configuration through the service (DENSE / HYBRID / HYBRID_RERANK over the Neo4j vector index),
 * with a title-cleaning ablation. Per-model rows use every N-th JobBERT title (default 5); the
 * served rows run on all of them too (not with --no-full, for quick checks). Prints one markdown table and rewrites its section of
 * docs/evaluation.md. Needs the graph with label embeddings of the served model (`npm start`).
 */
import { parseArgs } from 'node:util';
import { everyNth, type LabelledQuery } from '../src/eval/evalData.js';
import {
  EvalHarness,
  exactTitleRun,
  fuseTitleRuns,
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
import { baselineCheck, fmt, markdownTable, summarize, type RankingSummary } from '../src/eval/report.js';
import { EMBEDDERS, type EmbeddingKind } from '../src/inference/index.js';
import type { Scored } from '../src/ranking/rankFusion.js';
import { cleanJobTitle } from '../src/ranking/titleCleaning.js';
import { DEFAULT_TITLE_MODE, TITLE_FUSION, type SearchMode } from '../src/services/conceptSearchService.js';

const { values: argv } = parseArgs({
  options: {
    every: { type: 'string', default: '5' },
    models: { type: 'string' },
    'no-doc': { type: 'boolean', default: false },
    'no-full': { type: 'boolean', default: false },
  },
});
const EVERY = Number(argv.every);
if (!Number.isInteger(EVERY) || EVERY < 1)
  throw new Error(`--every must be a positive integer (got ${argv.every})`);
const MODELS = argv.models ? argv.models.split(',') : EMBEDDERS.map((e) => e.name);

const K = 50;

type Dataset = 'sub' | 'full' | 'melo';
interface Row {
  readonly name: string;
  readonly runs: Partial<Record<Dataset, Map<string, Scored[]>>>;
  textsPerSecond?: number;
  readonly mode?: SearchMode;
  readonly exactModel?: string;
  /** The API's default configuration (service, default mode, titles cleaned). */
  readonly isDefault?: boolean;
}

const started = performance.now();
let labelMs = 0;
const harness = await EvalHarness.open();
try {
  const { jobbert, melo } = readTitleSets();
  const sub = everyNth(jobbert, EVERY);
  const gold: Record<Dataset, Map<string, readonly string[]>> = {
    sub: new Map(sub.map((q) => [q.id, q.gold])),
    full: new Map(jobbert.map((q) => [q.id, q.gold])),
    melo: new Map(melo.map((q) => [q.id, q.gold])),
  };
  const occupations = await harness.occupations();
  const labelCount = occupations.reduce((n, c) => n + c.labels.length, 0);
  progress(
    `JobBERT ${jobbert.length} titles (every ${EVERY}th: ${sub.length}), MELO ${melo.length}; ${occupations.length} occupations, ${labelCount} labels`,
  );

  const rows: Row[] = [];
  const restrict = (run: Map<string, Scored[]>, to: readonly LabelledQuery[]) =>
    new Map(to.map((q) => [q.id, run.get(q.id) ?? []]));

  // ---- the served configuration, through the service --------------------------------------------
  const servedName = harness.config.inference.embeddingModel;
  const served = await harness.embedder(servedName);
  const reranker = await harness.reranker();
  const service = await harness.service(served, reranker);
  const serviceRaw = await harness.service(served, reranker, { cleanTitles: false });
  const serviceUntuned = await harness.service(served, reranker, {
    titleFusion: { k: 60, lexicalWeight: 1 },
  });
  const serviceRow = async (name: string, mode: SearchMode, svc = service, full = true): Promise<Row> => {
    const t = performance.now();
    const runs: Row['runs'] = {};
    if (full && !argv['no-full']) {
      runs.full = await titleRuns(svc, jobbert, 'en', mode, K);
      runs.sub = restrict(runs.full, sub);
    } else {
      runs.sub = await titleRuns(svc, sub, 'en', mode, K);
    }
    runs.melo = await titleRuns(svc, melo, 'fr', mode, K);
    progress(`${name}: ${elapsed(t)}`);
    return { name, runs, mode, isDefault: svc === service && mode === DEFAULT_TITLE_MODE };
  };
  const lexical = await serviceRow('Lexical: fulltext (service LEXICAL)', 'LEXICAL');
  rows.push(lexical);

  // ---- each embedding model, exact search over all occupation labels -----------------------------
  const throughputSample = sub.slice(0, 512).map((q) => cleanJobTitle(q.text));
  const exactRows: Row[] = [];
  for (const name of MODELS) {
    const spec = EMBEDDERS.find((e) => e.name === name);
    if (!spec) throw new Error(`unknown model ${name}`);
    const embedder = name === servedName ? served : await harness.embedder(name);
    try {
      const t = performance.now();
      const index = await harness.labelIndex(embedder, occupations);
      labelMs += performance.now() - t;
      const kinds: EmbeddingKind[] = name === servedName ? ['query', 'passage'] : ['query'];
      for (const kind of kinds) {
        const runs: Row['runs'] = {};
        for (const [set, queries] of [
          ['sub', sub],
          ['melo', melo],
        ] as const)
          runs[set] = await exactTitleRun(embedder, index, queries, K, kind);
        const precision = name.endsWith('-q') ? 'int8' : 'fp32';
        const row: Row = {
          name: `Dense exact: ${name} (${precision})${kind === 'passage' ? ', title embedded as passage' : ''}`,
          runs,
          ...(kind === 'query' ? { exactModel: name } : {}),
        };
        exactRows.push(row);
        rows.push(row);
      }
      progress(`${name}: exact search ${elapsed(t)}`);
    } finally {
      if (embedder !== served) await embedder.close();
    }
    const tps = await harness.throughput(name, throughputSample, 'query');
    for (const row of exactRows) if (row.name.startsWith(`Dense exact: ${name} (`)) row.textsPerSecond = tps;
  }

  // ---- each exact model fused with lexical as the service fuses: HYBRID as if that model served --
  const bestExact = (set: Dataset): Row | undefined =>
    exactRows
      .filter((r) => r.exactModel && r.runs[set])
      .sort(
        (a, b) =>
          summarize(idsRun(b.runs[set]!), gold[set]).mrr10 - summarize(idsRun(a.runs[set]!), gold[set]).mrr10,
      )[0];
  const bestBySet = { sub: bestExact('sub')?.exactModel, melo: bestExact('melo')?.exactModel };
  for (const dense of exactRows.filter((r) => r.exactModel)) {
    const runs: Row['runs'] = {};
    for (const set of ['sub', 'melo'] as const) {
      const lex = lexical.runs[set];
      const den = dense.runs[set];
      if (!lex || !den) continue;
      runs[set] = fuseTitleRuns(lex, den, K);
    }
    const best = (['sub', 'melo'] as const)
      .filter((set) => bestBySet[set] === dense.exactModel)
      .map((set) => (set === 'sub' ? 'JobBERT' : 'MELO'));
    rows.push({
      name: `Hybrid: lexical + ${dense.exactModel ?? ''} exact, service fusion${best.length > 0 ? ` (best dense on ${best.join(', ')})` : ''}`,
      runs,
    });
  }

  // ---- served model through Neo4j: dense, hybrid, hybrid + cross-encoder ------------------------
  const denseRow = await serviceRow(`Dense: ${servedName} via Neo4j vector index (service DENSE)`, 'DENSE');
  denseRow.textsPerSecond = exactRows.find((r) => r.exactModel === servedName)?.textsPerSecond;
  rows.push(denseRow);
  rows.push(
    await serviceRow(
      `Hybrid: lexical + ${servedName} index, weighted RRF k=${TITLE_FUSION.k}, lexical weight ${TITLE_FUSION.lexicalWeight} (service HYBRID)`,
      'HYBRID',
    ),
  );
  rows.push(
    await serviceRow('Hybrid, plain RRF k=60, equal weights (ablation)', 'HYBRID', serviceUntuned, false),
  );
  rows.push(await serviceRow('Hybrid, titles not cleaned (ablation)', 'HYBRID', serviceRaw, false));
  rows.push(
    await serviceRow(
      'Hybrid + cross-encoder ms-marco-MiniLM-L12 on the top 20 (service HYBRID_RERANK)',
      'HYBRID_RERANK',
      service,
      false,
    ),
  );
  await served.close();
  await reranker.close();

  // ---- table ------------------------------------------------------------------------------------
  const summaries = rows.map((r) => ({
    row: r,
    sub: r.runs.sub ? summarize(idsRun(r.runs.sub), gold.sub) : null,
    melo: r.runs.melo ? summarize(idsRun(r.runs.melo), gold.melo) : null,
    full: r.runs.full ? summarize(idsRun(r.runs.full), gold.full) : null,
  }));
  const cells = (s: RankingSummary | null, full = false) =>
    s
      ? full
        ? [fmt(s.mrr10), fmt(s.recall1), fmt(s.recall10)]
        : [fmt(s.mrr10), fmt(s.recall1), fmt(s.recall5), fmt(s.recall10)]
      : full
        ? ['—', '—', '—']
        : ['—', '—', '—', '—'];
  const defaultName = (r: Row) => (r.isDefault ? `**${r.name} — default**` : r.name);
  const table = markdownTable(
    [
      'Configuration',
      `JobBERT 1/${EVERY} MRR@10`,
      'R@1',
      'R@5',
      'R@10',
      'MELO fr MRR@10',
      'R@1',
      'R@5',
      'R@10',
      'JobBERT all MRR@10',
      'R@1',
      'R@10',
      'titles/s',
    ],
    summaries.map((s) => [
      defaultName(s.row),
      ...cells(s.sub),
      ...cells(s.melo),
      ...cells(s.full, true),
      s.row.textsPerSecond === undefined ? '—' : s.row.textsPerSecond.toFixed(0),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const caption = `Job-title normalisation, ${new Date().toISOString().slice(0, 10)}. JobBERT 1/${EVERY}: every ${EVERY}th validation title (${sub.length} of ${jobbert.length}, fixed); JobBERT all: all ${jobbert.length} (service rows only); MELO: ${melo.length} French queries. R@k = Recall@k (one gold occupation per title, so = Accuracy@k). titles/s: query embedding throughput of the model on this machine (512 titles, no cache, batch 32, best of 2 passes).`;
  process.stdout.write(`${caption}\n\n${table}\n`);

  // ---- does the default beat lexical and the best single dense model on every set? -------------
  const defaultRow = rows.find((r) => r.isDefault);
  const checks = (['sub', 'melo'] as const).flatMap((set) => {
    if (!defaultRow?.runs[set] || !lexical.runs[set]) return [];
    const named = (r: Row) => ({ name: r.name, run: idsRun(r.runs[set]!) });
    return [
      baselineCheck({
        set: set === 'sub' ? `JobBERT 1/${EVERY}` : 'MELO',
        metricName: 'MRR@10',
        metric: (ranked, j) => reciprocalRankAtK(ranked, j, 10),
        gold: gold[set],
        defaultRun: named(defaultRow),
        lexical: named(lexical),
        dense: rows.filter((r) => (r.exactModel || r === denseRow) && r.runs[set]).map(named),
      }).line,
    ];
  });
  process.stderr.write(`${checks.join('\n')}\n`);

  const seconds = (performance.now() - started) / 1000;
  const log = recordRun(harness.config, 'eval-titles', {
    date: new Date().toISOString(),
    seconds,
    labelSeconds: labelMs / 1000,
  });
  if (!argv['no-doc']) {
    writeDocSection(
      'eval:titles',
      `## Job-title normalisation (\`npm run eval:titles\`)

Data: \`../shared/eval/${JOBBERT_FILE}\` (JobBERT evaluation set, Decorte et al. 2021, validation file: ${jobbert.length} real vacancy titles → ESCO occupation URI) and \`../shared/eval/${MELO_DIR}/\` (MELO benchmark by Avature, MIT licence: ${melo.length} Belgian French titles; \`annotations.tsv\` links each query to relevant corpus elements, \`concept_mapping.tsv\` maps those to ESCO occupation URIs; gold = that set of URIs, one per query here).

Command: \`npm run eval:titles\` (= \`tsx scripts/eval-titles.ts\`; \`--every ${EVERY}\`). Date: ${new Date().toISOString()}. Machine: ${machineDescription()}. Run time — ${runTimesLine(log)}.

${caption}

${table}

How the rows are computed:
- *Lexical*: the service's \`normalizeJobTitle\` in LEXICAL mode (Neo4j fulltext over preferred + alternative labels, \`occupation_labels_en\` / \`_fr\`).
- *Dense exact*: the title (cleaned as the service cleans it) embedded as a query with that model, **exact** cosine search in memory over all ${labelCount} occupation labels (English and French, preferred and alternative; each embedded as a passage with the same model and cached on disk), an occupation scoring its best label. The served configuration instead uses the Neo4j HNSW vector index over the same labels embedded with ${servedName} (approximate; rows marked "service").
- *Hybrid: lexical + <model> exact*: the service's title fusion (weighted reciprocal rank fusion, k = ${TITLE_FUSION.k}, lexical weight ${TITLE_FUSION.lexicalWeight}, dense weight 1) of the lexical list with that model's exact list: what HYBRID would give with that model served (the row of the best single dense model on a set says so).
- *Service* rows run the API code path (\`ConceptSearchService.normalizeJobTitle\`, served model ${servedName}); HYBRID_RERANK reranks the fused top 20 with the cross-encoder. HYBRID_RERANK and the two ablations run on the 1/${EVERY} sample (and MELO) only.
- Does the default beat the lexical baseline and the best single dense model of this run?
${checks.map((line) => `  ${line}`).join('\n')}
`,
    );
    progress('docs/evaluation.md updated (section eval:titles)');
  }
  progress(`done in ${elapsed(started)}`);
} finally {
  await harness.close();
}
