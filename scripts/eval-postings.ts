/**
 * Job postings → ESCO occupation on the HaHu dev postings (title + description → ESCO code).
 *
 *   npx tsx scripts/eval-postings.ts [--models a,b] [--no-doc]
 *
 * Rows as in eval-titles, on the posting title and, as a variant, the title followed by the first
 * sentence of the description: lexical (service LEXICAL), every catalog model with exact search
 * over all occupation labels, RRF of lexical and the best exact model, and the served
 * configuration through `normalizeJobTitle` (DENSE / HYBRID / HYBRID_RERANK). Scored on occupation
 * codes: Accuracy@1/5 and MRR@10. Prints one markdown table and rewrites its section of
 * docs/evaluation.md.
 */
import { parseArgs } from 'node:util';
import { firstSentence, parseHahuPostings } from '../src/eval/evalData.js';
import {
  EvalHarness,
  exactTitleRun,
  fuseTitleRuns,
  elapsed,
  idsRun,
  machineDescription,
  progress,
  readEvalFile,
  recordRun,
  runTimesLine,
  titleRuns,
  writeDocSection,
} from '../src/eval/harness.js';
import { hitAtK, reciprocalRankAtK, type Judgements } from '../src/eval/metrics.js';
import { baselineCheck, fmt, markdownTable, summarize, type RankingSummary } from '../src/eval/report.js';
import { EMBEDDERS } from '../src/inference/index.js';
import type { Scored } from '../src/ranking/rankFusion.js';
import { cleanJobTitle } from '../src/ranking/titleCleaning.js';
import { DEFAULT_TITLE_MODE, TITLE_FUSION, type SearchMode } from '../src/services/conceptSearchService.js';

const { values: argv } = parseArgs({
  options: {
    models: { type: 'string' },
    'no-doc': { type: 'boolean', default: false },
  },
});
const MODELS = argv.models ? argv.models.split(',') : EMBEDDERS.map((e) => e.name);
const FILE = 'vacancies/hahu-postings.dev.csv';
const K = 50;
/** normalizeJobTitle accepts at most 200 characters. */
const MAX_TITLE = 200;

const INPUTS = ['title', 'title+first'] as const;
type Input = (typeof INPUTS)[number];

interface Row {
  readonly name: string;
  readonly runs: Partial<Record<Input, Map<string, Scored[]>>>;
  textsPerSecond?: number;
  readonly exactModel?: string;
  readonly isDefault?: boolean;
  readonly isServiceDense?: boolean;
}

const started = performance.now();
let labelMs = 0;
const harness = await EvalHarness.open();
try {
  const postings = parseHahuPostings(readEvalFile(FILE));
  const occupations = await harness.occupations();
  const uriByCode = new Map(occupations.map((o) => [o.code, o.uri]));
  const missing = postings.filter((p) => !uriByCode.has(p.escoCode)).length;
  const gold = new Map(
    postings.map((p) => [p.id, uriByCode.has(p.escoCode) ? [uriByCode.get(p.escoCode)!] : []]),
  );
  const queries: Record<Input, Array<{ id: string; text: string }>> = {
    title: postings.map((p) => ({ id: p.id, text: p.title.slice(0, MAX_TITLE) })),
    'title+first': postings.map((p) => {
      const room = MAX_TITLE - p.title.length - 2;
      const first = room > 20 ? firstSentence(p.description, room) : '';
      return { id: p.id, text: first ? `${p.title}. ${first}` : p.title.slice(0, MAX_TITLE) };
    }),
  };
  progress(
    `${postings.length} postings (${missing} with a code not in the graph); ${occupations.length} occupations`,
  );

  const rows: Row[] = [];
  const servedName = harness.config.inference.embeddingModel;
  const served = await harness.embedder(servedName);
  const reranker = await harness.reranker();
  const service = await harness.service(served, reranker);
  const serviceRow = async (name: string, mode: SearchMode, extra: Partial<Row> = {}): Promise<Row> => {
    const t = performance.now();
    const runs: Row['runs'] = {};
    for (const input of INPUTS) runs[input] = await titleRuns(service, queries[input], 'en', mode, K);
    progress(`${name}: ${elapsed(t)}`);
    return { name, runs, isDefault: mode === DEFAULT_TITLE_MODE, ...extra };
  };
  const lexical = await serviceRow('Lexical: fulltext (service LEXICAL)', 'LEXICAL');
  rows.push(lexical);

  const exactRows: Row[] = [];
  for (const name of MODELS) {
    if (!EMBEDDERS.some((e) => e.name === name)) throw new Error(`unknown model ${name}`);
    const embedder = name === servedName ? served : await harness.embedder(name);
    const t = performance.now();
    try {
      const index = await harness.labelIndex(embedder, occupations);
      labelMs += performance.now() - t;
      const runs: Row['runs'] = {};
      for (const input of INPUTS) runs[input] = await exactTitleRun(embedder, index, queries[input], K);
      const row: Row = {
        name: `Dense exact: ${name} (${name.endsWith('-q') ? 'int8' : 'fp32'})`,
        runs,
        exactModel: name,
      };
      exactRows.push(row);
      rows.push(row);
      progress(`${name}: exact search ${elapsed(t)}`);
    } finally {
      if (embedder !== served) await embedder.close();
    }
    const tps = await harness.throughput(
      name,
      queries.title.map((q) => cleanJobTitle(q.text)),
      'query',
    );
    for (const row of exactRows) if (row.exactModel === name) row.textsPerSecond = tps;
  }

  // Each exact model fused with lexical as the service fuses: HYBRID as if that model served.
  const bestBy = Object.fromEntries(
    INPUTS.map((input) => [
      input,
      exactRows
        .map((r) => ({ r, v: summarize(idsRun(r.runs[input]!), gold).mrr10 }))
        .sort((a, b) => b.v - a.v)[0]?.r.exactModel,
    ]),
  ) as Record<Input, string | undefined>;
  for (const dense of exactRows) {
    const runs: Row['runs'] = {};
    for (const input of INPUTS) {
      const lex = lexical.runs[input];
      const den = dense.runs[input];
      if (!lex || !den) continue;
      runs[input] = fuseTitleRuns(lex, den, K);
    }
    const best = INPUTS.filter((input) => bestBy[input] === dense.exactModel);
    rows.push({
      name: `Hybrid: lexical + ${dense.exactModel ?? ''} exact, service fusion${best.length > 0 ? ` (best dense on ${best.join(', ')})` : ''}`,
      runs,
    });
  }

  const denseRow = await serviceRow(`Dense: ${servedName} via Neo4j vector index (service DENSE)`, 'DENSE', {
    isServiceDense: true,
  });
  denseRow.textsPerSecond = exactRows.find((r) => r.exactModel === servedName)?.textsPerSecond;
  rows.push(denseRow);
  rows.push(
    await serviceRow(
      `Hybrid: lexical + ${servedName} index, weighted RRF k=${TITLE_FUSION.k}, lexical weight ${TITLE_FUSION.lexicalWeight} (service HYBRID)`,
      'HYBRID',
    ),
  );
  rows.push(
    await serviceRow(
      'Hybrid + cross-encoder ms-marco-MiniLM-L12 on the top 20 (service HYBRID_RERANK)',
      'HYBRID_RERANK',
    ),
  );
  await served.close();
  await reranker.close();

  const summaries = rows.map((r) => ({
    row: r,
    title: r.runs.title ? summarize(idsRun(r.runs.title), gold) : null,
    first: r.runs['title+first'] ? summarize(idsRun(r.runs['title+first']), gold) : null,
  }));
  const cells = (s: RankingSummary | null) =>
    s ? [fmt(s.hit1), fmt(s.hit5), fmt(s.mrr10)] : ['—', '—', '—'];
  const table = markdownTable(
    [
      'Configuration',
      'Title Acc@1',
      'Acc@5',
      'MRR@10',
      'Title + 1st sentence Acc@1',
      'Acc@5',
      'MRR@10',
      'titles/s',
    ],
    summaries.map((s) => [
      s.row.isDefault ? `**${s.row.name} — default**` : s.row.name,
      ...cells(s.title),
      ...cells(s.first),
      s.row.textsPerSecond === undefined ? '—' : s.row.textsPerSecond.toFixed(0),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const caption = `Job postings → ESCO occupation, ${new Date().toISOString().slice(0, 10)}: ${postings.length} HaHu dev postings, scored on the occupation code (each code is one ESCO occupation). Title: the posting title; title + 1st sentence: the title, ". ", and the description's first sentence, cut to ${MAX_TITLE} characters in all. titles/s: query embedding throughput of the model on this machine (the ${postings.length} titles, no cache, batch 32, best of 2 passes).`;
  process.stdout.write(`${caption}\n\n${table}\n`);

  const defaultRow = rows.find((r) => r.isDefault);
  const checks = (
    [
      ['MRR@10', (ranked: readonly string[], j: Judgements) => reciprocalRankAtK(ranked, j, 10)],
      ['Acc@1', (ranked: readonly string[], j: Judgements) => hitAtK(ranked, j, 1)],
      ['Acc@5', (ranked: readonly string[], j: Judgements) => hitAtK(ranked, j, 5)],
    ] as const
  ).flatMap(([metricName, metric]) => {
    if (!defaultRow?.runs.title || !lexical.runs.title) return [];
    const named = (r: Row) => ({ name: r.name, run: idsRun(r.runs.title!) });
    return [
      baselineCheck({
        set: `HaHu titles, ${metricName}`,
        metricName,
        metric,
        gold,
        defaultRun: named(defaultRow),
        lexical: named(lexical),
        dense: rows.filter((r) => (r.exactModel || r.isServiceDense) && r.runs.title).map(named),
      }).line,
    ];
  });
  process.stderr.write(`${checks.join('\n')}\n`);

  const seconds = (performance.now() - started) / 1000;
  const log = recordRun(harness.config, 'eval-postings', {
    date: new Date().toISOString(),
    seconds,
    labelSeconds: labelMs / 1000,
  });
  if (!argv['no-doc']) {
    writeDocSection(
      'eval:postings',
      `## Job postings → occupation (\`npm run eval:postings\`)

Data: \`../shared/eval/${FILE}\` (Tabiya HaHu test set, CC BY 4.0; the ${postings.length}-posting dev split): real job postings (title + description) → ESCO occupation \`esco_code\`.

Command: \`npm run eval:postings\` (= \`tsx scripts/eval-postings.ts\`). Date: ${new Date().toISOString()}. Machine: ${machineDescription()}. Run time — ${runTimesLine(log)}. The occupation label vectors are shared with \`npm run eval:titles\` (whichever runs first embeds them: about 10 min for the five non-served models on this machine).

${caption}

${table}

Rows are computed as in the job-title section (the same exact label search, the same emulation of the service's fusion for *Hybrid: lexical + <model> exact*, and the service code path \`normalizeJobTitle\` with \`lang: en\`); the ranked occupations are compared with the gold code.
- Does the default (on the posting title) beat the lexical baseline and the best single dense model of this run?
${checks.map((line) => `  ${line}`).join('\n')}
`,
    );
    progress('docs/evaluation.md updated (section eval:postings)');
  }
  progress(`done in ${elapsed(started)}`);
} finally {
  await harness.close();
}
