/**
 * Ranking cursors: a ranking id and a position. The id names one ranked list (its subject, every
 * option, the caller's scope, the models, the ESCO version and the data generation, within this
 * server run), so a page asked with a cursor follows the page it came from in the same order, and
 * a cursor of another ranking, of a list (`vacancies`, `candidates`, …) or of a ranking computed
 * before the data changed is refused with BAD_USER_INPUT instead of silently repeating or
 * skipping people.
 */
import { BadUserInputError } from '../errors.js';

const PREFIX = 'rk1';
const ID = /^[A-Za-z0-9_-]{16}$/;

export function rankingCursor(rankingId: string, position: number): string {
  return Buffer.from(`${PREFIX}:${rankingId}:${position}`, 'utf8').toString('base64url');
}

/** The position just after the cursor's item (0 without a cursor); refuses cursors of anything else. */
export function positionAfter(after: string | null | undefined, rankingId: string): number {
  if (after === null || after === undefined) return 0;
  if (!ID.test(rankingId))
    throw new RangeError(`ranking id must be 16 base64url characters, got ${rankingId}`);
  const match = /^rk1:([A-Za-z0-9_-]{16}):(\d{1,9})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match || rankingCursor(match[1]!, Number(match[2])) !== after) {
    throw new BadUserInputError(
      'after is not a ranking cursor: pass pageInfo.endCursor (or an edge cursor) from a previous page of this ranking',
      { argument: 'after' },
    );
  }
  if (match[1] !== rankingId) {
    throw new BadUserInputError(
      'after is a cursor of another ranking (another subject, options or caller, or computed before the data or the server changed): start again from the first page',
      { argument: 'after' },
    );
  }
  return Number(match[2]) + 1;
}
