/**
 * `npm run bench` — every benchmark part, then docs/benchmarks.md. Parts, each also alone:
 *
 *   npm run bench:scale -- [--sizes 10000,100000] [--calls 50] [--rebuild] [--load-seconds 15]
 *   npm run bench:readpath -- [--size 10000] [--calls 50]
 *   npm run bench:inference -- (the existing script; `npm run bench -- inference` records it)
 *   npm run bench -- segments [--segment-vectors 200000]   (vector-index segments vs query time)
 *   npm run bench:report      (docs/benchmarks.md from docs/benchmarks/*.json, no measuring)
 *
 * Results are JSON files in docs/benchmarks/ (with commit, load average and command); the report is
 * rendered from whatever results exist, so parts can be re-run one at a time. Timings are never
 * asserted: a benchmark reports.
 */
import { parseArgs } from 'node:util';
import { recordResult } from './bench/results.js';
import { runScale } from './bench/scaleBench.js';
import { prepareScale, type ScaleOptions } from './bench/scalePrepare.js';
import { prepareScaleUp } from './bench/scaleUp.js';
import { runReadPath } from './bench/readPathBench.js';
import { runInferenceBench } from './bench/inferenceBench.js';
import { writeReport } from './bench/report.js';
import { runSegments } from './bench/segmentsBench.js';

const USAGE = `usage: npm run bench -- [scale] [segments] [readpath] [inference] [report]   (none: all five)
options:
  --sizes 10000,100000      candidate counts for scale (each gets .data/bench-<N>, Bolt 774x, HTTP 405x)
  --vacancies 1000          vacancies per store      --seed 42
  --calls 50                timed requests per latency row
  --model-embed-max 0       up to this N the bi-encoder embeds candidates; above, vectors are synthesised
  --embed-sample 512        candidate texts the model embeds (no cache) to measure its ingestion cost
  --heap-mb 2048 --pagecache-mb 2048   Neo4j memory of the benchmark instances
  --load-seconds 15 --concurrency 1,8,32   autocannon runs   --no-load   skip them
  --vector-queries 50       queries for vector index vs exact
  --rebuild                 prepare the stores again (ESCO, people, embeddings, index)
  --import-max 100000       stores up to this size go through the importer; larger ones are scaled up
                            from that store (copied, then the extra candidates bulk-written: scaleUp.ts)
  --prepare-only            prepare the scale stores and stop (no measuring, no result file)
  --size 10000              store the read-path part uses
  --segment-vectors 200000  vectors the segments part builds its index from (3 builds, scratch store)
  --repeats 3 --threads 0,1 inference runs (median over repeats) per thread setting
The API under test runs with authentication on: one ADMIN API key made per run (its rate limit raised).`;

const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  allowPositionals: true,
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    vacancies: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
    calls: { type: 'string', default: '50' },
    'model-embed-max': { type: 'string', default: '0' },
    'embed-sample': { type: 'string', default: '512' },
    'heap-mb': { type: 'string', default: '2048' },
    'pagecache-mb': { type: 'string', default: '2048' },
    'load-seconds': { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '1,8,32' },
    'no-load': { type: 'boolean', default: false },
    'vector-queries': { type: 'string', default: '50' },
    rebuild: { type: 'boolean', default: false },
    'import-max': { type: 'string', default: '100000' },
    'prepare-only': { type: 'boolean', default: false },
    size: { type: 'string', default: '10000' },
    'segment-vectors': { type: 'string', default: '200000' },
    repeats: { type: 'string', default: '3' },
    threads: { type: 'string', default: '0,1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const num = (name: string, raw: string): number => {
  const v = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(v) || v < 0) {
    process.stderr.write(`--${name} must be a non-negative integer (got "${raw}")\n${USAGE}\n`);
    process.exit(2);
  }
  return v;
};
const list = (name: string, raw: string) =>
  raw
    .split(',')
    .filter(Boolean)
    .map((s) => num(name, s));
const PARTS = ['scale', 'segments', 'readpath', 'inference', 'report'];
const parts = positionals.length > 0 ? positionals : PARTS;
const unknown = parts.filter((p) => !PARTS.includes(p));
if (unknown.length > 0) {
  process.stderr.write(`unknown part(s): ${unknown.join(', ')}\n${USAGE}\n`);
  process.exit(2);
}
const command = `npm run bench -- ${process.argv
  .slice(2)
  .filter((a) => a !== '--')
  .join(' ')}`.trim();
const log = (msg: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const memory = {
  heapMb: num('heap-mb', values['heap-mb']),
  pageCacheMb: num('pagecache-mb', values['pagecache-mb']),
};

if (parts.includes('scale')) {
  for (const size of list('sizes', values.sizes)) {
    const options: ScaleOptions = {
      size,
      vacancies: num('vacancies', values.vacancies),
      seed: num('seed', values.seed),
      calls: num('calls', values.calls),
      modelEmbedMax: num('model-embed-max', values['model-embed-max']),
      embedSample: num('embed-sample', values['embed-sample']),
      memory,
      loadSeconds: num('load-seconds', values['load-seconds']),
      concurrency: list('concurrency', values.concurrency),
      vectorQueries: num('vector-queries', values['vector-queries']),
      rebuild: values.rebuild,
      skipLoad: values['no-load'],
      importMax: num('import-max', values['import-max']),
    };
    log(`scale ${size}: starting`);
    if (values['prepare-only']) {
      await (size > options.importMax ? prepareScaleUp(options, log) : prepareScale(options, log));
      continue;
    }
    await recordResult(`scale-${size}`, 'scale', command, () => runScale(options, log));
  }
}
if (parts.includes('segments')) {
  await recordResult('segments', 'segments', command, () =>
    runSegments(
      {
        vectors: num('segment-vectors', values['segment-vectors']),
        queries: num('vector-queries', values['vector-queries']),
        ...memory,
      },
      log,
    ),
  );
}
if (parts.includes('readpath')) {
  await recordResult('readpath', 'readpath', command, () =>
    runReadPath({ size: num('size', values.size), calls: num('calls', values.calls), memory }, log),
  );
}
if (parts.includes('inference')) {
  await recordResult('inference', 'inference', command, () =>
    runInferenceBench(
      { repeats: num('repeats', values.repeats), threads: list('threads', values.threads) },
      log,
    ),
  );
}
if (parts.includes('report')) {
  const file = writeReport();
  log(`wrote ${file}`);
}
