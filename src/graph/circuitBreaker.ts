/**
 * Fail fast while the database is down or hung. The breaker opens when
 * - a transaction fails because Neo4j is unreachable (the driver has already retried for
 *   `NEO4J_MAX_RETRY_MS`), or
 * - a health check fails: a transaction that runs past `stallMs`, a timeout or a failure to get a
 *   connection from the pool triggers one probe with its own deadline (`probeTimeoutMs`). A slow
 *   query on a healthy database passes the probe and changes nothing; a frozen database (process
 *   stopped, sockets open: every query hangs) fails it.
 * Once open, new requests fail at once with SERVICE_UNAVAILABLE, requests already waiting on the
 * database are released with it too (`guard`), and a probe checks connectivity every
 * `probeIntervalMs`. The first successful probe closes it, so the service recovers by itself.
 * Pure state plus timers; the probe is passed in.
 */
export type BreakerState = 'closed' | 'open';

export interface CircuitBreakerOptions {
  readonly probeIntervalMs: number;
  /** Resolves when the dependency answers, rejects otherwise. */
  readonly probe: () => Promise<void>;
  /** A probe that has not answered after this long counts as failed (default 1 s). */
  readonly probeTimeoutMs?: number;
  /** A guarded call running this long triggers a health check (default 2 s). */
  readonly stallMs?: number;
  readonly onChange?: (state: BreakerState) => void;
}

/** Thrown by `guard` for calls released because the breaker opened while they waited. */
export class BreakerOpenError extends Error {
  constructor() {
    super('the circuit breaker opened while the call waited');
    this.name = 'BreakerOpenError';
  }
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private checking: Promise<boolean> | undefined;
  private closed = false;
  /** Calls waiting in `guard`: released when the breaker opens. */
  private readonly waiting = new Set<(error: Error) => void>();

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): BreakerState {
    return this.current;
  }

  get isOpen(): boolean {
    return this.current === 'open';
  }

  /** Reports that the dependency was unreachable: opens the breaker and starts probing. */
  recordUnavailable(): void {
    if (this.closed || this.current === 'open') return;
    this.current = 'open';
    this.options.onChange?.('open');
    const release = [...this.waiting];
    this.waiting.clear();
    for (const reject of release) reject(new BreakerOpenError());
    this.schedule();
  }

  /**
   * Reports a sign of trouble that a healthy database can also show (a stall, a timeout, an
   * exhausted pool): one health check runs (concurrent reports share it) and opens the breaker
   * when it fails. Resolves with whether the dependency answered.
   */
  check(): Promise<boolean> {
    if (this.closed || this.current === 'open') return Promise.resolve(this.current !== 'open');
    this.checking ??= this.probeOnce().then((ok) => {
      this.checking = undefined;
      if (!ok) this.recordUnavailable();
      return ok;
    });
    return this.checking;
  }

  /**
   * Runs `call` (already started) so that it rejects with `BreakerOpenError` as soon as the
   * breaker opens, and triggers a health check when it is still running after `stallMs`. The
   * call itself goes on in the background; its late outcome is ignored.
   */
  guard<T>(call: Promise<T>): Promise<T> {
    if (this.current === 'open') {
      call.catch(() => undefined);
      return Promise.reject(new BreakerOpenError());
    }
    return new Promise<T>((resolve, reject) => {
      const stall = setTimeout(() => void this.check(), this.options.stallMs ?? 2_000);
      stall.unref();
      const release = (error: Error) => {
        clearTimeout(stall);
        reject(error);
      };
      this.waiting.add(release);
      call.then(
        (value) => {
          clearTimeout(stall);
          this.waiting.delete(release);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(stall);
          this.waiting.delete(release);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Stops probing for good (shutdown). */
  dispose(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.tryProbe(), this.options.probeIntervalMs);
    this.timer.unref();
  }

  /** One probe with its own deadline: true when the dependency answered in time. */
  private async probeOnce(): Promise<boolean> {
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      deadline = setTimeout(() => resolve(false), this.options.probeTimeoutMs ?? 1_000);
      deadline.unref();
    });
    const answered = this.options.probe().then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(deadline);
    }
  }

  private async tryProbe(): Promise<void> {
    if (this.probing || this.closed) return;
    this.probing = true;
    try {
      if (await this.probeOnce()) {
        this.current = 'closed';
        this.options.onChange?.('closed');
      } else {
        this.schedule();
      }
    } finally {
      this.probing = false;
    }
  }
}
