/**
 * Cross-encoder scores kept per pair, so rankings of the same vacancy with other options, other
 * pages or after an edit of one candidate, and text searches that rerank the same candidates,
 * run the model only on pairs it has not scored yet (issue #18 item 4).
 *
 * The key is a SHA-256 over the model's and tokenizer's hashes, its token limit and both texts,
 * so another model (or another truncation) never reuses a score, and the texts themselves are not
 * kept. A pair's score is the one its first run gave: a ranking scored partly from the cache is
 * the ranking a cold run gives, up to the float noise of other batch shapes, which the cache
 * removes rather than adds (the same pair always gets the same score within a process). Bounded
 * LRU; failed or aborted runs store nothing.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { PairScoreCacheStats, Reranker } from './reranker.js';

export interface CachingReranker extends Reranker {
  cacheStats(): PairScoreCacheStats;
}

export function cachePairScores(reranker: Reranker, maxEntries: number): CachingReranker {
  const cache = new LRUCache<string, number>({ max: Math.max(1, maxEntries) });
  const { sha256, tokenizerSha256, maxTokens } = reranker.info;
  const prefix = `${sha256}\u0000${tokenizerSha256}\u0000${maxTokens}\u0000`;
  const keyOf = (query: string, passage: string) =>
    createHash('sha256')
      .update(prefix)
      .update(query)
      .update('\u0000')
      .update(passage)
      .digest('base64url')
      .slice(0, 24);
  let hits = 0;
  let misses = 0;
  return {
    info: reranker.info,
    pending: () => reranker.pending(),
    ...(reranker.queue ? { queue: () => reranker.queue!() } : {}),
    close: () => reranker.close(),
    cacheStats: () => ({ entries: cache.size, hits, misses }),
    async score(pairs) {
      const keys = pairs.map(([query, passage]) => keyOf(query, passage));
      const scores = keys.map((key) => cache.get(key));
      // Each pair not in the cache runs once, even when a request repeats it.
      const missing = new Map<string, readonly [string, string]>();
      keys.forEach((key, i) => {
        if (scores[i] === undefined) missing.set(key, pairs[i]!);
        else hits += 1;
      });
      if (missing.size > 0) {
        misses += missing.size;
        const fresh = await reranker.score([...missing.values()]);
        const byKey = new Map([...missing.keys()].map((key, n) => [key, fresh[n]!] as const));
        for (const [key, score] of byKey) cache.set(key, score);
        keys.forEach((key, i) => {
          scores[i] ??= byKey.get(key);
        });
      }
      return scores as number[];
    },
  };
}
