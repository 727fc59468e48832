/**
 * Automatic persisted queries: an operation that sends both `query` and
 * `extensions.persistedQuery.sha256Hash` must send the SHA-256 (lower-case hex) of that query.
 * Apollo refuses a mismatch with an error that has no code (clients saw 400
 * INTERNAL_SERVER_ERROR); it is refused here first with 400 BAD_REQUEST and a message that says
 * what is wrong. Each operation of a batch is checked. A hash without a query is Apollo's
 * (PERSISTED_QUERY_NOT_FOUND until registered).
 */
import { createHash } from 'node:crypto';
import { BadRequestError } from '../../errors.js';
import { Refusal } from './reply.js';

/** `operations`: the parsed POST body (one operation or a batch) or a GET's parameters. */
export function checkPersistedQueryHashes(operations: unknown): Refusal | undefined {
  const list: unknown[] = Array.isArray(operations) ? operations : [operations];
  for (const [index, operation] of list.entries()) {
    if (operation === null || typeof operation !== 'object') continue;
    const { query, extensions } = operation as { query?: unknown; extensions?: unknown };
    const sent = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)
      ?.persistedQuery?.sha256Hash;
    if (typeof query !== 'string' || typeof sent !== 'string') continue;
    const actual = createHash('sha256').update(query).digest('hex');
    if (sent === actual) continue;
    const where = Array.isArray(operations) ? ` (operation ${index} of the batch)` : '';
    return new Refusal(
      new BadRequestError(
        `extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it${where}: send the lower-case hex SHA-256 of the exact query text, or the hash alone once registered`,
      ),
    );
  }
  return undefined;
}
