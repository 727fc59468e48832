/**
 * Relay-style paging over offset pages: opaque cursors, validated page sizes.
 */
import { BadUserInputError } from '../errors.js';

export const MAX_PAGE_SIZE = 100;
const PREFIX = 'tg1:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** Offset just after the item a cursor points at; 0 without a cursor. */
export function offsetAfter(after: string | null | undefined): number {
  if (after === null || after === undefined) return 0;
  const decoded = Buffer.from(after, 'base64url').toString('utf8');
  const match = /^tg1:(\d{1,9})$/.exec(decoded);
  if (!match || encodeCursor(Number(match[1])) !== after) {
    throw new BadUserInputError('Malformed cursor: pass a pageInfo.endCursor from a previous page', {
      argument: 'after',
    });
  }
  return Number(match[1]) + 1;
}

/** Validates `first` (1..max). */
export function pageSize(first: number | null | undefined, fallback: number, max = MAX_PAGE_SIZE): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new BadUserInputError(`first must be between 1 and ${max} (got ${n})`, { argument: 'first', max });
  }
  return n;
}
