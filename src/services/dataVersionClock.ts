/**
 * The people data version as a ranking request sees it, without a database round trip per
 * request. Writes through this process are seen at once (`invalidate`, called by every write the
 * service makes); writes by other processes (an `npm run import:people` beside the server, another
 * replica) within `maxAgeMs`: a request uses a version whose read *started* at most `maxAgeMs`
 * before it arrived, and waits for a read otherwise.
 *
 * Why: the version read (`ranking/data-version`, a count-store read) is one Neo4j transaction,
 * and on the cached path it was most of the work: ~4 ms of API CPU per repeated request on the
 * 2-core development machine (CPU profile, 7 Dec), 7-8 ms of its wall time in the benchmark,
 * against 0.16 ms p50 for the cached ranking itself once it no longer reads. `maxAgeMs` 0 reads
 * once per request, as before.
 *
 * - Kept fresh while in use: for `keepFreshMs` after the last request the version is read again
 *   every `maxAgeMs / 2` in the background, so requests do not wait for reads, even the one right
 *   after a ranking that took longer than the bound (a cross-encoder ranking takes over a second).
 *   Idle, nothing is read; the first request after that waits for its read.
 * - Stale-while-revalidate besides: a held version older than half the bound is returned and
 *   refreshed behind.
 * - Single flight: callers share the read in flight when it started within their bound (a read
 *   that started before an `invalidate` answers nobody after it).
 * - A failed read is not remembered: the next caller past the bound reads again (and gets the
 *   error if the database is still down; a background read's error is dropped).
 *
 * Pure logic over an injected read, clock and timer (unit-tested with fakes).
 */

/** Runs `fn` once after `ms`; returns a cancel. */
export type Schedule = (fn: () => void, ms: number) => () => void;

const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export interface DataVersionClockOptions {
  /** How long after the last request the version is kept fresh in the background (default 60 s). */
  readonly keepFreshMs?: number;
  readonly now?: () => number;
  readonly schedule?: Schedule;
}

export class DataVersionClock {
  private value: { readonly version: number; readonly startedAt: number } | null = null;
  private inFlight: {
    readonly promise: Promise<number>;
    readonly startedAt: number;
    readonly epoch: number;
  } | null = null;
  /** Bumped by `invalidate`: reads that started before it cannot answer anyone after it. */
  private epoch = 0;
  private lastRequestAt = Number.NEGATIVE_INFINITY;
  private cancelTick: (() => void) | null = null;
  private stopped = false;
  private readonly keepFreshMs: number;
  private readonly now: () => number;
  private readonly schedule: Schedule;

  constructor(
    private readonly read: () => Promise<number>,
    private readonly maxAgeMs: number,
    options: DataVersionClockOptions = {},
  ) {
    this.keepFreshMs = options.keepFreshMs ?? 60_000;
    this.now = options.now ?? (() => performance.now());
    this.schedule = options.schedule ?? realSchedule;
  }

  /** A data version read at most `maxAgeMs` before now (and after the last `invalidate`). */
  current(): Promise<number> {
    if (this.maxAgeMs <= 0) return this.read();
    const arrived = this.now();
    this.lastRequestAt = arrived;
    this.keepFresh();
    const held = this.value;
    if (held && arrived - held.startedAt <= this.maxAgeMs) {
      if (arrived - held.startedAt > this.maxAgeMs / 2) this.refresh();
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

  /** No more background reads (the service is stopping). */
  stop(): void {
    this.stopped = true;
    this.cancelTick?.();
    this.cancelTick = null;
  }

  private keepFresh(): void {
    if (this.cancelTick || this.stopped) return;
    const tick = () => {
      this.cancelTick = null;
      if (this.stopped || this.now() - this.lastRequestAt > this.keepFreshMs) return;
      this.refresh();
      this.cancelTick = this.schedule(tick, this.maxAgeMs / 2);
    };
    this.cancelTick = this.schedule(tick, this.maxAgeMs / 2);
  }

  /** A background read, unless one of this epoch is in flight already. */
  private refresh(): void {
    if (this.inFlight?.epoch === this.epoch) return;
    void this.start().catch(() => undefined);
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
