/**
 * Configuration, read once from the environment at start-up and validated.
 * No other module reads `process.env`: the parsed `Config` is passed in.
 */
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Repository root (this file lives in `<root>/src`). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Heavy reads (rankings, gaps, demand) at once by default: this machine's cores, 2 to 8. Measured
 * on the 2-core development machine (test store, 40 rankings in a loop, no cross-encoder): a
 * taxonomy read's p95 went from 35-46 ms idle to 684 ms with 8 heavy lanes and to 93 ms with 2,
 * for about 30 % fewer rankings per second; more lanes than cores only queue inside Neo4j.
 */
const DEFAULT_HEAVY_TRANSACTIONS = Math.min(8, Math.max(2, os.availableParallelism()));
const intFrom = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const boolFrom = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z
  .object({
    HOST: z.string().default('127.0.0.1'),
    PORT: intFrom(4000, 0, 65535),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    INTROSPECTION: z.enum(['true', 'false', '1', '0', 'yes', 'no', 'authenticated']).default('true'),
    MAX_BODY_BYTES: intFrom(1_048_576, 1024, 104_857_600),

    API_KEYS: z.string().default(''),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256)').optional(),
    JWT_PUBLIC_KEY: z.string().optional(),
    JWT_JWKS_URL: z.url().optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    JWT_ROLE_CLAIM: z.string().default('role'),
    JWT_ORG_CLAIM: z.string().default('org'),
    ANONYMOUS_ACCESS: z.enum(['auto', 'taxonomy', 'none', 'local-admin']).default('auto'),
    PSEUDONYM_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    MAX_QUERY_DEPTH: intFrom(12, 2, 100),
    MAX_QUERY_COST: intFrom(20_000, 10, 100_000_000),
    MAX_ALIASES: intFrom(30, 0, 10_000),
    MAX_BATCH_SIZE: intFrom(5, 1, 100),
    MAX_PAGE_SIZE: intFrom(100, 1, 10_000),
    MAX_QUERY_TOKENS: intFrom(5_000, 100, 1_000_000),
    REQUEST_TIMEOUT_MS: intFrom(30_000, 100, 3_600_000),
    MAX_REQUEST_RETRIEVE: intFrom(40_000, 1, 100_000_000),
    MAX_REQUEST_TRANSACTIONS: intFrom(4, 1, 1_000),
    MAX_IN_FLIGHT_PER_CALLER: intFrom(16, 1, 100_000),
    NEO4J_HEAVY_TRANSACTIONS: intFrom(DEFAULT_HEAVY_TRANSACTIONS, 1, 1_000),
    PERSISTED_QUERIES: boolFrom(true),
    RATE_LIMIT_KEY_PER_S: z.coerce.number().min(0).max(1_000_000).default(20),
    RATE_LIMIT_KEY_BURST: intFrom(60, 1, 10_000_000),
    RATE_LIMIT_IP_PER_S: z.coerce.number().min(0).max(1_000_000).default(5),
    RATE_LIMIT_IP_BURST: intFrom(30, 1, 10_000_000),
    TRUST_PROXY: boolFrom(false),
    SHUTDOWN_GRACE_MS: intFrom(30_000, 0, 600_000),

    NEO4J_URI: z
      .string()
      .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\//, 'must start with bolt:// or neo4j:// (optionally +s / +ssc)')
      .optional(),
    NEO4J_USER: z.string().default('neo4j'),
    NEO4J_PASSWORD: z.string().optional(),
    NEO4J_DATABASE: z.string().default('neo4j'),
    NEO4J_TX_TIMEOUT_MS: intFrom(30_000, 100, 3_600_000),
    NEO4J_MAX_RETRY_MS: intFrom(5_000, 0, 600_000),

    NEO4J_LOCAL_BOLT_PORT: intFrom(7687, 1, 65535),
    NEO4J_LOCAL_DATA_DIR: z.string().default(path.join(PROJECT_ROOT, '.data', 'neo4j')),
    NEO4J_LOCAL_HEAP_MB: intFrom(1024, 256, 65536),
    NEO4J_LOCAL_PAGECACHE_MB: intFrom(640, 64, 65536),
    NEO4J_LOCAL_READY_TIMEOUT_S: intFrom(180, 5, 3600),

    ESCO_DIR: z.string().optional(),
    ESCO_ZIPS: z.string().optional(),
    ESCO_AUTO_IMPORT: boolFrom(true),
    IMPORT_BATCH_SIZE: intFrom(2000, 1, 100_000),

    PRIVACY_MIN_GROUP_SIZE: intFrom(5, 1, 1000),
    DEMO_AUTOLOAD: boolFrom(true),
    DEMO_CANDIDATES: intFrom(10_000, 0, 5_000_000),
    DEMO_VACANCIES: intFrom(1_000, 0, 500_000),
    DEMO_SEED: intFrom(42, 0, 2_147_483_647),
    DEMO_OUTCOME_BIAS: z.coerce.number().min(0).max(1).default(0),
    DEMO_DIR: z.string().default(path.join(PROJECT_ROOT, '.data', 'demo')),
    CACHE_DIR: z.string().default(path.join(os.homedir(), '.cache', 'talentgraph')),
    MODELS_DIR: z.string().default(path.join(PROJECT_ROOT, '.cache', 'models')),
    CONSOLE_DIR: z.string().default(path.join(PROJECT_ROOT, 'dist', 'web')),
    CONSOLE_BUILD: z.enum(['auto', 'off']).default('auto'),
    EMBEDDING_MODEL: z.string().default('all-minilm-l6-v2'),
    EMBEDDING_MODEL_DIR: z.string().optional(),
    TRAINED_MODELS: z.enum(['auto', 'off', 'bi-encoder', 'cross-encoder']).default('auto'),
    TRAINED_EMBEDDING_MODEL: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a folder name under CACHE_DIR/models/trained')
      .default('talentgraph-biencoder'),
    TRAINED_RERANKER_MODEL: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a folder name under CACHE_DIR/models/trained')
      .default('talentgraph-cross-encoder'),
    TRAINED_MODEL_VARIANT: z.enum(['fp32', 'int8']).default('fp32'),
    RERANKER_MODEL_DIR: z.string().optional(),
    INFERENCE_DEVICE: z.enum(['cpu', 'cuda']).default('cpu'),
    INFERENCE_THREADS: intFrom(0, 0, 256),
    INFERENCE_MAX_CONCURRENCY: intFrom(1, 1, 64),
    EMBEDDING_SYNC: boolFrom(true),
    VECTOR_INDEX_QUANTIZATION: boolFrom(false),
    RERANKER_ENABLED: boolFrom(true),
    RERANKER_MAX_WAITING: intFrom(2, 1, 10_000),
    RERANKER_PAIR_CACHE: intFrom(50_000, 0, 10_000_000),
    RANKING_CACHE_TTL_MS: intFrom(30_000, 0, 3_600_000),
    RANKING_VERSION_MAX_AGE_MS: intFrom(250, 0, 60_000),
    RANKING_PROJECTION: boolFrom(true),
    RANKING_PROJECTION_MAX_VECTORS: intFrom(250_000, 0, 100_000_000),
    RANKING_USE_RERANKER: boolFrom(false),
    FUSION_MODEL: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    const jwtKeys = [env.JWT_SECRET, env.JWT_PUBLIC_KEY, env.JWT_JWKS_URL].filter((v) => v !== undefined);
    if (jwtKeys.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL',
      });
    }
    if (env.NEO4J_URI && env.NEO4J_PASSWORD === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['NEO4J_PASSWORD'],
        message: 'is required when NEO4J_URI is set (use NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE)',
      });
    }
  });

export interface SecurityConfig {
  /** Raw `API_KEYS` entries (`id:ROLE:organization:sha256hex`), parsed by `src/security/credentials.ts`. */
  readonly apiKeys: string;
  readonly jwt: {
    readonly secret: string | undefined;
    readonly publicKey: string | undefined;
    readonly jwksUrl: string | undefined;
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
    readonly roleClaim: string;
    readonly orgClaim: string;
  };
  /**
   * What a request without credentials may do. `local-admin` (the zero-configuration default:
   * no keys, no JWT, loopback only) treats loopback requests as ADMIN for local development.
   */
  readonly anonymous: 'taxonomy' | 'none' | 'local-admin';
  readonly pseudonymSecret: string | undefined;
  readonly limits: {
    readonly maxDepth: number;
    readonly maxCost: number;
    readonly maxAliases: number;
    readonly maxBatch: number;
    readonly maxPageSize: number;
    readonly maxTokens: number;
    readonly requestTimeoutMs: number;
    /**
     * Items a request's rankings may retrieve in all (retrieveN per first-stage source, summed
     * over aliases and batch members): refused before execution where the query says, and by
     * the gateway while it runs otherwise (MAX_REQUEST_RETRIEVE).
     */
    readonly maxRequestRetrieve: number;
    /** Requests one caller (credential, or IP when anonymous) may have in flight (MAX_IN_FLIGHT_PER_CALLER). */
    readonly maxInFlightPerCaller: number;
  };
  readonly persistedQueries: boolean;
  readonly rateLimit: {
    readonly keyPerSecond: number;
    readonly keyBurst: number;
    readonly ipPerSecond: number;
    readonly ipBurst: number;
    readonly trustProxy: boolean;
  };
  /** How long a shutdown waits for in-flight requests before closing connections. */
  readonly shutdownGraceMs: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export interface Neo4jRemoteConfig {
  readonly mode: 'remote';
  readonly uri: string;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly txTimeoutMs: number;
  /** How long the driver retries a transaction on transient errors before giving up. */
  readonly maxRetryMs: number;
}

export interface Neo4jLocalConfig {
  readonly mode: 'local';
  readonly boltPort: number;
  readonly dataDir: string;
  readonly heapMb: number;
  readonly pageCacheMb: number;
  readonly readyTimeoutMs: number;
  readonly database: string;
  readonly txTimeoutMs: number;
  readonly maxRetryMs: number;
}

export interface Config {
  readonly host: string;
  /** The web console and explorer (static files built from `web/`). */
  readonly console: {
    /** Folder of the built files the server serves at `/`, `/explorer` and `/assets/`. */
    readonly dir: string;
    /** Whether `npm start` builds them when missing or stale (needs the dev dependencies). */
    readonly build: boolean;
  };
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Who may introspect the schema: everyone who may query, authenticated callers only, or nobody. */
  readonly introspection: 'on' | 'authenticated' | 'off';
  /** Largest accepted HTTP request body. */
  readonly maxBodyBytes: number;
  /** Authentication, roles and abuse limits (see README "Security"). */
  readonly security: SecurityConfig;
  readonly neo4j: Neo4jRemoteConfig | Neo4jLocalConfig;
  /** Each request's share of the database (see `Neo4jGateway`). */
  readonly graphWork: {
    /** A request's transactions running at once (MAX_REQUEST_TRANSACTIONS). */
    readonly maxRequestTransactions: number;
    /** Connections heavy reads (rankings, gaps, demand) may hold at once; the rest stay for cheap reads (NEO4J_HEAVY_TRANSACTIONS). */
    readonly heavyTransactions: number;
    /** As `security.limits.maxRequestRetrieve`. */
    readonly maxRequestRetrieve: number;
  };
  readonly esco: {
    /** Explicit sources (zips and/or folders); empty means "use the default `../shared/esco`". */
    readonly sources: readonly string[];
    readonly defaultDir: string;
    readonly autoImport: boolean;
    readonly batchSize: number;
  };
  readonly cacheDir: string;
  /** Aggregates suppress groups smaller than this. */
  readonly privacy: { readonly minGroupSize: number };
  /** The demo dataset `npm start` loads when the graph holds no people. */
  readonly demo: {
    readonly autoLoad: boolean;
    readonly candidates: number;
    readonly vacancies: number;
    readonly seed: number;
    readonly outcomeBias: number;
    /** Where the generated files go (people.jsonl, and fit.jsonl: the evaluation answer key). */
    readonly dir: string;
  };
  readonly inference: {
    /** Folder holding fetched and extracted models (ignored by git). */
    readonly modelsDir: string;
    /** Name of a built-in bi-encoder (see `src/inference/modelCatalog.ts`), used unless `embeddingModelDir` is set. */
    readonly embeddingModel: string;
    /** A user's own ONNX bi-encoder folder (model.onnx + tokenizer.json [+ talentgraph-model.json]). */
    readonly embeddingModelDir: string | undefined;
    /** A user's own ONNX cross-encoder folder. */
    readonly rerankerModelDir: string | undefined;
    /**
     * Models trained by `npm run train:models`, in `dir/<name>/` with a manifest. Where `enabled`
     * says so for its task (TRAINED_MODELS=auto: both; `bi-encoder` / `cross-encoder`: that one
     * only; `off`: neither) a valid bi-encoder is served instead of `embeddingModel` and a valid
     * cross-encoder instead of the catalog's; an explicit `embeddingModelDir` / `rerankerModelDir`
     * still wins.
     */
    readonly trained: {
      readonly enabled: { readonly embedding: boolean; readonly reranker: boolean };
      readonly dir: string;
      readonly embeddingModel: string;
      readonly rerankerModel: string;
      readonly variant: 'fp32' | 'int8';
    };
    readonly device: 'cpu' | 'cuda';
    /** Intra-op threads per session; 0 lets onnxruntime decide. */
    readonly threads: number;
    /** Native runs in flight at once, so the event loop stays responsive. */
    readonly maxConcurrency: number;
    /** Embed graph nodes in the background (people first) and keep them in step. */
    readonly embeddingSync: boolean;
    /** int8 vectors inside the Neo4j vector indexes (less memory, lower recall); off by default. */
    readonly vectorIndexQuantization: boolean;
    /** Load the cross-encoder (ranking reports the stage skipped without it). */
    readonly rerankerEnabled: boolean;
    /** Rankings allowed to queue for the cross-encoder; when that many wait, a ranking that needs it is refused with SERVICE_OVERLOADED (never ranked without it). */
    readonly rerankerMaxWaiting: number;
    /** Cross-encoder scores kept per (model, query, passage) for reuse; 0 turns the cache off. */
    readonly rerankerPairCache: number;
  };
  /** How long a computed ranking is reused for an identical request. */
  readonly rankingCacheTtlMs: number;
  /**
   * How old the people data version a ranking request uses may be (RANKING_VERSION_MAX_AGE_MS,
   * default 250 ms): writes by other processes reach this process's rankings within it, writes
   * through it at once; 0 reads the version for every request.
   */
  readonly rankingVersionMaxAgeMs: number;
  /**
   * The in-process candidate projection (`src/graph/ranking/candidateProjection.ts`): stage 2 of
   * rankCandidates reads it instead of the graph once it reflects the request's data version
   * (RANKING_PROJECTION, default on); embeddings are held in it only up to `maxVectors`
   * candidates (RANKING_PROJECTION_MAX_VECTORS, ~1.5 KB each), above which cosines are read.
   */
  readonly rankingProjection: { readonly enabled: boolean; readonly maxVectors: number };
  /**
   * Whether a ranking runs the cross-encoder over its head when the request does not say
   * (RANKING_USE_RERANKER, default off: on the in-house evaluation the served generic model
   * does not improve nDCG@10 and costs about 4.7x the ranking time; docs/evaluation.md).
   */
  readonly rankingUseReranker: boolean;
  /** A learned fusion artifact (`npm run train:fusion`) whose weights replace the hand-set ones; unset: hand-set weights. */
  readonly fusionModel: string | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses and validates an environment; throws a `ConfigError` naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const neo4j: Config['neo4j'] = e.NEO4J_URI
    ? {
        mode: 'remote',
        uri: e.NEO4J_URI,
        user: e.NEO4J_USER,
        password: e.NEO4J_PASSWORD ?? '',
        database: e.NEO4J_DATABASE,
        txTimeoutMs: e.NEO4J_TX_TIMEOUT_MS,
        maxRetryMs: e.NEO4J_MAX_RETRY_MS,
      }
    : {
        mode: 'local',
        boltPort: e.NEO4J_LOCAL_BOLT_PORT,
        dataDir: path.resolve(e.NEO4J_LOCAL_DATA_DIR),
        heapMb: e.NEO4J_LOCAL_HEAP_MB,
        pageCacheMb: e.NEO4J_LOCAL_PAGECACHE_MB,
        readyTimeoutMs: e.NEO4J_LOCAL_READY_TIMEOUT_S * 1000,
        database: 'neo4j',
        txTimeoutMs: e.NEO4J_TX_TIMEOUT_MS,
        maxRetryMs: e.NEO4J_MAX_RETRY_MS,
      };
  const credentialsConfigured =
    e.API_KEYS.trim() !== '' ||
    e.JWT_SECRET !== undefined ||
    e.JWT_PUBLIC_KEY !== undefined ||
    e.JWT_JWKS_URL !== undefined;
  const anonymous =
    e.ANONYMOUS_ACCESS === 'auto'
      ? !credentialsConfigured && LOOPBACK_HOSTS.has(e.HOST)
        ? 'local-admin'
        : 'taxonomy'
      : e.ANONYMOUS_ACCESS;
  if (anonymous === 'local-admin' && !LOOPBACK_HOSTS.has(e.HOST)) {
    throw new ConfigError(
      'Invalid configuration:\n  ANONYMOUS_ACCESS: local-admin needs HOST to be a loopback address (127.0.0.1, localhost, ::1)',
    );
  }
  const sources = [
    ...(e.ESCO_ZIPS ? e.ESCO_ZIPS.split(/[,:]/).filter(Boolean) : []),
    ...(e.ESCO_DIR ? [e.ESCO_DIR] : []),
  ].map((p) => path.resolve(p));
  return {
    host: e.HOST,
    console: { dir: path.resolve(e.CONSOLE_DIR), build: e.CONSOLE_BUILD === 'auto' },
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    introspection:
      e.INTROSPECTION === 'authenticated'
        ? 'authenticated'
        : ['true', '1', 'yes'].includes(e.INTROSPECTION)
          ? 'on'
          : 'off',
    maxBodyBytes: e.MAX_BODY_BYTES,
    security: {
      apiKeys: e.API_KEYS,
      jwt: {
        secret: e.JWT_SECRET,
        publicKey: e.JWT_PUBLIC_KEY,
        jwksUrl: e.JWT_JWKS_URL,
        issuer: e.JWT_ISSUER,
        audience: e.JWT_AUDIENCE,
        roleClaim: e.JWT_ROLE_CLAIM,
        orgClaim: e.JWT_ORG_CLAIM,
      },
      anonymous,
      pseudonymSecret: e.PSEUDONYM_SECRET,
      limits: {
        maxDepth: e.MAX_QUERY_DEPTH,
        maxCost: e.MAX_QUERY_COST,
        maxAliases: e.MAX_ALIASES,
        maxBatch: e.MAX_BATCH_SIZE,
        maxPageSize: e.MAX_PAGE_SIZE,
        maxTokens: e.MAX_QUERY_TOKENS,
        requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
        maxRequestRetrieve: e.MAX_REQUEST_RETRIEVE,
        maxInFlightPerCaller: e.MAX_IN_FLIGHT_PER_CALLER,
      },
      persistedQueries: e.PERSISTED_QUERIES,
      rateLimit: {
        keyPerSecond: e.RATE_LIMIT_KEY_PER_S,
        keyBurst: e.RATE_LIMIT_KEY_BURST,
        ipPerSecond: e.RATE_LIMIT_IP_PER_S,
        ipBurst: e.RATE_LIMIT_IP_BURST,
        trustProxy: e.TRUST_PROXY,
      },
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    },
    neo4j,
    graphWork: {
      maxRequestTransactions: e.MAX_REQUEST_TRANSACTIONS,
      heavyTransactions: e.NEO4J_HEAVY_TRANSACTIONS,
      maxRequestRetrieve: e.MAX_REQUEST_RETRIEVE,
    },
    esco: {
      sources,
      defaultDir: path.resolve(PROJECT_ROOT, '..', 'shared', 'esco'),
      autoImport: e.ESCO_AUTO_IMPORT,
      batchSize: e.IMPORT_BATCH_SIZE,
    },
    cacheDir: path.resolve(e.CACHE_DIR),
    privacy: { minGroupSize: e.PRIVACY_MIN_GROUP_SIZE },
    demo: {
      autoLoad: e.DEMO_AUTOLOAD,
      candidates: e.DEMO_CANDIDATES,
      vacancies: e.DEMO_VACANCIES,
      seed: e.DEMO_SEED,
      outcomeBias: e.DEMO_OUTCOME_BIAS,
      dir: path.resolve(e.DEMO_DIR),
    },
    inference: {
      modelsDir: path.resolve(e.MODELS_DIR),
      embeddingModel: e.EMBEDDING_MODEL,
      embeddingModelDir: e.EMBEDDING_MODEL_DIR ? path.resolve(e.EMBEDDING_MODEL_DIR) : undefined,
      rerankerModelDir: e.RERANKER_MODEL_DIR ? path.resolve(e.RERANKER_MODEL_DIR) : undefined,
      trained: {
        enabled: {
          embedding: e.TRAINED_MODELS === 'auto' || e.TRAINED_MODELS === 'bi-encoder',
          reranker: e.TRAINED_MODELS === 'auto' || e.TRAINED_MODELS === 'cross-encoder',
        },
        dir: path.join(path.resolve(e.CACHE_DIR), 'models', 'trained'),
        embeddingModel: e.TRAINED_EMBEDDING_MODEL,
        rerankerModel: e.TRAINED_RERANKER_MODEL,
        variant: e.TRAINED_MODEL_VARIANT,
      },
      device: e.INFERENCE_DEVICE,
      threads: e.INFERENCE_THREADS,
      maxConcurrency: e.INFERENCE_MAX_CONCURRENCY,
      embeddingSync: e.EMBEDDING_SYNC,
      vectorIndexQuantization: e.VECTOR_INDEX_QUANTIZATION,
      rerankerEnabled: e.RERANKER_ENABLED,
      rerankerMaxWaiting: e.RERANKER_MAX_WAITING,
      rerankerPairCache: e.RERANKER_PAIR_CACHE,
    },
    rankingCacheTtlMs: e.RANKING_CACHE_TTL_MS,
    rankingVersionMaxAgeMs: e.RANKING_VERSION_MAX_AGE_MS,
    rankingProjection: { enabled: e.RANKING_PROJECTION, maxVectors: e.RANKING_PROJECTION_MAX_VECTORS },
    rankingUseReranker: e.RANKING_USE_RERANKER,
    fusionModel: e.FUSION_MODEL ? path.resolve(e.FUSION_MODEL) : undefined,
  };
}
