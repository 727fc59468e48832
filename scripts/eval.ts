/**
 * Every evaluation in one command (`npm run eval`): job titles, skills, postings (public dev sets)
 * and candidate ranking (built in-house data), one after the other, each rewriting its section of
 * docs/evaluation.md; then an SVG chart per section (docs/charts/) and the overview section with
 * what ran, on which data, and how long it took.
 *
 * Reproducible from a fresh clone, independent of a running `npm start`: it starts one evaluation
 * Neo4j of its own (port 7731, store .data/neo4j-eval; ESCO imported on first use), embeds the
 * ESCO concepts and labels with the served model there (through the on-disk embedding cache), and
 * every script connects to it (NEO4J_LOCAL_BOLT_PORT / NEO4J_LOCAL_DATA_DIR).
 *
 *   npx tsx scripts/eval.ts [--only titles,skills,postings,ranking] [--quick] [extra args for eval:ranking]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { openEvalGraph } from '../src/eval/rankingHarness.js';
import { createEmbedder } from '../src/inference/index.js';
import { EmbeddingSync } from '../src/services/embeddingSync.js';
import { createProgress } from '../src/import/progress.js';
import { EVALUATION_DOC, machineDescription, progress, writeDocSection } from '../src/eval/harness.js';
import { markdownTable } from '../src/eval/report.js';
import { barChartSvg, parseMarkdownTable } from '../src/eval/svgChart.js';

const { values: argv } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean' } },
  strict: false,
});
/** Everything but --only / --quick goes to eval:ranking (e.g. --eval-vacancies 50). */
const forwarded = process.argv
  .slice(2)
  .filter(
    (a, i, all) =>
      a !== '--' && a !== '--quick' && a !== '--only' && all[i - 1] !== '--only' && !a.startsWith('--only='),
  );
/** --quick: eval:titles without its service rows over all 15,463 JobBERT titles (about half its time). */
const titleArgs = argv.quick === true ? ['--no-full'] : [];

interface Step {
  readonly key: 'titles' | 'cross-encoders' | 'skills' | 'postings' | 'ranking';
  readonly script: string;
  readonly data: string;
  readonly source: string;
  /** Chart: columns of the section's table to plot. */
  readonly chart?: { readonly title: string; readonly columns: readonly string[] };
}

const STEPS: readonly Step[] = [
  {
    key: 'titles',
    script: 'scripts/eval-titles.ts',
    data: 'JobBERT validation titles (every 5th, and all for service rows); MELO bel_q_fr_c_fr',
    source: '../shared/eval/job-titles (Decorte et al. 2021; MELO by Avature, MIT)',
    chart: {
      title: 'Job-title normalisation (dev sets): MRR@10',
      columns: ['JobBERT 1/5 MRR@10', 'MELO fr MRR@10'],
    },
  },
  {
    key: 'cross-encoders',
    script: 'scripts/eval-cross-encoders.ts',
    data: 'trained vs generic models: the dev-eval parts of JobBERT validation (every 5th) and MELO under the training split; HaHu dev posting titles',
    source:
      '../shared/eval/job-titles (Decorte et al. 2021; MELO by Avature, MIT); ../shared/eval/vacancies (HaHu, Tabiya, CC BY 4.0)',
  },
  {
    key: 'skills',
    script: 'scripts/eval-skills.ts',
    data: 'Decorte et al. skill-extraction TECH / HOUSE validation sentences',
    source: '../shared/eval/skill-extraction',
    chart: { title: 'Skill extraction (dev sets): RP@5', columns: ['TECH RP@5', 'HOUSE RP@5'] },
  },
  {
    key: 'postings',
    script: 'scripts/eval-postings.ts',
    data: 'HaHu dev postings (136), title → ESCO occupation code',
    source: '../shared/eval/vacancies/hahu-postings.dev.csv (Tabiya, CC BY 4.0)',
    chart: {
      title: 'Job postings → occupation (dev set): title Acc@1 and MRR@10',
      columns: ['Title Acc@1', 'MRR@10'],
    },
  },
  {
    key: 'ranking',
    script: 'scripts/eval-ranking.ts',
    data: 'demo generator people + held-out fit file, with and without --outcome-bias (built in-house)',
    source: 'src/demo over ESCO v1.1.1 (built in-house)',
  },
];

const only = typeof argv.only === 'string' ? new Set(argv.only.split(',')) : null;
const CHART_DIR = path.join(PROJECT_ROOT, 'docs', 'charts');

const EVAL_PORT = '7731';
const EVAL_STORE = path.join(PROJECT_ROOT, '.data', 'neo4j-eval');
const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NEO4J_LOCAL_BOLT_PORT: EVAL_PORT,
  NEO4J_LOCAL_DATA_DIR: EVAL_STORE,
};
delete childEnv.NEO4J_URI;

function run(script: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      env: childEnv,
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function sectionOf(doc: string, key: string): string {
  const from = doc.indexOf(`<!-- eval:${key}:start -->`);
  const to = doc.indexOf(`<!-- eval:${key}:end -->`);
  return from >= 0 && to > from ? doc.slice(from, to) : '';
}

const started = performance.now();
const results: Array<{ step: Step; seconds: number; code: number }> = [];
const config = loadConfig(childEnv);
const graph = await openEvalGraph(config, {
  port: Number(EVAL_PORT),
  store: EVAL_STORE,
  log: pino({ level: 'warn' }, pino.destination(2)),
  progress: createProgress(),
});
let prepareSeconds = 0;
try {
  // The search scripts read ESCO concept and label vectors of the served model from the graph: the
  // generic EMBEDDING_MODEL by name, which their service rows embed queries with; a trained
  // bi-encoder (TRAINED_MODELS) is compared by exact search in eval:cross-encoders, never written here.
  const t = performance.now();
  const embedder = await createEmbedder(config, config.inference.embeddingModel);
  try {
    const sync = new EmbeddingSync(graph.gateway, embedder, pino({ level: 'warn' }), {
      batchSize: 256,
      pollMs: 1000,
      progress: createProgress(),
    });
    await sync.prepare();
    await sync.runOnce(['occupation', 'skill', 'occupation-label', 'skill-label']);
  } finally {
    await embedder.close();
  }
  prepareSeconds = (performance.now() - started) / 1000;
  progress(
    `evaluation Neo4j on port ${EVAL_PORT} (${path.relative(PROJECT_ROOT, EVAL_STORE)}) ready with ESCO and ${embedder.info.name} vectors in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
  for (const step of STEPS) {
    if (only && !only.has(step.key)) continue;
    progress(`npm run eval:${step.key}`);
    const t = performance.now();
    const code = await run(
      step.script,
      step.key === 'ranking'
        ? ['--port', EVAL_PORT, '--store', EVAL_STORE, ...forwarded]
        : step.key === 'titles'
          ? titleArgs
          : [],
    );
    results.push({ step, seconds: (performance.now() - t) / 1000, code });
    progress(
      `eval:${step.key} ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((performance.now() - t) / 60000).toFixed(1)} min`,
    );
  }
} finally {
  await graph.close();
}

// Charts for the sections whose scripts print plain tables (eval:ranking draws its own).
const doc = fs.readFileSync(EVALUATION_DOC, 'utf8');
fs.mkdirSync(CHART_DIR, { recursive: true });
const charts: string[] = [];
for (const step of STEPS) {
  if (!step.chart) continue;
  const table = parseMarkdownTable(sectionOf(doc, step.key));
  if (!table) continue;
  const columns = step.chart.columns.map((c) => table.headers.indexOf(c));
  if (columns.some((c) => c < 0)) continue;
  const rows = table.rows.filter((r) => columns.some((c) => Number.isFinite(Number(r[c]))));
  const file = `${step.key}.svg`;
  fs.writeFileSync(
    path.join(CHART_DIR, file),
    barChartSvg({
      title: step.chart.title,
      caption: [
        `Data: ${step.data}.`,
        `Source: ${step.source}. This service uses the ESCO classification of the European Commission.`,
        `Command: npm run eval:${step.key} (as in docs/evaluation.md).`,
      ],
      categories: rows.map((r) => (r[0] ?? '').replace(/ — default$/, ' (default)')),
      series: step.chart.columns.map((name, i) => ({
        name,
        values: rows.map((r) => (Number.isFinite(Number(r[columns[i]!])) ? Number(r[columns[i]!]) : null)),
      })),
      max: 1,
    }),
  );
  charts.push(`![${step.key}](charts/${file})`);
}

const total = (performance.now() - started) / 1000;
const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;
// The overview describes a whole run: a partial one (--only) leaves the last whole run's in place.
if (results.length > 0 && !only) {
  writeDocSection(
    'eval:all',
    `## All evaluations (\`npm run eval\`)

\`npm run eval\` (= \`tsx scripts/eval.ts\`) starts one evaluation Neo4j of its own (port ${EVAL_PORT}, store \`.data/neo4j-eval\`: ESCO imported on first use, the served model's concept and label vectors written from the on-disk embedding cache, or computed on a first run), runs the scripts below against it one after the other (so it does not depend on a running \`npm start\`); each rewrites its own section of this file, then the charts in \`docs/charts/\` are redrawn from the tables. The full evaluation is not part of \`npm test\` (a smoke run of the ranking evaluation on a tiny fixture is: \`tests/int/evalRanking.int.test.ts\`). This service uses the ESCO classification of the European Commission.

Last run: ${new Date().toISOString()}, ${machineDescription()}, **${minutes(total)} wall time in all**, of which ${minutes(prepareSeconds)} preparing the evaluation graph (measured while other engineers were using the same 2 cores).

${markdownTable(
  ['command', 'data', 'source', 'wall time', 'exit'],
  results.map((r) => [
    `npm run eval:${r.step.key}`,
    r.step.data,
    r.step.source,
    minutes(r.seconds),
    String(r.code),
  ]),
)}

${charts.join('\n')}
`,
  );
}
progress(`all evaluations done in ${minutes(total)}`);
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
