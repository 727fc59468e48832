/**
 * Helpers for tests that need the database instances started by `tests/support/runTests.ts`.
 */
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig, PROJECT_ROOT, type Config } from '../../src/config.js';
import { CypherRegistry } from '../../src/graph/cypherRegistry.js';
import { Neo4jGateway } from '../../src/graph/gateway.js';
import { startApp, type App } from '../../src/app.js';
import { importEsco } from '../../src/import/esco/importEsco.js';
import { hashApiKey } from '../../src/security/credentials.js';
import { TEST_ADMIN_KEY } from './graphqlClient.js';

export const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures');
export const SHARED_ESCO = path.resolve(PROJECT_ROOT, '..', 'shared', 'esco');

function uriFrom(variable: 'TALENTGRAPH_TEST_NEO4J_URI' | 'TALENTGRAPH_TEST_SCRATCH_URI'): string {
  const uri = process.env[variable];
  if (!uri)
    throw new Error(`${variable} is unset: run this test through npm run test:int / test:e2e / test:cypher`);
  return uri;
}

/** The test instance holding the full ESCO graph. Tests add only data they clean up. */
export function escoUri(): string {
  return uriFrom('TALENTGRAPH_TEST_NEO4J_URI');
}

/** An empty instance that int tests may wipe (test files run one at a time). */
export function scratchUri(): string {
  return uriFrom('TALENTGRAPH_TEST_SCRATCH_URI');
}

export function createTestGateway(uri: string): Neo4jGateway {
  return new Neo4jGateway({ uri, database: 'neo4j', txTimeoutMs: 600_000, registry: CypherRegistry.load() });
}

/**
 * The demo dataset of the ESCO test database: small enough to embed quickly, large enough for
 * ranking and aggregates. Loaded once by the test runner and kept with the store.
 */
export const TEST_DATASET = {
  DEMO_CANDIDATES: '1000',
  DEMO_VACANCIES: '100',
  DEMO_SEED: '7',
  DEMO_DIR: path.join(PROJECT_ROOT, '.data', 'neo4j-test-demo'),
} as const;

/** The ADMIN key every test app accepts (the test client sends it unless told otherwise). */
export const TEST_API_KEYS = `test-admin:ADMIN::${hashApiKey(TEST_ADMIN_KEY)}`;

/**
 * Config for an app under test: the given database, an ephemeral HTTP port, no background
 * embedding (the runner embedded what tests need; labels are not embedded in tests), the test
 * ADMIN key, and no per-key rate limit (security tests set their own).
 */
export function testConfig(uri: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    ...TEST_DATASET,
    NEO4J_URI: uri,
    NEO4J_PASSWORD: '',
    PORT: '0',
    LOG_LEVEL: 'silent',
    EMBEDDING_SYNC: 'false',
    API_KEYS: TEST_API_KEYS,
    PSEUDONYM_SECRET: 'test-pseudonym-secret-0123456789',
    RATE_LIMIT_KEY_PER_S: '0',
    // The generic models, whatever `npm run train:models` installed on this machine.
    TRAINED_MODELS: 'off',
    ...overrides,
  });
}

export const silentLog: Logger = pino({ level: 'silent' });

/** A gateway on the scratch database, wiped and holding only an ESCO fixture (`tests/fixtures/<fixture>`). */
export async function scratchWithFixture(fixture = 'esco-mini'): Promise<Neo4jGateway> {
  const gateway = createTestGateway(scratchUri());
  await gateway.runAutoCommit('admin/wipe');
  await importEsco(gateway, { sources: [path.join(FIXTURES, fixture)], batchSize: 100, version: 'fixture' });
  return gateway;
}

/**
 * The scratch database wiped and holding only an ESCO fixture (`tests/fixtures/<fixture>`,
 * esco-mini by default), and an app on it without demo data or reranker (overrides may turn it
 * on): the start of the e2e files that run on the scratch database.
 */
export async function startFixtureApp(
  overrides: Record<string, string> = {},
  fixture = 'esco-mini',
): Promise<{ app: App; gateway: Neo4jGateway }> {
  const gateway = await scratchWithFixture(fixture);
  const app = await startApp(
    testConfig(scratchUri(), { DEMO_AUTOLOAD: 'false', RERANKER_ENABLED: 'false', ...overrides }),
    silentLog,
  );
  return { app, gateway };
}

/**
 * Waits until an app's /ready reports its candidate projection loaded (or failed, or off): the
 * first load runs in the background after start-up, and tests that count an app's statements
 * must not count its reads.
 */
export async function untilProjectionSettled(appUrl: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = (await (await fetch(new URL('/ready', appUrl))).json()) as {
      checks?: { candidateProjection?: string };
    };
    const line = ready.checks?.candidateProjection ?? '';
    if (line !== '' && !line.startsWith('loading')) return;
    if (Date.now() > deadline) throw new Error(`the candidate projection did not load: ${line}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
