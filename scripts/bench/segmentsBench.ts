/**
 * Why first-stage retrieval grows with N: the Neo4j vector index is a Lucene index, and Lucene
 * searches every segment's own HNSW graph for the full k before merging the answers, so a query
 * costs about (segments × one segment's search). This part builds the same vectors into a scratch
 * store (`.data/bench-segments`, Bolt 7739) several ways and times the statement the service runs
 * (`ranking/vector-candidates`, top 500):
 * - `populate`: vectors written first, then CREATE VECTOR INDEX (how a bulk import, a rebuild and
 *   the benchmark stores get their index), with Neo4j's own population settings and with the
 *   launcher's (`vectorIndexSettings` in src/graph/localNeo4j.ts);
 * - `incremental`: the index exists and vectors arrive in transactions of 1,000 (how EmbeddingSync
 *   fills it), which population settings do not touch.
 * Each build is timed again after a restart (Neo4j runs its merge policy when it opens an index).
 * Vectors are synthetic and clustered (300 Gaussian centres in 384 dimensions, fixed seed), queries
 * from the same mixture; recall@100 is against exact cosine over the same vectors in this process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { GroupedLabelIndex } from '../../src/eval/exactSearch.js';
import { int, type Neo4jGateway } from '../../src/graph/gateway.js';
import { vectorIndexSegments } from '../../src/graph/localNeo4j.js';
import { startBenchNeo4j } from './benchInstance.js';
import { summarize, type Summary } from './stats.js';
import { loadSample, type LoadSample } from './system.js';

export type SegmentsMode = 'populate' | 'incremental';

export interface SegmentsOptions {
  readonly vectors: number;
  readonly queries: number;
  readonly heapMb: number;
  readonly pageCacheMb: number;
}

export interface SegmentsRow {
  readonly mode: SegmentsMode;
  /** 'neo4j' (Neo4j 5.26's own settings) or 'launcher' (vectorIndexSettings). */
  readonly settings: 'neo4j' | 'launcher';
  readonly writeS: number;
  /** From CREATE VECTOR INDEX (populate) or the first write (incremental) until the index is online. */
  readonly indexS: number;
  readonly segments: number;
  readonly queryMs: Summary;
  readonly segmentsAfterRestart: number;
  readonly queryMsAfterRestart: Summary;
  readonly recallAt100: number;
  readonly load: { readonly start: LoadSample; readonly end: LoadSample };
}

export interface SegmentsResult {
  readonly vectors: number;
  readonly dimension: number;
  readonly k: number;
  readonly heapMb: number;
  readonly rows: readonly SegmentsRow[];
}

const DIMENSION = 384;
const CENTRES = 300;
const K = 500;
const BOLT_PORT = 7739;
const STORE = path.join(PROJECT_ROOT, '.data', 'bench-segments');

/** mulberry32: the same vectors on every run. */
function generator(seed: number) {
  let state = seed;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const centres = Array.from({ length: CENTRES }, () => Float32Array.from({ length: DIMENSION }, gauss));
  return () => {
    const centre = centres[Math.floor(uniform() * CENTRES)]!;
    const v = new Float32Array(DIMENSION);
    let norm = 0;
    for (let i = 0; i < DIMENSION; i += 1) {
      v[i] = centre[i]! + 0.8 * gauss();
      norm += v[i]! * v[i]!;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < DIMENSION; i += 1) v[i] = v[i]! / norm;
    return v;
  };
}

const openStore = (options: SegmentsOptions, tuned: boolean, log: (msg: string) => void) =>
  startBenchNeo4j(
    STORE,
    BOLT_PORT,
    { heapMb: options.heapMb, pageCacheMb: options.pageCacheMb, vectorIndexTuning: tuned },
    log,
  );

async function timeQueries(gateway: Neo4jGateway, queries: readonly Float32Array[]) {
  const ms: number[] = [];
  const answers: string[][] = [];
  for (const [i, q] of queries.entries()) {
    const started = performance.now();
    const rows = await gateway.read('ranking/vector-candidates', { n: int(K), vector: Array.from(q) });
    // The first ten warm the index's files into the OS cache; they are not timed.
    if (i >= 10) ms.push(performance.now() - started);
    answers.push(rows.map((r) => String(r.id)));
  }
  return { ms: summarize(ms), answers };
}

const idOf = (row: number) => `v${String(row).padStart(9, '0')}`;

export async function runSegments(
  options: SegmentsOptions,
  log: (msg: string) => void,
): Promise<SegmentsResult> {
  const next = generator(42);
  const vectors = Array.from({ length: options.vectors }, next);
  const queries = Array.from({ length: options.queries + 10 }, next);
  // The evaluation's exact search (one row per vector, so each "group" is one id).
  const exact = new GroupedLabelIndex(
    vectors,
    vectors.map((_, row) => idOf(row)),
  )
    .search(queries, 100)
    .map((top) => top.map((t) => t.id));
  const configs: ReadonlyArray<readonly [SegmentsMode, boolean]> = [
    ['populate', false],
    ['populate', true],
    ['incremental', true],
  ];
  const rows: SegmentsRow[] = [];
  for (const [mode, tuned] of configs) {
    const start = loadSample();
    fs.rmSync(STORE, { recursive: true, force: true });
    log(`segments: ${options.vectors} vectors, ${mode}, ${tuned ? 'launcher' : 'neo4j'} settings`);
    let store = await openStore(options, tuned, log);
    const createIndex = () =>
      store.gateway.runAutoCommit('embedding/create-index-candidate', {
        dimension: int(DIMENSION),
        quantization: false,
      });
    const batch = mode === 'incremental' ? 1000 : 5000;
    let started = performance.now();
    if (mode === 'incremental') await createIndex();
    for (let from = 0; from < options.vectors; from += batch) {
      const rowsOut = [];
      for (let row = from; row < Math.min(options.vectors, from + batch); row += 1)
        rowsOut.push({ id: idOf(row), vector: Array.from(vectors[row]!) });
      await store.gateway.write('bench/create-vector-nodes', { rows: rowsOut });
    }
    const writeS = (performance.now() - started) / 1000;
    if (mode === 'populate') {
      started = performance.now();
      await createIndex();
    }
    await store.gateway.runAutoCommit('embedding/await-index', {
      name: 'candidate_embedding',
      seconds: int(3600),
    });
    const indexS = (performance.now() - started) / 1000;
    const first = await timeQueries(store.gateway, queries);
    const segments = vectorIndexSegments(STORE);
    await store.stop();
    store = await openStore(options, tuned, log);
    await new Promise((resolve) => setTimeout(resolve, 30_000)); // the merges Neo4j schedules on open
    const second = await timeQueries(store.gateway, queries);
    const segmentsAfterRestart = vectorIndexSegments(STORE);
    await store.stop();
    let hits = 0;
    second.answers.forEach((ids, i) => {
      const top = new Set(ids.slice(0, 100));
      hits += exact[i]!.filter((id) => top.has(id)).length;
    });
    const row: SegmentsRow = {
      mode,
      settings: tuned ? 'launcher' : 'neo4j',
      writeS,
      indexS,
      segments,
      queryMs: first.ms,
      segmentsAfterRestart,
      queryMsAfterRestart: second.ms,
      recallAt100: hits / (queries.length * 100),
      load: { start, end: loadSample() },
    };
    log(
      `  write ${writeS.toFixed(0)} s, index ${indexS.toFixed(0)} s, ${segments} segments: p50 ${first.ms.p50.toFixed(1)} ms; after restart ${segmentsAfterRestart} segments: p50 ${second.ms.p50.toFixed(1)} ms, recall@100 ${row.recallAt100.toFixed(3)}`,
    );
    rows.push(row);
  }
  fs.rmSync(STORE, { recursive: true, force: true });
  return { vectors: options.vectors, dimension: DIMENSION, k: K, heapMb: options.heapMb, rows };
}
