/**
 * Seeded randomness for the demo generator: a small PRNG (mulberry32) and integer hashing.
 *
 * Every entity draws from its own stream, `streamFor(seed, domain, index)`, instead of one global
 * sequence. So candidate 17 is the same whether 100 or 100,000 candidates are generated, and a
 * candidate can be regenerated on demand instead of kept in memory (that is what lets 100k+
 * candidates stream in constant memory).
 */

/** Mixes 32-bit words into one well-spread 32-bit hash (murmur3's finaliser after each word). */
export function hashInts(...words: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const word of words) {
    h = Math.imul(h ^ (word >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** FNV-1a of a string: names a stream's domain ("candidate", "vacancy", …) as a number. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A uniform number in [0, 1) derived from a hash: stateless randomness for a pair of ids. */
export function unitFromHash(hash: number): number {
  return (hash >>> 0) / 4294967296;
}

/** A stream of its own for entity `index` of `domain` under `seed`. */
export function streamFor(seed: number, domain: string, index: number): Random {
  return new Random(hashInts(seed, hashString(domain), index));
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** A number in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A standard normal variate (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  pick<T>(items: readonly T[]): T {
    return itemAt(items, this.int(items.length));
  }

  /** An index drawn with probability proportional to `weights[i]`. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /**
   * `k` distinct items of `items` in random order (partial Fisher–Yates on a copy); all of them,
   * shuffled, when `k >= items.length`.
   */
  sample<T>(items: ArrayLike<T>, k: number): T[] {
    const pool = Array.from(items);
    const n = Math.min(k, pool.length);
    for (let i = 0; i < n; i++) {
      const j = i + this.int(pool.length - i);
      const chosen = itemAt(pool, j);
      pool[j] = itemAt(pool, i);
      pool[i] = chosen;
    }
    pool.length = n;
    return pool;
  }
}

/**
 * Draws indices in proportion to fixed weights in O(log n), from a cumulative table built once.
 */
export class WeightedTable {
  private readonly cumulative: Float64Array;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] ?? 0;
      if (!(w >= 0)) throw new RangeError(`weight ${i} is ${w}; weights must be finite and non-negative`);
      total += w;
      this.cumulative[i] = total;
    }
    if (!(total > 0)) throw new RangeError('at least one weight must be positive');
  }

  get size(): number {
    return this.cumulative.length;
  }

  draw(rng: Random): number {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    const r = rng.next() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** `items[index]`, for indices the caller has already bounded (fails loudly if not). */
export function itemAt<T>(items: ArrayLike<T>, index: number): T {
  if (index < 0 || index >= items.length)
    throw new RangeError(`index ${index} outside 0..${items.length - 1}`);
  return items[index] as T;
}
