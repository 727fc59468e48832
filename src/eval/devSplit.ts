/**
 * The hash split of the title sets that `npm run train:models` trains on (scripts/train/data.py,
 * `split_of`): sha256 of `<set>:` + the lowercased, whitespace-collapsed query, its first 8 bytes
 * as an unsigned big-endian integer, mod 10 < 7 → train, else dev-eval. Rows that compare trained
 * models with generic ones are computed on the dev-eval part only, which training never saw.
 */
import { createHash } from 'node:crypto';

export type TrainedSet = 'jobbert' | 'melo' | 'techwolf';

const TRAIN_BUCKETS = 7n;

export function normaliseQuery(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function trainingSplitOf(set: TrainedSet, query: string): 'train' | 'dev' {
  const digest = createHash('sha256')
    .update(`${set}:${normaliseQuery(query)}`, 'utf8')
    .digest();
  return digest.readBigUInt64BE(0) % 10n < TRAIN_BUCKETS ? 'train' : 'dev';
}

/** The queries of `items` in the dev-eval part of `set`. */
export function devEvalPart<T extends { readonly text: string }>(set: TrainedSet, items: readonly T[]): T[] {
  return items.filter((item) => trainingSplitOf(set, item.text) === 'dev');
}
