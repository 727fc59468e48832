/**
 * Helpers for tests that need the database instances started by `tests/support/runTests.ts`.
 */
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig, PROJECT_ROOT, type Config } from '../../src/config.js';
import { CypherRegistry } from '../../src/graph/cypherRegistry.js';
import { Neo4jGateway } from '../../src/graph/gateway.js';

export const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures');
export const SHARED_ESCO = path.resolve(PROJECT_ROOT, '..', 'shared', 'esco');

function uriFrom(variable: 'TALENTGRAPH_TEST_NEO4J_URI' | 'TALENTGRAPH_TEST_SCRATCH_URI'): string {
  const uri = process.env[variable];
  if (!uri) throw new Error(`${variable} is unset: run this test through npm run test:int / test:e2e / test:cypher`);
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

/** Config for an app under test: the given database, an ephemeral HTTP port. */
export function testConfig(uri: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: '', PORT: '0', LOG_LEVEL: 'silent', ...overrides });
}

export const silentLog: Logger = pino({ level: 'silent' });
