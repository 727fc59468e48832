/**
 * Scale benchmark, one size N at a time (`npm run bench:scale -- --sizes 10000,100000`):
 *
 * 1. Prepare (once per store, skipped when `.data/bench-<N>/prepared.json` exists): its own Neo4j,
 *    schema + ESCO import (timed), the demo generator at N candidates (timed), the people importer
 *    (timed: candidates/s), candidate embeddings (timed) and the candidate vector index (timed);
 *    vacancies get the model's own embeddings (a ranking uses the stored vacancy vector).
 *    Embeddings: by default *synthesised* at every scale (the same method everywhere, so stages
 *    compare across N): the L2-normalised sum of the model's embeddings of the candidate's skill
 *    labels plus twice those of its occupation labels. Up to `--model-embed-max` candidates the
 *    bi-encoder embeds the service's own candidate texts instead (through the embedding cache).
 *    The model's cost per candidate is measured on a sample of `--embed-sample` texts without the
 *    cache, for the ingestion figures. Query vectors are always the model's.
 * 2. Serve (fresh Neo4j and API processes): rankCandidates latency through HTTP (cold: a vacancy
 *    never asked before; cross-encoder off and on; repeated: the identical request right again),
 *    per-stage timings from `meta`, throughput with autocannon, vector index vs exact search, and
 *    peak memory (VmHWM) of the API process and of the Neo4j JVM. The cold cross-encoder-off row
 *    alternates its calls with a second API process whose stage 2 reads Neo4j instead of the
 *    in-process candidate projection (RANKING_PROJECTION=false): the projection's baseline, same
 *    vacancies, same database state, same load. Rows start once /ready reports the projection loaded.
 *    Per call, "GraphQL + HTTP" is the client's wall time minus the ranking's `meta.timingsMs.total`.
 */
import type { Config } from '../../src/config.js';
import { DEFAULT_RERANKER, describeTrainedLookup, findTrainedReranker } from '../../src/inference/index.js';
import {
  portsFor,
  startBenchApi,
  startBenchNeo4j,
  storeDir,
  graphqlClient,
  type GraphQLClient,
} from './benchInstance.js';
import { runLoad, type LoadResult } from './loadBench.js';
import { summarize, type Summary } from './stats.js';
import { loadSample, processMemory, type LoadSample, type ProcessMemory } from './system.js';
import { prepareScaleUp } from './scaleUp.js';
import {
  benchConfig,
  ensureVacancyEmbeddings,
  prepareScale,
  type Ingestion,
  type ScaleOptions,
} from './scalePrepare.js';
import { compareVectorSearch, type VectorComparison } from './vectorBench.js';

export interface RankingCall {
  readonly ms: number;
  readonly retrieve: number;
  readonly features: number;
  readonly rerank: number;
  readonly fairness: number;
  readonly total: number;
  readonly pool: number;
  readonly cached: boolean;
  readonly featureSource: 'GRAPH' | 'PROJECTION';
  /** Wall time at the client minus the ranking's own total: GraphQL resolution, serialisation, HTTP. */
  readonly graphqlHttp: number;
  /** Of that, resolving the nested result (the response's `server-timing` `resolve`; NaN: not sent). */
  readonly resolve: number;
}

export interface LatencyRow {
  readonly name: string;
  readonly wall: Summary;
  readonly stages: Record<'retrieve' | 'features' | 'rerank' | 'fairness' | 'total', Summary> & {
    /** Absent in results recorded before it was measured. */
    readonly graphqlHttp?: Summary;
    /** Recorded from 4 Dec. */
    readonly resolve?: Summary;
  };
  readonly pool: number;
  readonly cachedShare: number;
  /** Share of the calls whose stage 2 read the in-process projection (`meta.featureSource`). */
  readonly projectionShare?: number;
  readonly load: { readonly start: LoadSample; readonly end: LoadSample };
}

export interface ScaleResult {
  readonly size: number;
  readonly options: ScaleOptions;
  readonly ingestion: Ingestion;
  /** The models the API processes served (recorded from 7 Dec 19:00; earlier runs did not record them). */
  readonly models?: ServedModels;
  /** The benchmark's HTTP client (`graphqlClient`); absent: Node's fetch (runs before 7 Dec 19:00). */
  readonly client?: 'node:http keep-alive';
  readonly neo4jStartMs: number;
  readonly apiStartMs: number;
  /** The candidate projection's full load as /ready reports it, ms (null: it did not load). */
  readonly projectionLoadMs?: number | null;
  /** API resident sets after the cold row, with and without the projection, and its /ready line. */
  readonly projectionMemory?: {
    readonly withProjection: ProcessMemory | null;
    readonly withoutProjection: ProcessMemory | null;
    readonly estimate: string | null;
  };
  readonly latency: LatencyRow[];
  readonly throughput: LoadResult[];
  readonly vector: VectorComparison;
  readonly memory: { readonly api: ProcessMemory | null; readonly neo4j: ProcessMemory | null };
  /** Whether vacancies had stored vectors (else every cold ranking embedded its vacancy text). */
  readonly vacancyVectors: boolean;
  /** One GET /ready after the load runs: its status and time (its embedding-progress count grows with N). */
  readonly ready: { readonly status: number; readonly ms: number } | null;
}

/**
 * Rankings before the timed rows, on vacancies outside the measured sets, half with the
 * cross-encoder: the rows measure a running service (code JIT-compiled, Neo4j's page cache holding
 * what rankings touch), not its first minute. With 5, the first timed row (10k, no cross-encoder) ran about 1.6×
 * slower than the same row after 20.
 */
const WARM_UP_RANKINGS = 20;

const RANK = `query($v: ID!, $ce: Boolean) { rankCandidates(vacancyId: $v, first: 20, options: { useReranker: $ce }) {
  nodes { rank score explanation candidate { id displayName } matchedSkills { preferredLabel } missingEssentialSkills { preferredLabel } }
  meta { timingsMs { retrieve features rerank fairness total } pool cached featureSource } fairness { demographicParityDifference } } }`;

interface RankResponse {
  rankCandidates: {
    meta: {
      timingsMs: Record<'retrieve' | 'features' | 'rerank' | 'fairness' | 'total', number>;
      pool: number;
      cached: boolean;
      featureSource: 'GRAPH' | 'PROJECTION';
    };
  };
}

async function rankCall(
  client: GraphQLClient,
  vacancyId: string,
  crossEncoder: boolean,
): Promise<RankingCall> {
  const started = performance.now();
  const { data, timing } = await client.timed<RankResponse>(RANK, { v: vacancyId, ce: crossEncoder });
  const ms = performance.now() - started;
  const { timingsMs, pool, cached, featureSource } = data.rankCandidates.meta;
  return {
    ms,
    ...timingsMs,
    pool,
    cached,
    featureSource,
    graphqlHttp: Math.max(0, ms - timingsMs.total),
    resolve: timing.get('resolve') ?? Number.NaN,
  };
}

function latencyRow(name: string, calls: readonly RankingCall[], load: LatencyRow['load']): LatencyRow {
  const pick = (key: keyof RankingCall) => summarize(calls.map((c) => Number(c[key])));
  return {
    name,
    wall: pick('ms'),
    stages: {
      retrieve: pick('retrieve'),
      features: pick('features'),
      rerank: pick('rerank'),
      fairness: pick('fairness'),
      total: pick('total'),
      graphqlHttp: pick('graphqlHttp'),
      resolve: pick('resolve'),
    },
    pool: summarize(calls.map((c) => c.pool)).p50,
    cachedShare: calls.filter((c) => c.cached).length / Math.max(1, calls.length),
    projectionShare: calls.filter((c) => c.featureSource === 'PROJECTION').length / Math.max(1, calls.length),
    load,
  };
}

/** Open vacancy ids in id order, paged through the API. */
async function openVacancies(client: GraphQLClient, max: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  while (ids.length < max) {
    const page: {
      vacancies: {
        nodes: Array<{ id: string }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await client.request(
      'query($after: String) { vacancies(first: 100, after: $after, filter: { status: OPEN }) { nodes { id } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    ids.push(...page.vacancies.nodes.map((n) => n.id));
    if (!page.vacancies.pageInfo.hasNextPage) break;
    after = page.vacancies.pageInfo.endCursor;
  }
  return ids.slice(0, max);
}

export async function runScale(options: ScaleOptions, log: (msg: string) => void): Promise<ScaleResult> {
  const ingestion =
    options.size > options.importMax ? await prepareScaleUp(options, log) : await prepareScale(options, log);
  const ports = portsFor(options.size);
  const neo4j = await startBenchNeo4j(storeDir(options.size), ports.bolt, options.memory, log);
  let api: Awaited<ReturnType<typeof startBenchApi>> | undefined;
  let baseline: Awaited<ReturnType<typeof startBenchApi>> | undefined;
  try {
    // The store's candidate vectors name their model; the API must load the same one (another
    // model would make it drop them and re-embed).
    const state = (await neo4j.gateway.read('embedding/state')).find((r) => r.target === 'candidate');
    const embeddingModel = typeof state?.model === 'string' ? state.model : ingestion.embeddingModel;
    await ensureVacancyEmbeddings(neo4j.gateway, benchConfig(options.size, embeddingModel), log);
    const served = await servedModels(benchConfig(options.size, embeddingModel));
    log(`bench-${options.size}: bi-encoder ${served.embedder}; cross-encoder ${served.reranker.message}`);
    const apiEnv = { EMBEDDING_MODEL: embeddingModel, VECTOR_INDEX_QUANTIZATION: 'false' };
    api = await startBenchApi(neo4j.handle.uri, ports.http, apiEnv, log);
    const apiStartMs = api.startMs;
    // Baseline in the same run: a second API process whose stage 2 reads Neo4j
    // (RANKING_PROJECTION=false); the first row alternates calls between the two on the same cold
    // vacancies, so both see the same Neo4j (page cache, plan cache, JIT) and the same load.
    baseline = await startBenchApi(
      neo4j.handle.uri,
      ports.extraHttp,
      { ...apiEnv, RANKING_PROJECTION: 'false' },
      log,
    );
    const projectionLoadMs = await untilProjectionSettled(api.url, log, options.size);
    const client = graphqlClient(api.url, api.apiKey);
    const graphClient = graphqlClient(baseline.url, baseline.apiKey);
    const vacancies = await openVacancies(client, Number.MAX_SAFE_INTEGER);
    if (vacancies.length < 3 * options.calls + WARM_UP_RANKINGS)
      throw new Error(`only ${vacancies.length} open vacancies for ${options.calls} calls per row`);
    const warmUp = vacancies.slice(3 * options.calls, 3 * options.calls + WARM_UP_RANKINGS);
    const setA = vacancies.slice(0, options.calls);
    const setB = vacancies.slice(options.calls, 2 * options.calls);
    for (const [i, v] of warmUp.entries()) {
      await rankCall(client, v, i % 2 === 0);
      await rankCall(graphClient, v, i % 2 === 0);
    }

    const latency: LatencyRow[] = [];
    const measureRow = async (
      name: string,
      ids: readonly string[],
      crossEncoder: boolean,
      repeat: boolean,
    ) => {
      const start = loadSample();
      const calls: RankingCall[] = [];
      for (const v of ids) {
        if (repeat) await rankCall(client, v, crossEncoder);
        calls.push(await rankCall(client, v, crossEncoder));
      }
      latency.push(latencyRow(name, calls, { start, end: loadSample() }));
      log(
        `bench-${options.size}: ${name}: p50 ${latency.at(-1)?.wall.p50.toFixed(1)} ms, p95 ${latency.at(-1)?.wall.p95.toFixed(1)} ms`,
      );
    };
    {
      const start = loadSample();
      const [projected, graph]: [RankingCall[], RankingCall[]] = [[], []];
      for (const v of setA) {
        projected.push(await rankCall(client, v, false));
        graph.push(await rankCall(graphClient, v, false));
      }
      const load = { start, end: loadSample() };
      latency.push(latencyRow('cold, cross-encoder off', projected, load));
      latency.push(latencyRow(GRAPH_BASELINE_ROW, graph, load));
      for (const row of latency)
        log(
          `bench-${options.size}: ${row.name}: p50 ${row.wall.p50.toFixed(1)} ms, p95 ${row.wall.p95.toFixed(1)} ms, features p50 ${row.stages.features.p50.toFixed(1)} ms`,
        );
    }
    // Memory the projection costs: both processes' resident sets after the same requests, and
    // the projection's own estimate from /ready.
    const projectionMemory = {
      withProjection: processMemory(api.pid),
      withoutProjection: processMemory(baseline.pid),
      estimate: await projectionLine(api.url),
    };
    await baseline.stop();
    baseline = undefined;
    await measureRow('cold, cross-encoder on (top 30)', setB, true, false);
    // Set C: never asked before; the first of each pair is untimed, the second is the repeat.
    await measureRow(
      'repeated identical request (cross-encoder on)',
      vacancies.slice(2 * options.calls, 3 * options.calls),
      true,
      true,
    );

    const candidates = (
      await client.request<{ candidates: { nodes: Array<{ id: string }> } }>(
        '{ candidates(first: 100) { nodes { id } } }',
      )
    ).candidates.nodes.map((c) => c.id);
    const throughput: LoadResult[] = [];
    if (!options.skipLoad) {
      for (const connections of options.concurrency) {
        throughput.push(
          await runLoad({ client, connections, seconds: options.loadSeconds, vacancies, candidates }),
        );
        const last = throughput.at(-1);
        log(
          `bench-${options.size}: ${connections} clients: ${last?.requestsPerSecond.toFixed(1)} req/s, p99 ${last?.latency.p99} ms, errors ${last?.errors}`,
        );
      }
    }
    const memory = { api: processMemory(api.pid), neo4j: processMemory(neo4j.handle.pid) };
    const ready = await timeReady(api.url);
    log(
      `bench-${options.size}: GET /ready answered ${ready?.status ?? 'nothing'} in ${ready?.ms.toFixed(0) ?? '—'} ms`,
    );
    await api.stop();
    api = undefined;

    const config = benchConfig(options.size, embeddingModel);
    const vector = await compareVectorSearch(
      neo4j.gateway,
      config,
      vacancies.slice(0, options.vectorQueries),
      log,
    );
    return {
      size: options.size,
      options,
      ingestion: { ...ingestion, embeddingModel },
      models: served,
      client: 'node:http keep-alive',
      neo4jStartMs: neo4j.startMs,
      apiStartMs,
      projectionLoadMs,
      projectionMemory,
      latency,
      throughput,
      vector,
      memory: { api: memory.api, neo4j: processMemory(neo4j.handle.pid) ?? memory.neo4j },
      ready,
      vacancyVectors: true,
    };
  } finally {
    await api?.stop();
    await baseline?.stop();
    await neo4j.stop();
  }
}

/** The latency row of the baseline API whose stage 2 reads the graph (report.ts finds it by prefix). */
export interface ServedModels {
  readonly embedder: string;
  readonly reranker: {
    readonly name: string;
    readonly sha256: string | null;
    readonly trained: boolean;
    readonly message: string;
  };
}

/** The models the benchmark's API processes serve with `config` (its trained cross-encoder or the generic one). */
async function servedModels(config: Config): Promise<ServedModels> {
  const lookup = await findTrainedReranker(config);
  const message = describeTrainedLookup(lookup, DEFAULT_RERANKER, 'reranker');
  const reranker =
    lookup.status === 'valid'
      ? {
          name: lookup.local.manifest.name,
          sha256: lookup.local.manifest.model.sha256,
          trained: true,
          message,
        }
      : { name: DEFAULT_RERANKER, sha256: null, trained: false, message };
  return { embedder: config.inference.embeddingModel, reranker };
}

export const GRAPH_BASELINE_ROW =
  'baseline: stage 2 from the graph (RANKING_PROJECTION=false), cold, cross-encoder off';

/** /ready's candidate projection line (null when it cannot be read). */
async function projectionLine(baseUrl: string): Promise<string | null> {
  const res = await fetch(`${baseUrl}/ready`, { signal: AbortSignal.timeout(120_000) }).catch(() => null);
  const body = res
    ? ((await res.json().catch(() => null)) as { checks?: Record<string, string> } | null)
    : null;
  return body?.checks?.candidateProjection ?? null;
}

/**
 * Waits until /ready reports the candidate projection loaded (or failed, or off), so that the timed
 * rows measure the steady state; rankings before then read the graph. Returns the load's duration
 * in ms as /ready reports it (null when it failed or is off).
 */
async function untilProjectionSettled(
  baseUrl: string,
  log: (msg: string) => void,
  size: number,
): Promise<number | null> {
  const started = performance.now();
  const deadline = Date.now() + 30 * 60_000;
  while (Date.now() < deadline) {
    const line = (await projectionLine(baseUrl)) ?? '';
    if (line && !line.startsWith('loading')) {
      const ms = performance.now() - started;
      log(`bench-${size}: candidate projection after ${(ms / 1000).toFixed(1)} s: ${line}`);
      // The load's own duration as the projection reports it (it may have begun before the wait).
      const loaded = /loaded in (\d+) ms/.exec(line);
      return line.startsWith('failed') || line.startsWith('off') ? null : loaded ? Number(loaded[1]) : ms;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  log(`bench-${size}: candidate projection not loaded after 30 minutes; rows read the graph`);
  return null;
}

async function timeReady(baseUrl: string): Promise<{ status: number; ms: number } | null> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}/ready`, { signal: AbortSignal.timeout(120_000) });
    await res.text();
    return { status: res.status, ms: performance.now() - started };
  } catch {
    return null;
  }
}

/**
 * Vacancies get the model's own embeddings, as the service computes them (through the embedding
 * cache): with a symmetric model a ranking uses the vacancy's stored vector as its query and runs
 * no bi-encoder, so a store without them would time an embedding production does not do.
 */
