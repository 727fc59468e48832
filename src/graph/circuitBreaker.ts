/**
 * Fail fast while the database is down. After a transaction fails because Neo4j is unreachable
 * (the driver has already retried for `NEO4J_MAX_RETRY_MS`), the breaker opens: requests fail at
 * once with SERVICE_UNAVAILABLE instead of each waiting for connection timeouts and retries, and
 * a probe checks connectivity every `probeIntervalMs`. The first successful probe closes it, so
 * the service recovers by itself. Pure state plus one timer; the probe is passed in.
 */
export type BreakerState = 'closed' | 'open';

export interface CircuitBreakerOptions {
  readonly probeIntervalMs: number;
  /** Resolves when the dependency answers, rejects otherwise. */
  readonly probe: () => Promise<void>;
  readonly onChange?: (state: BreakerState) => void;
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private closed = false;

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
    this.schedule();
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

  private async tryProbe(): Promise<void> {
    if (this.probing || this.closed) return;
    this.probing = true;
    try {
      await this.options.probe();
      this.current = 'closed';
      this.options.onChange?.('closed');
    } catch {
      this.schedule();
    } finally {
      this.probing = false;
    }
  }
}
