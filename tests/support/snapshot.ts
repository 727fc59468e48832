/**
 * A graph snapshot (counts and a checksum over people data and provenance) to prove that a
 * refused request changed nothing.
 */
import { createHash } from 'node:crypto';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { readEscoCounts } from '../../src/import/esco/importEsco.js';

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface GraphSnapshot {
  readonly nodes: number;
  readonly checksum: string;
  readonly esco: unknown;
}

export async function graphSnapshot(gateway: Neo4jGateway): Promise<GraphSnapshot> {
  const rows = await gateway.read('admin/snapshot');
  const entries = rows.map(stable).sort();
  return {
    nodes: rows.length,
    checksum: createHash('sha256').update(entries.join('\n')).digest('hex'),
    esco: await readEscoCounts(gateway),
  };
}
