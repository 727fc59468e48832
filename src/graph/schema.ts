/**
 * Applies every constraint and index in `cypher/schema/` (all `IF NOT EXISTS`, so idempotent)
 * and waits for the indexes to come online.
 */
import { int, type Neo4jGateway } from './gateway.js';

export async function applySchema(gateway: Neo4jGateway, awaitSeconds = 300): Promise<number> {
  const statements = gateway.registry.inFolder('schema');
  for (const statement of statements) await gateway.runAutoCommit(statement.name);
  await gateway.write('admin/await-indexes', { seconds: int(awaitSeconds) });
  return statements.length;
}
