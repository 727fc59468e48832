/**
 * Plans every statement in cypher/ with EXPLAIN against the real database: a syntax error, an
 * unknown procedure or a misspelt index fails here, not in production. Schema statements are
 * applied instead (they are idempotent, so applying them twice must succeed).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { createTestGateway, escoUri } from '../support/testEnv.js';

let gateway: Neo4jGateway;
beforeAll(() => {
  gateway = createTestGateway(escoUri());
});
afterAll(() => gateway.close());

test('every query plans with EXPLAIN', async () => {
  const statements = gateway.registry.all().filter((s) => !s.isSchema);
  assert.ok(statements.length > 30);
  const failures: string[] = [];
  for (const statement of statements) {
    try {
      await gateway.explain(statement.name);
    } catch (error) {
      failures.push(
        `${statement.name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
  }
  assert.deepEqual(failures, []);
});

test('schema statements apply idempotently', async () => {
  for (const statement of gateway.registry.inFolder('schema')) {
    await gateway.runAutoCommit(statement.name);
    await gateway.runAutoCommit(statement.name);
  }
});
