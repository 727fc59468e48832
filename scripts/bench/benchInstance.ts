/**
 * A benchmark's own Neo4j and API: each scale has its store in `.data/bench-<N>` and its own ports
 * (Bolt 7740–7759, HTTP 4040–4059), never the development store (.data/neo4j, 7687, 4000) nor
 * the test stores. The API runs as a child process (`node --import tsx src/main.ts`, one process,
 * so its pid is the one whose memory is read) against that Neo4j through `NEO4J_URI`, exactly as a
 * deployment with an external database would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../src/config.js';
import { SERVICE_NODE_FLAGS } from '../../src/nodeFlags.js';
import { CypherRegistry } from '../../src/graph/cypherRegistry.js';
import { Neo4jGateway, type Params } from '../../src/graph/gateway.js';
import { startLocalNeo4j, type LocalNeo4jHandle } from '../../src/graph/localNeo4j.js';

/**
 * Which trained models the benchmark's processes serve (`TRAINED_MODELS`): the cross-encoder of
 * `npm run train:models` when one is valid (what a ranking with the reranker gets from `npm start`),
 * never the trained bi-encoder, so that the store's bi-encoder stays the one its vectors were
 * written with and rows stay comparable across runs before and after training.
 */
export const BENCH_TRAINED_MODELS = 'cross-encoder';

export interface BenchPorts {
  readonly bolt: number;
  readonly http: number;
}

/**
 * Ports of a scale: 10k → Bolt 7744 / HTTP 4054, 100k → 7745 / 4055, 1M → 7746 / 4056 (by order of
 * magnitude). `extraHttp` is a second free port of the range for a comparison server. 4045 is never
 * used: it is on the Fetch standard's list of bad ports, which Node's fetch refuses to connect to.
 */
export function portsFor(size: number): BenchPorts & { readonly extraHttp: number } {
  const magnitude = Math.min(9, Math.max(0, Math.floor(Math.log10(Math.max(1, size)))));
  const extra = 4040 + magnitude;
  return { bolt: 7740 + magnitude, http: 4050 + magnitude, extraHttp: extra === 4045 ? 4049 : extra };
}

export function storeDir(size: number): string {
  return path.join(PROJECT_ROOT, '.data', `bench-${size}`);
}

export interface Neo4jMemory {
  readonly heapMb: number;
  readonly pageCacheMb: number;
  /** False: Neo4j's own vector-index population settings (the segments part's baseline). */
  readonly vectorIndexTuning?: boolean;
}

export interface BenchNeo4j {
  readonly handle: LocalNeo4jHandle;
  readonly gateway: Neo4jGateway;
  readonly startMs: number;
  stop(): Promise<void>;
}

export async function startBenchNeo4j(
  dataDir: string,
  boltPort: number,
  memory: Neo4jMemory,
  log: (msg: string) => void,
  onStatement?: (name: string, params: Params) => void,
): Promise<BenchNeo4j> {
  const started = performance.now();
  const handle = await startLocalNeo4j({
    boltPort,
    dataDir,
    heapMb: memory.heapMb,
    pageCacheMb: memory.pageCacheMb,
    ...(memory.vectorIndexTuning === undefined ? {} : { vectorIndexTuning: memory.vectorIndexTuning }),
    readyTimeoutMs: 1_800_000,
    log: (msg) => {
      if (!msg.startsWith('neo4j:')) log(msg);
    },
  });
  const gateway = new Neo4jGateway({
    uri: handle.uri,
    database: 'neo4j',
    txTimeoutMs: 3_600_000,
    registry: CypherRegistry.load(),
    ...(onStatement ? { onStatement } : {}),
  });
  await gateway.verifyConnectivity();
  return {
    handle,
    gateway,
    startMs: performance.now() - started,
    stop: async () => {
      await gateway.close();
      await handle.stop();
    },
  };
}

export interface BenchApi {
  readonly url: string;
  readonly pid: number;
  /** An ADMIN API key made for this run (the API is configured with its SHA-256, as in production). */
  readonly apiKey: string;
  readonly startMs: number;
  stop(): Promise<void>;
}

/**
 * Starts the API against a running Neo4j. Background embedding is off (the benchmark prepared the
 * candidate vectors; label embeddings would otherwise compete for the two cores), and nothing is
 * auto-imported. Authentication is on, with one ADMIN key made for this run; its rate limit is
 * raised out of the way (a rate limit is a policy, not the service's capacity, and the throughput
 * part would otherwise measure the limiter). Trained models: `BENCH_TRAINED_MODELS`. `extraEnv` overrides anything.
 */
export async function startBenchApi(
  boltUri: string,
  httpPort: number,
  extraEnv: Record<string, string>,
  log: (msg: string) => void,
): Promise<BenchApi> {
  const started = performance.now();
  const apiKey = `tgb_${randomBytes(24).toString('hex')}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [...SERVICE_NODE_FLAGS, '--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'main.ts')],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(httpPort),
        NEO4J_URI: boltUri,
        NEO4J_PASSWORD: '',
        EMBEDDING_SYNC: 'false',
        ESCO_AUTO_IMPORT: 'false',
        DEMO_AUTOLOAD: 'false',
        LOG_LEVEL: 'warn',
        API_KEYS: `bench:ADMIN::${createHash('sha256').update(apiKey, 'utf8').digest('hex')}`,
        RATE_LIMIT_KEY_PER_S: '1000000',
        RATE_LIMIT_KEY_BURST: '10000000',
        // One credential drives every concurrency level (up to 32 connections): its in-flight cap
        // would otherwise answer most of them 503 SERVICE_OVERLOADED before any work.
        MAX_IN_FLIGHT_PER_CALLER: '1000',
        TRAINED_MODELS: BENCH_TRAINED_MODELS,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the API process');
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const url = `http://127.0.0.1:${httpPort}`;
  // /health answers once start-up is over (HTTP listens last). Not /ready: its embedding-progress
  // count reads every embedded node, which grows with N (see the report), and is not what we time.
  try {
    for (;;) {
      if (exitCode !== undefined)
        throw new Error(`the API exited during start-up (code ${exitCode}):\n${tail.join('\n')}`);
      try {
        const res = await fetch(`${url}/health`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 600_000)
        throw new Error(`the API did not start within 600 s:\n${tail.join('\n')}`);
      await delay(250);
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  log(`API ready at ${url} (pid ${pid}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {
    url,
    pid,
    apiKey,
    startMs: performance.now() - started,
    stop: async () => {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      await Promise.race([exited, delay(30_000)]);
      if (exitCode === undefined) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface GraphQLClient {
  readonly url: string;
  readonly headers: Record<string, string>;
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** As `request`, with the response's `server-timing` durations by name (ms). */
  timed<T>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data: T; timing: Map<string, number> }>;
}

/** `server-timing` durations by name: `parse;dur=0.3, resolve;dur=16.5` → parse 0.3, resolve 16.5. */
export function serverTimings(header: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.map((p) => /^dur=([\d.]+)$/.exec(p.trim())?.[1]).find((d) => d !== undefined);
    if (name && dur !== undefined) out.set(name, Number(dur));
  }
  return out;
}

/**
 * GraphQL over HTTP POST; throws on GraphQL errors. `apiKey` is sent as `x-api-key` when given.
 *
 * The client is `node:http` with a keep-alive agent (one connection reused by sequential calls),
 * not `fetch`: on this 2-core machine undici's fetch added ~2 ms per call of the client's own
 * work to every wall time (7 Dec, the same repeated ranking at 10k: fetch p50 7.8-8.5 ms,
 * node:http 5.8-6.0 ms, curl 5.8 ms; the server's own handling ~4.2 ms). Results from 7 Dec on are
 * measured with it; earlier ones with fetch.
 */
export function graphqlClient(baseUrl: string, apiKey?: string): GraphQLClient {
  const url = `${baseUrl}/graphql`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(apiKey ? { 'x-api-key': apiKey } : {}),
  };
  const agent = new http.Agent({ keepAlive: true });
  const post = (body: string) =>
    new Promise<{ status: number; text: string; serverTiming: string | null }>((resolve, reject) => {
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const timing = res.headers['server-timing'];
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              serverTiming: typeof timing === 'string' ? timing : null,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const timed = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const res = await post(JSON.stringify({ query, variables }));
    const body = JSON.parse(res.text) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length)
      throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join('; ')}`);
    if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
    return { data: body.data as T, timing: serverTimings(res.serverTiming) };
  };
  return {
    url,
    headers,
    timed,
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      return (await timed<T>(query, variables)).data;
    },
  };
}
