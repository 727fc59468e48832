/**
 * Batching rules: a JSON array body is a batch of 1 to `maxBatch` operations (400
 * BATCH_TOO_LARGE otherwise, `details.actual` the count sent); anything else is one operation.
 * The count is what the rate limit charges. Whether batches are accepted at all is Apollo's
 * `allowBatchedHttpRequests` (on when `maxBatch` > 1).
 */
import { LimitError } from '../../errors.js';
import { Refusal } from './reply.js';

export function countOperations(body: unknown, maxBatch: number): number | Refusal {
  if (!Array.isArray(body)) return 1;
  const operations = body.length;
  if (operations >= 1 && operations <= maxBatch) return operations;
  return new Refusal(
    new LimitError('BATCH_TOO_LARGE', `A batch holds 1 to ${maxBatch} operations (got ${operations})`, {
      limit: 'maxBatch',
      setting: 'MAX_BATCH_SIZE',
      max: maxBatch,
      actual: operations,
    }),
  );
}
