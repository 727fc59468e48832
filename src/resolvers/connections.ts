/**
 * Relay connection fields over an offset page (`Page<T>` from the graph layer).
 */
import { encodeCursor } from '../graph/paging.js';
import type { Page } from '../graph/taxonomy/records.js';

/** The page's total; the reader counts whenever `totalCount` or `pageInfo` is selected (see selection.ts). */
function counted<T>(page: Page<T>): number {
  if (page.totalCount === null) throw new Error('Internal: a connection total was asked for but not counted');
  return page.totalCount;
}

export function connectionFields<T>() {
  return {
    edges: (page: Page<T>) =>
      page.items.map((node, i) => ({
        cursor: encodeCursor(page.offset + i),
        node,
        score: page.scores?.[i] ?? null,
      })),
    nodes: (page: Page<T>) => [...page.items],
    totalCount: (page: Page<T>) => counted(page),
    pageInfo: (page: Page<T>) => ({
      hasNextPage: page.offset + page.items.length < counted(page),
      hasPreviousPage: page.offset > 0,
      startCursor: page.items.length > 0 ? encodeCursor(page.offset) : null,
      endCursor: page.items.length > 0 ? encodeCursor(page.offset + page.items.length - 1) : null,
    }),
  };
}
