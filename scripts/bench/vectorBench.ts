/**
 * First-stage retrieval: the Neo4j vector index (HNSW, `ranking/vector-candidates`, the statement
 * the service runs) against exact brute-force cosine in TypeScript over a Float32Array of the very
 * vectors the index holds (read back from the store), on the same query vectors: the model's query
 * embedding of each vacancy's ranking text, as `rankCandidates` computes it.
 */
import type { Config } from '../../src/config.js';
import { GroupedLabelIndex } from '../../src/eval/exactSearch.js';
import { int, type Neo4jGateway } from '../../src/graph/gateway.js';
import { str } from '../../src/graph/rowDecoders.js';
import { createEmbedder } from '../../src/inference/index.js';
import { vacancyText } from '../../src/ranking/texts.js';
import { summarize, type Summary } from './stats.js';
import { loadSample, processMemory, type LoadSample } from './system.js';

export interface VectorComparison {
  readonly vectors: number;
  readonly dimension: number;
  readonly queries: number;
  readonly readVectorsMs: number;
  readonly buildExactMs: number;
  /** Per-query latency, ms: index through Bolt (one round trip), exact in-process. */
  readonly indexMs: Summary;
  readonly exactMs: Summary;
  readonly recallAt100: Summary;
  readonly recallAt500: Summary;
  /** Heap the exact index needs (vectors × dimension × 4 bytes), MB. */
  readonly exactMatrixMb: number;
  readonly benchProcessPeakMb: number | null;
  readonly load: { readonly start: LoadSample; readonly end: LoadSample };
}

const K = 500;

export async function compareVectorSearch(
  gateway: Neo4jGateway,
  config: Config,
  vacancyIds: readonly string[],
  log: (msg: string) => void,
): Promise<VectorComparison> {
  const start = loadSample();
  const embedder = await createEmbedder(config);
  const queries: Float32Array[] = [];
  try {
    const contexts = await gateway.read('ranking/vacancy-context', { ids: [...vacancyIds] });
    for (const c of contexts) {
      const text = vacancyText({
        title: str(c.title),
        description: str(c.description),
        skills: (c.skillLabels as unknown[]).map(String),
      });
      const [v] = await embedder.embed([text], 'query');
      if (v) queries.push(v);
    }
  } finally {
    await embedder.close();
  }

  let t = performance.now();
  const ids: string[] = [];
  const vectors: Float32Array[] = [];
  let after: string | null = null;
  for (;;) {
    const rows = await gateway.read('bench/candidate-vectors-page', { after, limit: int(10_000) });
    if (rows.length === 0) break;
    for (const r of rows) {
      ids.push(String(r.id));
      vectors.push(Float32Array.from(r.embedding as number[]));
    }
    after = ids[ids.length - 1] ?? null;
  }
  const readVectorsMs = performance.now() - t;
  log(`  read ${ids.length} candidate vectors in ${(readVectorsMs / 1000).toFixed(1)} s`);
  t = performance.now();
  const exact = new GroupedLabelIndex(vectors, ids);
  vectors.length = 0;
  const buildExactMs = performance.now() - t;

  const indexMs: number[] = [];
  const exactMs: number[] = [];
  const recall100: number[] = [];
  const recall500: number[] = [];
  // Warm-up: first index query loads the graph into the page cache, first exact pass JIT-compiles.
  if (queries[0]) {
    await gateway.read('ranking/vector-candidates', { n: int(K), vector: Array.from(queries[0]) });
    exact.search([queries[0]], K);
  }
  for (const q of queries) {
    let s = performance.now();
    const rows = await gateway.read('ranking/vector-candidates', { n: int(K), vector: Array.from(q) });
    indexMs.push(performance.now() - s);
    s = performance.now();
    const [truth = []] = exact.search([q], K);
    exactMs.push(performance.now() - s);
    const found = rows.map((r) => String(r.id));
    const overlap = (k: number) => {
      const want = new Set(truth.slice(0, k).map((x) => x.id));
      return found.slice(0, k).filter((id) => want.has(id)).length / Math.min(k, want.size || 1);
    };
    recall100.push(overlap(100));
    recall500.push(overlap(500));
  }
  const result: VectorComparison = {
    vectors: exact.size,
    dimension: exact.dimension,
    queries: queries.length,
    readVectorsMs,
    buildExactMs,
    indexMs: summarize(indexMs),
    exactMs: summarize(exactMs),
    recallAt100: summarize(recall100),
    recallAt500: summarize(recall500),
    exactMatrixMb: Math.round((exact.size * exact.dimension * 4) / 2 ** 20),
    benchProcessPeakMb: processMemory(process.pid)?.peakMb ?? null,
    load: { start, end: loadSample() },
  };
  log(
    `  vector index p50 ${result.indexMs.p50.toFixed(1)} ms vs exact p50 ${result.exactMs.p50.toFixed(1)} ms; ` +
      `recall@100 ${result.recallAt100.p50.toFixed(3)} (mean ${result.recallAt100.mean.toFixed(3)}), recall@500 ${result.recallAt500.mean.toFixed(3)}`,
  );
  return result;
}
