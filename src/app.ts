/**
 * Composition root: wires config → Neo4j (local or remote) → gateway → services → HTTP.
 * `main.ts` (npm start) and the end-to-end tests both start the service through `startApp`.
 */
import fs from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { CypherRegistry } from './graph/cypherRegistry.js';
import { Neo4jGateway } from './graph/gateway.js';
import {
  ensureNeo4jLauncherBuilt,
  LocalNeo4jError,
  startLocalNeo4j,
  type LocalNeo4jHandle,
  type StartLocalNeo4jOptions,
} from './graph/localNeo4j.js';
import { superviseLocalNeo4j } from './graph/localNeo4jSupervisor.js';
import { applySchema } from './graph/schema.js';
import { ConceptResolver } from './graph/people/conceptResolver.js';
import { PeopleReader } from './graph/people/peopleReader.js';
import type { CandidateRecord } from './graph/people/records.js';
import { VersionedRecords } from './graph/people/versionedRecords.js';
import { PeopleRepository } from './graph/people/peopleRepository.js';
import { PeopleService } from './graph/people/peopleService.js';
import { TaxonomyReader } from './graph/taxonomy/taxonomyReader.js';
import { GapRepository } from './graph/gap/gapRepository.js';
import { CandidateProjection, type ProjectionStatus } from './graph/ranking/candidateProjection.js';
import { RankingRepository } from './graph/ranking/rankingRepository.js';
import { SkillGapService } from './services/skillGapService.js';
import { EmbeddingSync } from './services/embeddingSync.js';
import { RankingService } from './services/rankingService.js';
import { loadFusionModel } from './services/fusionModel.js';
import { ConceptSearchService } from './services/conceptSearchService.js';
import { createEmbedder, type Embedder } from './inference/embedder.js';
import { cachePairScores } from './inference/pairScoreCache.js';
import { createReranker, type PairScoreCacheStats, type Reranker } from './inference/reranker.js';
import type { SessionQueue } from './inference/sessionPool.js';
import { TaxonomyRecordCache } from './graph/taxonomy/recordCache.js';
import { TaxonomyRepository } from './graph/taxonomy/taxonomyRepository.js';
import { AccessRepository } from './graph/security/accessRepository.js';
import { startHttpServer, type RunningHttpServer } from './http/graphqlServer.js';
import { loadStaticSite } from './http/steps/staticSite.js';
import { ESCO_DOWNLOAD_HELP, EscoSourceError } from './import/esco/escoFiles.js';
import { buildLabelNodes, formatEscoReport, importEsco, readEscoCounts } from './import/esco/importEsco.js';
import { createProgress, type Progress } from './import/progress.js';
import type { RequestContext } from './resolvers/context.js';
import { loadEscoSnapshot } from './demo/escoSnapshot.js';
import { writeDemoFiles } from './demo/writeDemoFiles.js';
import { formatPeopleReport, importPeople, readPeopleFile } from './import/people/importPeople.js';

export interface App {
  readonly url: string;
  readonly port: number;
  readonly gateway: Neo4jGateway;
  readonly http: RunningHttpServer;
  readonly embeddings: EmbeddingSync;
  /**
   * Settles when the local Neo4j cannot be kept running (it kept exiting and restarts failed):
   * the process should stop with this message. Never settles for a remote database.
   */
  readonly neo4jFailed: Promise<Error>;
  /** The pid of the local Neo4j serving now (undefined with a remote database). */
  neo4jPid(): number | undefined;
  /** The cross-encoder's model runs: executing, waiting, dropped because their request was aborted (none without one). */
  rerankerQueue(): SessionQueue | undefined;
  /** Stops HTTP (draining in-flight requests), closes the driver, stops a local Neo4j. Idempotent. */
  stop(): Promise<void>;
}

export interface StartAppOptions {
  readonly progress?: Progress;
}

/** Connects to the configured Neo4j, starting the local one when `NEO4J_URI` is unset. */
export async function connectNeo4j(
  config: Config,
  log: Logger,
): Promise<{
  gateway: Neo4jGateway;
  local: LocalNeo4jHandle | undefined;
  /** How the local Neo4j was started (to start it again); undefined when none was started here. */
  localStart: StartLocalNeo4jOptions | undefined;
}> {
  const registry = CypherRegistry.load();
  const n = config.neo4j;
  let local: LocalNeo4jHandle | undefined;
  let localStart: StartLocalNeo4jOptions | undefined;
  let uri: string;
  if (n.mode === 'local') {
    const started = Date.now();
    await ensureNeo4jLauncherBuilt((msg) => log.info(msg));
    try {
      localStart = {
        boltPort: n.boltPort,
        dataDir: n.dataDir,
        heapMb: n.heapMb,
        pageCacheMb: n.pageCacheMb,
        readyTimeoutMs: n.readyTimeoutMs,
        log: (msg) => log.info(msg),
      };
      local = await startLocalNeo4j(localStart);
      uri = local.uri;
      log.info({ uri, dataDir: n.dataDir, ms: Date.now() - started }, 'local Neo4j ready');
    } catch (error) {
      // The port is taken: when it is our own local Neo4j (e.g. `npm start` is running and this
      // is `npm run import:people`), share it instead of failing.
      if (!(error instanceof LocalNeo4jError) || error.reason !== 'PORT_IN_USE') throw error;
      localStart = undefined;
      uri = `bolt://127.0.0.1:${n.boltPort}`;
      const probe = new Neo4jGateway({ uri, database: n.database, txTimeoutMs: 5000, registry });
      try {
        await probe.verifyConnectivity();
      } catch {
        throw error;
      } finally {
        await probe.close();
      }
      log.warn(
        { uri },
        'a Neo4j already listens on the local Bolt port: using it (started elsewhere, not stopped here)',
      );
    }
  } else {
    uri = n.uri;
  }
  const gateway = new Neo4jGateway({
    uri,
    ...(n.mode === 'remote' ? { user: n.user, password: n.password } : {}),
    database: n.database,
    txTimeoutMs: n.txTimeoutMs,
    maxRetryMs: n.maxRetryMs,
    ...config.graphWork,
    registry,
    onAvailabilityChange: (state) =>
      state === 'open'
        ? log.error(
            'Neo4j is unreachable: requests fail fast with SERVICE_UNAVAILABLE until it answers again',
          )
        : log.info('Neo4j is reachable again'),
  });
  try {
    await gateway.verifyConnectivity();
  } catch (error) {
    await gateway.close();
    await local?.stop();
    throw error;
  }
  return { gateway, local, localStart: local ? localStart : undefined };
}

/** ESCO sources to import from: configured ones, else `../shared/esco` when it exists. */
export function escoSources(config: Config): string[] {
  if (config.esco.sources.length > 0) return [...config.esco.sources];
  if (fs.existsSync(config.esco.defaultDir)) return [config.esco.defaultDir];
  throw new EscoSourceError(
    `No ESCO data found (looked in ${config.esco.defaultDir}). ${ESCO_DOWNLOAD_HELP}`,
  );
}

/** Loads the demo people dataset when the graph holds no people (and the config asks for it). */
export async function loadDemoIfEmpty(
  gateway: Neo4jGateway,
  config: Config,
  log: Logger,
  progress: Progress,
): Promise<void> {
  const people = new PeopleRepository(gateway);
  const counts = await people.counts();
  if (counts.candidates > 0 || counts.vacancies > 0 || !config.demo.autoLoad || config.demo.candidates === 0)
    return;
  const started = Date.now();
  log.info(
    { candidates: config.demo.candidates, vacancies: config.demo.vacancies, seed: config.demo.seed },
    'no people in the graph: loading the demo dataset',
  );
  const snapshot = await loadEscoSnapshot(gateway);
  const files = await writeDemoFiles(
    snapshot,
    {
      candidates: config.demo.candidates,
      vacancies: config.demo.vacancies,
      seed: config.demo.seed,
      outcomeBias: config.demo.outcomeBias,
    },
    config.demo.dir,
  );
  const report = await importPeople(
    gateway,
    people,
    new ConceptResolver(gateway),
    readPeopleFile(files.files.people),
    {
      batchSize: 1000,
      progress,
    },
  );
  log.info({ ms: Date.now() - started, fitFile: files.files.fit }, formatPeopleReport(report));
}

/** Applies the schema and imports ESCO when the graph holds none. */
export async function prepareGraph(
  gateway: Neo4jGateway,
  config: Config,
  log: Logger,
  progress: Progress,
): Promise<void> {
  await applySchema(gateway);
  await prepareEsco(gateway, config, log, progress);
  await loadDemoIfEmpty(gateway, config, log, progress);
  // Change records accumulate one per write transaction; fold them once there are many (the data
  // version, which every process's ranking cache keys on, stays the same).
  // Housekeeping only: a failure (another process folding the same records at the same moment)
  // leaves the records for the next start and never stops this one.
  try {
    const folded = await new PeopleRepository(gateway).compactChanges(CHANGES_BEFORE_COMPACTION);
    if (folded > 0) log.info({ folded }, 'folded recorded data changes into the data version');
  } catch (error) {
    log.warn({ err: error }, 'could not fold recorded data changes (left for the next start)');
  }
}

/** Recorded data changes (one node each) kept before start-up folds them into a count. */
const CHANGES_BEFORE_COMPACTION = 1_000;

async function prepareEsco(
  gateway: Neo4jGateway,
  config: Config,
  log: Logger,
  progress: Progress,
): Promise<void> {
  const counts = await readEscoCounts(gateway);
  if (counts.occupations > 0) {
    log.info({ occupations: counts.occupations, skills: counts.skills }, 'ESCO graph present');
    const [row] = await gateway.read('esco/specificity-missing');
    if (row?.missing === true) await gateway.write('esco/compute-specificity');
    const [labels] = await gateway.read('esco/labels-missing');
    if (labels?.missing === true) await buildLabelNodes(gateway, progress);
    return;
  }
  if (!config.esco.autoImport) {
    log.warn('The graph holds no ESCO data and ESCO_AUTO_IMPORT is off: run `npm run import:esco`');
    return;
  }
  log.info('The graph holds no ESCO data: importing it (first start only)');
  const report = await importEsco(gateway, {
    sources: escoSources(config),
    batchSize: config.esco.batchSize,
    progress,
  });
  log.info(formatEscoReport(report));
}

/** Loads the configured bi-encoder and cross-encoder (fetched and cached on first use). */
export async function loadModels(
  config: Config,
  log: Logger,
): Promise<{ embedder: Embedder; reranker: Reranker | null }> {
  const started = Date.now();
  const embedder = await createEmbedder(config);
  const selection = embedder.info.selection;
  if (selection) log[selection.trained === 'invalid' ? 'warn' : 'info'](selection.message);
  let reranker: Reranker | null = null;
  try {
    reranker = config.inference.rerankerEnabled ? await createReranker(config) : null;
    const chosen = reranker?.info.selection;
    if (chosen) log[chosen.trained === 'invalid' ? 'warn' : 'info'](chosen.message);
    if (reranker && config.inference.rerankerPairCache > 0) {
      reranker = cachePairScores(reranker, config.inference.rerankerPairCache);
    }
  } catch (error) {
    await embedder.close();
    throw error;
  }
  log.info(
    {
      embedder: embedder.info.name,
      sha256: embedder.info.sha256,
      reranker: reranker?.info.name ?? null,
      ms: Date.now() - started,
    },
    'models loaded',
  );
  return { embedder, reranker };
}

export async function startApp(config: Config, log: Logger, options: StartAppOptions = {}): Promise<App> {
  const connected = await connectNeo4j(config, log);
  const { gateway } = connected;
  // A local Neo4j that dies is started again (with backoff) or, failing that, `neo4jFailed` says why.
  const local =
    connected.local && connected.localStart
      ? superviseLocalNeo4j(connected.local, {
          start: startLocalNeo4j,
          startOptions: connected.localStart,
          log: { error: (msg) => log.error(msg), info: (msg) => log.info(msg) },
        })
      : undefined;
  let http: RunningHttpServer | undefined;
  let models: { embedder: Embedder; reranker: Reranker | null } | undefined;
  let embeddings: EmbeddingSync | undefined;
  let projection: CandidateProjection | null = null;
  let rankingToClose: RankingService | undefined;
  try {
    await prepareGraph(gateway, config, log, options.progress ?? createProgress());
    models = await loadModels(config, log);
    embeddings = new EmbeddingSync(gateway, models.embedder, log, {
      batchSize: 256,
      pollMs: 5000,
      progress: options.progress ?? createProgress(),
      quantization: config.inference.vectorIndexQuantization,
    });
    await embeddings.prepare();
    if (config.inference.embeddingSync) embeddings.start();
    const taxonomy = new TaxonomyRepository(gateway);
    // Skill and occupation records shared by all requests (ESCO changes only by an import).
    const taxonomyRecords = new TaxonomyRecordCache();
    const access = new AccessRepository(gateway);
    const people = new PeopleRepository(gateway);
    const peopleService = new PeopleService(gateway, people, new ConceptResolver(gateway));
    const gapRepository = new GapRepository(gateway);
    const gaps = new SkillGapService(
      gapRepository,
      { minGroupSize: config.privacy.minGroupSize },
      {
        candidate: async (id) => (await people.candidatesById([id]))[0] != null,
      },
    );
    const search = new ConceptSearchService(
      gateway,
      models.embedder,
      models.reranker,
      embeddings,
      async (kind, uris) => {
        const records =
          kind === 'occupation' ? await taxonomy.occupationsByUri(uris) : await taxonomy.skillsByUri(uris);
        return new Map(records.flatMap((r) => (r ? [[r.uri, r.preferredLabel] as [string, string]] : [])));
      },
    );
    // Loaded in the background: rankings read the graph until it reflects their data version.
    projection = config.rankingProjection.enabled
      ? new CandidateProjection(gateway, gapRepository, {
          maxVectors: config.rankingProjection.maxVectors,
          log,
        })
      : null;
    projection?.start();
    const ranking = new RankingService({
      repository: new RankingRepository(gateway, gapRepository, projection),
      embedder: models.embedder,
      reranker: models.reranker,
      embeddings,
      minGroupSize: config.privacy.minGroupSize,
      cacheTtlMs: config.rankingCacheTtlMs,
      versionMaxAgeMs: config.rankingVersionMaxAgeMs,
      defaultUseReranker: config.rankingUseReranker,
      rerankerMaxWaiting: config.inference.rerankerMaxWaiting,
      fusion: config.fusionModel ? loadFusionModel(config.fusionModel) : null,
    });
    rankingToClose = ranking;
    // The candidates of rankings (names on each ranked item), shared by data version for as long
    // as a ranking is cached.
    const candidateRecords = new VersionedRecords<CandidateRecord>({
      max: 20_000,
      ttlMs: config.rankingCacheTtlMs,
    });
    // An erased candidate leaves no cached ranking behind in this process, and no cached ranking
    // outlives a write that changes ranking inputs (the data generation is in every cache key).
    peopleService.onErased((id) => ranking.forget(id));
    peopleService.onChanged(() => ranking.changed());
    peopleService.onChanged(() => candidateRecords.clear());
    http = await startHttpServer({
      host: config.host,
      port: config.port,
      introspection: config.introspection,
      maxBodyBytes: config.maxBodyBytes,
      security: config.security,
      site: loadStaticSite(config.console.dir),
      log,
      createContext: (requestId, requestLog, principal): RequestContext => ({
        requestId,
        log: requestLog,
        principal,
        access,
        taxonomy: new TaxonomyReader(taxonomy, taxonomyRecords),
        people: new PeopleReader(people, candidateRecords),
        peopleService,
        gaps,
        ranking,
        search,
      }),
      checkReady: async () => {
        await gateway.read('admin/ping');
        // Embedding state from memory: counting embedded nodes scans the whole graph (seconds at 100k).
        const status = embeddings ? embeddings.status() : [];
        return {
          neo4j: 'ok',
          models: models
            ? `${models.embedder.info.name}${models.reranker ? ` + ${models.reranker.info.name}` : ''}`
            : 'none',
          embeddings: status.map((p) => `${p.target} ${p.complete ? 'complete' : 'in progress'}`).join(', '),
          ...(models?.reranker?.queue ? { crossEncoderQueue: describeQueue(models.reranker.queue()) } : {}),
          ...(models?.reranker?.cacheStats
            ? { crossEncoderPairCache: describePairCache(models.reranker.cacheStats()) }
            : {}),
          candidateProjection: describeProjection(projection?.status() ?? null),
          databaseWork: `${gateway.statementsRun} statements run, ${gateway.transactionsDropped} transactions dropped unrun by aborted requests`,
        };
      },
    });
  } catch (error) {
    projection?.stop();
    rankingToClose?.close();
    await embeddings?.stop();
    await models?.embedder.close();
    await models?.reranker?.close();
    await gateway.close();
    await local?.stop();
    throw error;
  }
  const server = http;
  const projectionRef = projection;
  const rankingRef = rankingToClose;
  const sync = embeddings;
  const loaded = models;
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    gateway,
    http: server,
    embeddings: sync,
    neo4jFailed: local?.gaveUp ?? new Promise<Error>(() => undefined),
    neo4jPid: () => local?.current.pid,
    rerankerQueue: () => loaded?.reranker?.queue?.(),
    stop: () => {
      stopping ??= (async () => {
        projectionRef?.stop();
        rankingRef?.close();
        await server.stop();
        await sync.stop();
        await loaded.embedder.close();
        await loaded.reranker?.close();
        await gateway.close();
        await local?.stop();
      })();
      return stopping;
    },
  };
}

/** A model queue for `/ready`'s details: runs executing, waiting, started since start, and abandoned by aborted requests. */
/** The candidate projection for `/ready`'s details. */
function describeProjection(status: ProjectionStatus | null): string {
  if (!status) return 'off (RANKING_PROJECTION=false): rankings read the graph';
  if (status.state !== 'ready') return `${status.state}: rankings read the graph meanwhile`;
  return (
    `${status.candidates} candidates at data version ${status.dataVersion}, vectors ${status.vectors}, ` +
    `~${Math.round(status.approxBytes / 1e6)} MB, loaded in ${Math.round(status.loadMs ?? 0)} ms; ` +
    `${status.fullLoads} full loads, ${status.incrementalRefreshes} refreshes reloading ${status.candidatesReloaded} candidates`
  );
}

function describePairCache(stats: PairScoreCacheStats): string {
  return `${stats.entries} pairs kept, ${stats.hits} answered from the cache, ${stats.misses} scored by the model`;
}

function describeQueue(queue: SessionQueue): string {
  return `running ${queue.running}, waiting ${queue.waiting}, started ${queue.started}, abandoned ${queue.abandoned}`;
}
