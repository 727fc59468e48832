/**
 * People records shared by the requests of a process, each kept with the people data version
 * (`ranking/data-version`) the request that read it had seen first: a later request that saw the
 * same version gets the record without a database read, one that saw another version reads it
 * again. Every committed write of people data, by any process, moves that version, so a record
 * is served only to requests that could have read the same state (a record read just after a
 * write committed is tagged with the older version: a request still on that version gets the
 * newer record, as a database read at that moment would have given it).
 *
 * What it saves: the repeated ranking of 20 with candidate names read its 20 candidates once
 * per request (one round trip: resolve 6-12 ms of a ~20 ms repeated request on the 2-core machine, 1-3 ms with the records kept). Rankings
 * are the only users: they read the data version anyway (their cache key).
 *
 * A store wiped and refilled can show a version again with other data: writes through this
 * process clear the records (`clear`; a read that began before a clear is not kept after it, so a
 * local erasure racing a read cannot put the record back), and a record lives at most `ttlMs`
 * (the ranking cache's lifetime), so another process's wipe is no worse here than for the ranking
 * cache. A request already under way on the version before another process's erasure may still
 * get the erased candidate's record, as it may get that candidate in its (cached) ranking.
 */
import { LRUCache } from 'lru-cache';

interface Tagged<T> {
  readonly version: number;
  readonly record: T;
}

export class VersionedRecords<T extends object> {
  private readonly records: LRUCache<string, Tagged<T>> | null;
  private clears = 0;

  /** `ttlMs` 0: nothing is kept (every request reads). */
  constructor(options: { readonly max: number; readonly ttlMs: number }) {
    this.records =
      options.ttlMs > 0 && options.max > 0 ? new LRUCache({ max: options.max, ttl: options.ttlMs }) : null;
  }

  /** The record of `id` read by a request that had seen `version`, if one is kept. */
  get(id: string, version: number): T | undefined {
    const tagged = this.records?.get(id);
    return tagged?.version === version ? tagged.record : undefined;
  }

  /** Taken before a read whose record is then `set` (a clear in between drops it). */
  get epoch(): number {
    return this.clears;
  }

  /** Keeps `record`, read after `epoch` was taken by a request that had seen `version`. */
  set(id: string, version: number, record: T, epoch: number): void {
    if (epoch === this.clears) this.records?.set(id, { version, record });
  }

  /** After a write through this process. */
  clear(): void {
    this.clears += 1;
    this.records?.clear();
  }
}
