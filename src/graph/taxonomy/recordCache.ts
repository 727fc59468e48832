/**
 * Taxonomy records shared by every request of a process: skills and occupations by URI, the
 * lookups behind each ranked item's skill chips and each candidate's occupations. ESCO changes
 * only by an import, and the service reads its ESCO version once per process as well (rankings
 * carry it in their cache key), so records live for `ttlMs` (an import by another process is seen
 * after that, or on restart). Misses are read in one batch and only found records are kept: a
 * URI that names nothing is asked again.
 *
 * Measured on the test store (a repeated ranking of 20 with skill chips and candidate names,
 * `server-timing`): resolving the result took p50 18 ms, of which the skill-label read 12.5 ms.
 */
import { LRUCache } from 'lru-cache';
import type { OccupationRecord, SkillRecord } from './records.js';

type Fetch<T> = (keys: readonly string[]) => Promise<(T | null)[]>;

export class TaxonomyRecordCache {
  private readonly skills: LRUCache<string, SkillRecord>;
  private readonly occupations: LRUCache<string, OccupationRecord>;

  constructor(options: { readonly ttlMs?: number; readonly max?: number } = {}) {
    const settings = { max: options.max ?? 20_000, ttl: options.ttlMs ?? 10 * 60_000 };
    this.skills = new LRUCache<string, SkillRecord>(settings);
    this.occupations = new LRUCache<string, OccupationRecord>(settings);
  }

  skillsByUri(uris: readonly string[], fetch: Fetch<SkillRecord>): Promise<(SkillRecord | null)[]> {
    return cached(this.skills, uris, fetch);
  }

  /** The kept records of every one of `uris`, in order; null when any is not kept. */
  skillsKept(uris: readonly string[]): SkillRecord[] | null {
    const out: SkillRecord[] = [];
    for (const uri of uris) {
      const record = this.skills.get(uri);
      if (!record) return null;
      out.push(record);
    }
    return out;
  }

  occupationsByUri(
    uris: readonly string[],
    fetch: Fetch<OccupationRecord>,
  ): Promise<(OccupationRecord | null)[]> {
    return cached(this.occupations, uris, fetch);
  }

  /** Drops every record (after an import in this process). */
  clear(): void {
    this.skills.clear();
    this.occupations.clear();
  }
}

async function cached<T extends object>(
  cache: LRUCache<string, T>,
  keys: readonly string[],
  fetch: Fetch<T>,
): Promise<(T | null)[]> {
  const out: (T | null)[] = keys.map((k) => cache.get(k) ?? null);
  const missing = [...new Set(keys.filter((_, i) => out[i] === null))];
  if (missing.length === 0) return out;
  const fetched = await fetch(missing);
  const found = new Map<string, T>();
  missing.forEach((key, i) => {
    const record = fetched[i];
    if (record) {
      found.set(key, record);
      cache.set(key, record);
    }
  });
  return keys.map((k, i) => out[i] ?? found.get(k) ?? null);
}
