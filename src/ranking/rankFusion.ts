/**
 * Fusing ranked lists from different retrievers (lexical fulltext, dense vectors).
 */

export interface Scored<T extends string = string> {
  readonly id: T;
  readonly score: number;
}

/** Reciprocal Rank Fusion constant: 60 as in Cormack et al. (2009); damps the head of each list. */
export const RRF_K = 60;

/**
 * Reciprocal Rank Fusion: score(d) = Σ_lists weight / (RRF_K + rank_list(d)), ranks 1-based.
 * Robust to incomparable score scales (Lucene scores vs cosines). Ties broken by id.
 */
export function reciprocalRankFusion(
  lists: ReadonlyArray<{ readonly items: readonly Scored[]; readonly weight?: number }>,
  k: number = RRF_K,
): Scored[] {
  const fused = new Map<string, number>();
  for (const list of lists) {
    const weight = list.weight ?? 1;
    list.items.forEach((item, index) => {
      fused.set(item.id, (fused.get(item.id) ?? 0) + weight / (k + index + 1));
    });
  }
  return [...fused.entries()]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Keeps the best-scoring entry per group (e.g. labels → their concept), in score order. */
export function bestPerGroup<T extends { readonly score: number }>(
  items: readonly T[],
  groupOf: (item: T) => string,
): T[] {
  const best = new Map<string, T>();
  for (const item of items) {
    const key = groupOf(item);
    const prior = best.get(key);
    if (!prior || item.score > prior.score) best.set(key, item);
  }
  return [...best.values()].sort((a, b) => b.score - a.score || (groupOf(a) < groupOf(b) ? -1 : 1));
}

/** Splits text into clauses for skill extraction, with character offsets of each clause. */
export function splitClauses(
  text: string,
  maxClauses = 64,
): Array<{ text: string; start: number; end: number }> {
  const out: Array<{ text: string; start: number; end: number }> = [];
  const re = /[^.;:!?\n•·,()]+/g;
  for (const m of text.matchAll(re)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const clause = raw.trim();
    if (clause.split(/\s+/).length < 2 && clause.length < 4) continue;
    const start = (m.index ?? 0) + lead;
    out.push({ text: clause, start, end: start + clause.length });
    if (out.length >= maxClauses) break;
  }
  return out;
}
