/**
 * Preparing a scale benchmark store (step 1 of `scaleBench.ts`): its own Neo4j, schema + ESCO
 * import, demo people at N, embeddings and the candidate vector index. Stores above `--import-max`
 * are scaled up from a prepared one instead (`scaleUp.ts`, which builds on this module).
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Logger } from 'pino';
import { prepareGraph } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { loadEscoSnapshot } from '../../src/demo/escoSnapshot.js';
import { writeDemoFiles } from '../../src/demo/writeDemoFiles.js';
import { int, type Neo4jGateway } from '../../src/graph/gateway.js';
import { ConceptResolver } from '../../src/graph/people/conceptResolver.js';
import { PeopleRepository } from '../../src/graph/people/peopleRepository.js';
import { importPeople, readPeopleFile } from '../../src/import/people/importPeople.js';
import { silentProgress } from '../../src/import/progress.js';
import { createEmbedder, type Embedder } from '../../src/inference/index.js';
import { createLogger } from '../../src/logger.js';
import { EmbeddingSync, textOf } from '../../src/services/embeddingSync.js';
import {
  BENCH_TRAINED_MODELS,
  portsFor,
  startBenchNeo4j,
  storeDir,
  type Neo4jMemory,
} from './benchInstance.js';
import { folderSizeMb, loadSample, processMemory, type LoadSample } from './system.js';
import { embedLabels, synthesiseVector } from './synthVectors.js';

export interface ScaleOptions {
  readonly size: number;
  readonly vacancies: number;
  readonly seed: number;
  readonly calls: number;
  readonly modelEmbedMax: number;
  readonly embedSample: number;
  readonly memory: Neo4jMemory;
  readonly loadSeconds: number;
  readonly concurrency: readonly number[];
  readonly vectorQueries: number;
  readonly rebuild: boolean;
  readonly skipLoad: boolean;
  /** Larger stores are scaled up from the store of this size (scaleUp.ts) instead of imported. */
  readonly importMax: number;
}

export interface Ingestion {
  readonly escoImportMs: number;
  readonly generateMs: number;
  readonly peopleImportMs: number;
  readonly candidates: number;
  readonly vacancies: number;
  readonly applications: number;
  readonly rowsRead: number;
  readonly embeddings: 'model' | 'synthesised';
  /** The bi-encoder of the candidate vectors; the API and the query vectors use the same one. */
  readonly embeddingModel: string;
  /** Time to compute and store candidate embeddings (synthesised: including embedding the labels). */
  readonly embeddingMs: number;
  readonly labelEmbeddingMs: number | null;
  /** The bi-encoder on `sample` candidate texts without the cache: what embedding every candidate costs. */
  readonly modelSample: { readonly texts: number; readonly ms: number; readonly meanChars: number };
  readonly vectorIndexMs: number;
  readonly storeMb: number;
  readonly neo4jPeakDuringImportMb: number | null;
  readonly load: { readonly start: LoadSample; readonly end: LoadSample };
  /**
   * Set when the store was scaled up from the `from` store (scaleUp.ts): the import figures above
   * are the base store's; `written` candidates were added by the benchmark's bulk writer in
   * `writeMs` (vectors included), after copying the base store in `copyMs`.
   */
  readonly scaledUp?: {
    readonly from: number;
    readonly written: number;
    readonly writeMs: number;
    readonly copyMs: number;
  };
}

const PREPARED_FILE = 'prepared.json';

/** The configuration of the benchmark process; `embeddingModel` pins the store's bi-encoder. */
export function benchConfig(size: number, embeddingModel?: string): Config {
  return loadConfig({
    ...process.env,
    DEMO_AUTOLOAD: 'false',
    NEO4J_LOCAL_DATA_DIR: storeDir(size),
    TRAINED_MODELS: BENCH_TRAINED_MODELS,
    ...(embeddingModel ? { EMBEDDING_MODEL: embeddingModel } : {}),
  });
}

export async function prepareScale(options: ScaleOptions, log: (msg: string) => void): Promise<Ingestion> {
  const dir = storeDir(options.size);
  const marker = path.join(dir, PREPARED_FILE);
  if (!options.rebuild && fs.existsSync(marker)) {
    log(`bench-${options.size}: store already prepared (${marker}); pass --rebuild to start over`);
    return JSON.parse(fs.readFileSync(marker, 'utf8')) as Ingestion;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const config = benchConfig(options.size);
  const logger: Logger = createLogger({ logLevel: 'warn' });
  const start = loadSample();
  const neo4j = await startBenchNeo4j(dir, portsFor(options.size).bolt, options.memory, log);
  const { gateway } = neo4j;
  let embedder: Embedder | undefined;
  try {
    let t = performance.now();
    await prepareGraph(gateway, config, logger, silentProgress);
    const escoImportMs = performance.now() - t;
    log(`bench-${options.size}: schema and ESCO imported in ${(escoImportMs / 1000).toFixed(1)} s`);

    t = performance.now();
    const snapshot = await loadEscoSnapshot(gateway);
    const demo = await writeDemoFiles(
      snapshot,
      { candidates: options.size, vacancies: options.vacancies, seed: options.seed },
      path.join(dir, 'demo'),
    );
    const generateMs = performance.now() - t;
    log(`bench-${options.size}: demo data generated in ${(generateMs / 1000).toFixed(1)} s`);

    t = performance.now();
    const report = await importPeople(
      gateway,
      new PeopleRepository(gateway),
      new ConceptResolver(gateway),
      readPeopleFile(demo.files.people),
      { batchSize: 1000 },
    );
    const peopleImportMs = performance.now() - t;
    log(
      `bench-${options.size}: ${report.written.candidates} candidates imported in ${(peopleImportMs / 1000).toFixed(1)} s (${report.rejectedCount} rejected)`,
    );

    const synthesise = options.size > options.modelEmbedMax;
    const uncached = await createEmbedder(config, undefined, { cache: false });
    let modelSample: Ingestion['modelSample'];
    try {
      const rows = await gateway.read('embedding/missing-candidate', { limit: int(options.embedSample) });
      const texts = rows.map((r) => textOf('candidate', r));
      t = performance.now();
      await uncached.embed(texts, 'passage');
      modelSample = {
        texts: texts.length,
        ms: performance.now() - t,
        meanChars: texts.join('').length / Math.max(1, texts.length),
      };
      log(
        `bench-${options.size}: model on ${texts.length} candidate texts: ${((texts.length * 1000) / modelSample.ms).toFixed(1)} texts/s`,
      );
    } finally {
      await uncached.close();
    }
    embedder = await createEmbedder(config);
    t = performance.now();
    let labelEmbeddingMs: number | null = null;
    if (synthesise) {
      labelEmbeddingMs = await synthesiseCandidateEmbeddings(
        gateway,
        embedder,
        snapshot,
        demo.files.people,
        log,
      );
    } else {
      await embedMissing(gateway, embedder, 'candidate');
    }
    const embeddingMs = performance.now() - t;
    log(
      `bench-${options.size}: candidate embeddings (${synthesise ? 'synthesised' : 'model'}) in ${(embeddingMs / 1000).toFixed(1)} s`,
    );
    const { name, sha256, dimension } = embedder.info;
    await gateway.write('embedding/set-state', {
      target: 'candidate',
      model: name,
      sha256,
      dimension: int(dimension),
    });
    await ensureVacancyEmbeddings(gateway, config, log);
    const vectorIndexMs = await buildCandidateIndex(gateway, dimension, options.size, log);

    const ingestion: Ingestion = {
      escoImportMs,
      generateMs,
      peopleImportMs,
      candidates: report.written.candidates,
      vacancies: report.written.vacancies,
      applications: report.written.applications,
      rowsRead: report.rowsRead,
      embeddings: synthesise ? 'synthesised' : 'model',
      embeddingModel: name,
      embeddingMs,
      labelEmbeddingMs,
      modelSample,
      vectorIndexMs,
      storeMb: folderSizeMb(path.join(dir, 'data')),
      neo4jPeakDuringImportMb: processMemory(neo4j.handle.pid)?.peakMb ?? null,
      load: { start, end: loadSample() },
    };
    fs.writeFileSync(marker, `${JSON.stringify(ingestion, null, 1)}\n`);
    return ingestion;
  } finally {
    await embedder?.close();
    await neo4j.stop();
  }
}

/** Creates the candidate vector index and waits until it is online; returns the time it took. */
export async function buildCandidateIndex(
  gateway: Neo4jGateway,
  dimension: number,
  size: number,
  log: (msg: string) => void,
): Promise<number> {
  const t = performance.now();
  // Float32 vectors in the index (no quantization), as the service creates it by default.
  await gateway.runAutoCommit('embedding/create-index-candidate', {
    dimension: int(dimension),
    quantization: false,
  });
  await gateway.runAutoCommit('admin/await-indexes', { seconds: int(86_400) });
  const ms = performance.now() - t;
  log(`bench-${size}: candidate vector index online in ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

/** The service's own path: `EmbeddingSync` embeds what is missing of one target, in its batches. */
async function embedMissing(
  gateway: Neo4jGateway,
  embedder: Embedder,
  target: 'candidate' | 'vacancy',
): Promise<void> {
  await new EmbeddingSync(gateway, embedder, createLogger({ logLevel: 'warn' })).runOnce([target]);
}

/**
 * Synthetic candidate vectors for large N (see synthVectors.ts), from the people file the importer
 * read. Returns the time spent embedding labels.
 */
async function synthesiseCandidateEmbeddings(
  gateway: Neo4jGateway,
  embedder: Embedder,
  snapshot: Awaited<ReturnType<typeof loadEscoSnapshot>>,
  peopleFile: string,
  log: (msg: string) => void,
): Promise<number> {
  const t = performance.now();
  const vectors = await embedLabels(embedder, snapshot);
  const labelMs = performance.now() - t;
  log(`  ${vectors.size} skill and occupation labels embedded in ${(labelMs / 1000).toFixed(1)} s`);
  const dimension = embedder.info.dimension;
  let batch: Array<{ key: string; vector: number[] }> = [];
  let done = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await gateway.write('embedding/set-candidate', { rows: batch });
    done += batch.length;
    if (done % 50_000 === 0) log(`  synthesised ${done} candidate vectors`);
    batch = [];
  };
  const lines = readline.createInterface({ input: fs.createReadStream(peopleFile), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.startsWith('{"type":"candidate"')) continue;
    const record = JSON.parse(line) as {
      id: string;
      skills?: Array<{ uri?: string }>;
      occupations?: Array<{ uri?: string }>;
    };
    batch.push({
      key: record.id,
      vector: synthesiseVector(vectors, dimension, record.skills ?? [], record.occupations ?? []),
    });
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return labelMs;
}

export async function ensureVacancyEmbeddings(
  gateway: Neo4jGateway,
  config: Config,
  log: (msg: string) => void,
): Promise<void> {
  const [first] = await gateway.read('embedding/missing-vacancy', { limit: int(1) });
  if (!first) return;
  const started = performance.now();
  const embedder = await createEmbedder(config);
  try {
    await embedMissing(gateway, embedder, 'vacancy');
    const { name, sha256, dimension } = embedder.info;
    await gateway.write('embedding/set-state', {
      target: 'vacancy',
      model: name,
      sha256,
      dimension: int(dimension),
    });
    await gateway.runAutoCommit('embedding/create-index-vacancy', {
      dimension: int(dimension),
      quantization: false,
    });
    await gateway.runAutoCommit('admin/await-indexes', { seconds: int(3600) });
    log(
      `  vacancies embedded by ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s (once per store)`,
    );
  } finally {
    await embedder.close();
  }
}
