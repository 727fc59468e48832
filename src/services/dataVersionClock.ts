/**
 * The people data version as a ranking request sees it, without a database round trip per
 * request. Writes through this process are seen at once (`invalidate`, called by every write the
 * service makes); writes by other processes (an `npm run import:people` beside the server, another
 * replica) within `maxAgeMs`: a request uses a version whose read *started* at most `maxAgeMs`
 * before it arrived, and waits for a read otherwise.
 *
 * Why: the version read (`ranking/data-version`, a count-store read) is one Neo4j transaction,
 * and on the cached path it was most of the work. On the 2-core development machine it cost
 * ~4 ms of API CPU per request (driver, transaction, span; `scripts/bench` repeated row) against
 * ~1 ms for the cached ranking itself. `maxAgeMs` 0 reads once per request, as before.
 *
 * - Stale-while-revalidate: a version older than half the bound is returned and refreshed in the
 *   background, so a steady stream of requests does not wait for reads.
 * - Single flight: callers share the read in flight when it started within their bound (a read
 *   that started before an `invalidate` answers nobody after it).
 * - A failed read is not remembered: the next caller past the bound reads again (and gets the
 *   error if the database is still down; a background refresh's error is dropped).
 *
 * Pure logic over an injected read and clock (unit-tested with fakes).
 */
export class DataVersionClock {
  private value: { readonly version: number; readonly startedAt: number } | null = null;
  private inFlight: {
    readonly promise: Promise<number>;
    readonly startedAt: number;
    readonly epoch: number;
  } | null = null;
  /** Bumped by `invalidate`: reads that started before it cannot answer anyone after it. */
  private epoch = 0;

  constructor(
    private readonly read: () => Promise<number>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A data version read at most `maxAgeMs` before now (and after the last `invalidate`). */
  current(): Promise<number> {
    if (this.maxAgeMs <= 0) return this.read();
    const arrived = this.now();
    const held = this.value;
    if (held && arrived - held.startedAt <= this.maxAgeMs) {
      if (arrived - held.startedAt > this.maxAgeMs / 2 && !this.inFlight)
        void this.start().catch(() => undefined);
      return Promise.resolve(held.version);
    }
    const flight = this.inFlight;
    if (flight && flight.epoch === this.epoch && arrived - flight.startedAt <= this.maxAgeMs)
      return flight.promise;
    return this.start();
  }

  /** A write through this process: the next request reads the version again. */
  invalidate(): void {
    this.epoch += 1;
    this.value = null;
  }

  private start(): Promise<number> {
    const startedAt = this.now();
    const epoch = this.epoch;
    const promise = this.read().then(
      (version) => {
        if (this.inFlight?.promise === promise) this.inFlight = null;
        // A read that started before a write here may not include it: not kept.
        if (epoch === this.epoch && (!this.value || this.value.startedAt <= startedAt))
          this.value = { version, startedAt };
        return version;
      },
      (error: unknown) => {
        if (this.inFlight?.promise === promise) this.inFlight = null;
        throw error;
      },
    );
    this.inFlight = { promise, startedAt, epoch };
    return promise;
  }
}
