/**
 * Inference throughput on real ESCO labels (a benchmark, not a test: numbers
 * are printed, nothing is asserted). Run: `node --import tsx tests/int/inference.bench.ts`.
 *
 * - every built-in bi-encoder (int8 and fp32) on 1,000 ESCO skill labels, batches of 32 and 64,
 *   and int8 at batch 1 (the batch-independent setting, see src/inference/README.md);
 * - transformers.js running the same ONNX files on the same texts, for the ratio;
 * - the cross-encoder on 1,000 (occupation, skill label) pairs and 200 (occupation, skill label + description) pairs,
 *   and transformers.js scoring the same 1,000 label pairs with the same ONNX file (batches of 32);
 * - the embedding cache at 200k vectors of dimension 384: append, first lookup after a restart, bulk lookups.
 *
 * Uses MODELS_DIR like the app (fetching what is missing); embeddings are not cached.
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { loadConfig } from '../../src/config.js';
import {
  EMBEDDERS,
  createEmbedder,
  createReranker,
  openEmbeddingCache,
  resolveEmbedderModel,
  resolveRerankerModel,
} from '../../src/inference/index.js';
import { createTransformersReference } from './inference.reference.js';

const ESCO_ZIP = path.resolve(
  import.meta.dirname,
  '../../../shared/esco/esco-v1.1.1-classification-en-csv.zip',
);
const config = loadConfig({ ...process.env, CACHE_DIR: path.join(os.tmpdir(), 'talentgraph-bench-cache') });

async function readCsvFromZip(zipPath: string, entryName: string): Promise<Array<Record<string, string>>> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== entryName) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      return parse<Record<string, string>>(Buffer.concat(chunks), { columns: true, bom: true });
    }
  } finally {
    zip.close();
  }
  throw new Error(`${zipPath} has no ${entryName}`);
}

/** Every `step`-th row, so the sample spans the whole file rather than its first section. */
const sample = <T>(rows: readonly T[], count: number): T[] => {
  const step = Math.max(1, Math.floor(rows.length / count));
  return rows.filter((_, i) => i % step === 0).slice(0, count);
};

/**
 * Wall time of `run`, the CPU time this process spent meanwhile (all threads: a
 * steadier measure than wall time on a shared machine), and the longest the
 * event loop was blocked (inference runs in worker threads).
 */
async function timed<T>(
  run: () => Promise<T>,
): Promise<{ result: T; seconds: number; cpuSeconds: number; maxLoopDelayMs: number }> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  loop.disable();
  return { result, seconds, cpuSeconds: (user + system) / 1e6, maxLoopDelayMs: loop.max / 1e6 };
}

const rate = (count: number, seconds: number): string => (count / seconds).toFixed(0);

const skills = sample(await readCsvFromZip(ESCO_ZIP, 'skills_en.csv'), 1000);
const occupations = sample(await readCsvFromZip(ESCO_ZIP, 'occupations_en.csv'), 1000);
const labels = skills.map((s) => s['preferredLabel'] ?? '');
console.log(
  `cpu: ${os.cpus()[0]?.model ?? '?'} × ${os.availableParallelism()}, threads=${config.inference.threads || 'default'}`,
);
console.log(
  `texts: ${labels.length} ESCO skill labels (mean ${(labels.join('').length / labels.length).toFixed(1)} chars)\n`,
);

const reference = createTransformersReference(path.join(os.tmpdir(), 'talentgraph-bench-tjs'));
console.log(
  'model                  batch  texts/s  texts/cpu-s  loop max ms | transformers.js texts/s  texts/cpu-s',
);
for (const spec of EMBEDDERS) {
  const local = await resolveEmbedderModel(config, spec.name);
  const sizes = spec.name.endsWith('-q') ? [1, 32, 64] : [32, 64];
  for (const maxBatchSize of sizes) {
    const embedder = await createEmbedder(config, spec.name, { cache: false, maxBatchSize });
    const ours = await timed(() => embedder.embed(labels, 'passage'));
    await embedder.close();
    let referenceRates = '';
    if (maxBatchSize === 32) {
      const model = await reference.loadEmbedder(local);
      const ref = await timed(() =>
        model.embed(
          labels.map((l) => spec.passagePrefix + l),
          maxBatchSize,
        ),
      );
      await model.close();
      referenceRates = `${rate(labels.length, ref.seconds).padStart(23)}  ${rate(labels.length, ref.cpuSeconds).padStart(11)}`;
    }
    console.log(
      `${spec.name.padEnd(22)} ${String(maxBatchSize).padStart(5)} ${rate(labels.length, ours.seconds).padStart(8)} ` +
        `${rate(labels.length, ours.cpuSeconds).padStart(12)} ${ours.maxLoopDelayMs.toFixed(0).padStart(12)} | ${referenceRates}`,
    );
  }
}

const reranker = await createReranker(config);
const shortPairs = labels.map((label, i): [string, string] => [
  occupations[i % occupations.length]?.['preferredLabel'] ?? '',
  label,
]);
const longPairs = skills
  .slice(0, 200)
  .map((s, i): [string, string] => [
    occupations[i]?.['preferredLabel'] ?? '',
    `${s['preferredLabel']}: ${s['description']}`,
  ]);
const short = await timed(() => reranker.score(shortPairs));
const long = await timed(() => reranker.score(longPairs));
await reranker.close();
const referenceReranker = await reference.loadReranker(await resolveRerankerModel(config));
const referenceShort = await timed(() => referenceReranker.score(shortPairs, 32));
await referenceReranker.close();
console.log(
  `\ncross-encoder ${reranker.info.name}: label pairs ${rate(shortPairs.length, short.seconds)} pairs/s ` +
    `(${rate(shortPairs.length, short.cpuSeconds)} per cpu-s); label + description pairs ` +
    `${(longPairs.length / long.seconds).toFixed(1)} pairs/s (${(longPairs.length / long.cpuSeconds).toFixed(1)} per cpu-s)`,
);
console.log(
  `transformers.js cross-encoder: label pairs ${rate(shortPairs.length, referenceShort.seconds)} pairs/s ` +
    `(${rate(shortPairs.length, referenceShort.cpuSeconds)} per cpu-s)`,
);

const CACHE_SIZE = 200_000;
const cacheDir = path.join(os.tmpdir(), 'talentgraph-bench-embedding-cache');
await rm(cacheDir, { recursive: true, force: true });
const keys = Array.from({ length: CACHE_SIZE }, (_, i) => `${labels[i % labels.length]} #${i}`);
const vector = (i: number): Float32Array => Float32Array.from({ length: 384 }, (_, k) => Math.sin(i + k));
const writer = await openEmbeddingCache(cacheDir, 'bench', 384);
const put = await timed(async () => {
  for (let start = 0; start < CACHE_SIZE; start += 2000) {
    const chunk = keys.slice(start, start + 2000);
    await writer.put(
      chunk,
      'passage',
      chunk.map((_, i) => vector(start + i)),
    );
  }
});
await writer.close();
const reader = await openEmbeddingCache(cacheDir, 'bench', 384);
const first = await timed(() => reader.get([keys[12_345]!], 'passage'));
const lookUpAll = (order: readonly string[]) =>
  timed(async () => {
    for (let start = 0; start < order.length; start += 10_000)
      await reader.get(order.slice(start, start + 10_000), 'passage');
  });
const inOrder = await lookUpAll(keys);
const shuffled = [...keys].sort((a, b) => (cacheOrder(a) < cacheOrder(b) ? -1 : 1));
const random = await lookUpAll(shuffled);
await reader.close();
await rm(cacheDir, { recursive: true, force: true });
console.log(
  `\nembedding cache, ${CACHE_SIZE} × 384: put ${put.seconds.toFixed(1)} s; after a restart, first lookup ${(first.seconds * 1000).toFixed(0)} ms ` +
    `(one shard indexed), all in insertion order ${inOrder.seconds.toFixed(1)} s, all in random order ${random.seconds.toFixed(1)} s`,
);

/** A fixed pseudo-random order that does not follow insertion order. */
function cacheOrder(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}
