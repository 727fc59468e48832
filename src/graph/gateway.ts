/**
 * The one gateway to Neo4j (the only module besides `localNeo4j.ts` that talks to the driver).
 *
 * - Statements are named files from `cypher/` (see `cypherRegistry.ts`); values travel as parameters.
 * - Managed `executeRead` / `executeWrite` (retries on transient errors, reads routable to followers),
 *   database pinned, session always closed, transaction metadata naming the operation, a timeout.
 * - Results leave as plain objects: Integers → numbers, temporals → ISO strings, nodes → properties;
 *   `readAs` also narrows each row to a typed record with a decoder (`rowDecoders.ts`).
 * - Neo4j errors become the project's typed errors.
 * - Every transaction gets at most the time its request has left (`src/requestScope.ts`).
 * - A circuit breaker fails requests fast while the database is unreachable or hung (a stalled
 *   transaction, a timeout or an exhausted pool triggers a health check with its own deadline)
 *   and closes by itself when a probe succeeds (`circuitBreaker.ts`).
 * - Each transaction is an OpenTelemetry span (a no-op unless the process registers an SDK).
 * - Bounded work per request: at most `maxRequestTransactions` of a request's transactions run at
 *   once (the rest wait in the request's own queue), the items its rankings retrieve are summed
 *   against `maxRequestRetrieve` (QUERY_TOO_COMPLEX once passed, before the statement runs), and
 *   work still waiting when the request is aborted (deadline, client gone) is dropped.
 * - Two lanes: heavy reads (rankings, gaps, demand: `ranking/`, `gap/` statements) share at most
 *   `heavyTransactions` connections, so the rest of the pool stays free for cheap reads
 *   (taxonomy lookups, people, writes) however many rankings are running.
 */
import neo4j, {
  type Driver,
  type ManagedTransaction,
  Neo4jError,
  isInt,
  isNode,
  isRelationship,
  isDate,
  isDateTime,
  isLocalDateTime,
  isTime,
  isLocalTime,
  isDuration,
} from 'neo4j-driver';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ConflictError, LimitError, ServiceUnavailableError, TimeoutError } from '../errors.js';
import { chargeRetrieved, remainingMs, requestSignal, requestTransactions } from '../requestScope.js';
import { createSemaphore, type Semaphore } from '../semaphore.js';
import { BreakerOpenError, CircuitBreaker, type BreakerState } from './circuitBreaker.js';
import type { CypherRegistry } from './cypherRegistry.js';

const tracer = trace.getTracer('talentgraph.neo4j');

export type Params = Record<string, unknown>;
export type Row = Record<string, unknown>;

export interface GatewayOptions {
  readonly uri: string;
  readonly user?: string;
  readonly password?: string;
  readonly database: string;
  readonly txTimeoutMs: number;
  readonly registry: CypherRegistry;
  /** Max pooled connections; the driver's default (100) is more than a 2-core box needs. */
  readonly maxConnectionPoolSize?: number;
  /** How long managed transactions retry transient errors (driver default here: 5 s). */
  readonly maxRetryMs?: number;
  /** While the database is unreachable, how often connectivity is probed (default 1 s). */
  readonly probeIntervalMs?: number;
  /**
   * A transaction still running after this long triggers a health check (default 2 s); a
   * database that does not answer the check within 1.5 s opens the breaker (a frozen server).
   */
  readonly stallMs?: number;
  readonly onAvailabilityChange?: (state: BreakerState) => void;
  /** A request's transactions running at once (default 4); the rest wait for the request's own turn. */
  readonly maxRequestTransactions?: number;
  /** Items a request's retrievals may ask for in all (default unlimited): MAX_REQUEST_RETRIEVE. */
  readonly maxRequestRetrieve?: number;
  /**
   * Connections heavy reads (rankings, gaps, demand) may hold at once (default: the pool less
   * 10); the rest of the pool is kept for cheap reads.
   */
  readonly heavyTransactions?: number;
  /** Called with every statement sent (benchmarks replay a request's statements under `PROFILE`). */
  readonly onStatement?: (name: string, params: Params) => void;
}

/** What `PROFILE` reports for one statement. */
export interface StatementProfile {
  /** Database hits summed over every operator of the plan. */
  readonly dbHits: number;
  readonly rows: number;
}

/** Runs named statements inside one transaction. */
export interface TxRunner {
  run(name: string, params?: Params): Promise<Row[]>;
}

export interface RunOptions {
  /** Shown in `dbms.listTransactions()` and query logs. Defaults to the statement name. */
  readonly operation?: string;
  readonly timeoutMs?: number;
}

export class Neo4jGateway {
  readonly registry: CypherRegistry;
  readonly database: string;
  private readonly driver: Driver;
  /**
   * Health checks use a driver of their own (one connection, short timeouts): a busy pool must not
   * make a healthy database look hung, and a frozen one must not hold a pooled connection.
   */
  private readonly probeDriver: Driver;
  private readonly txTimeoutMs: number;
  private readonly onStatement: ((name: string, params: Params) => void) | undefined;
  /** Statements sent to the server since start; tests use it to bound round trips (no N+1). */
  private statementCount = 0;
  private droppedCount = 0;
  private readonly breaker: CircuitBreaker;
  private readonly maxRequestTransactions: number;
  private readonly maxRequestRetrieve: number;
  private readonly heavyLane: Semaphore;
  private readonly probeIntervalMs: number;

  constructor(options: GatewayOptions) {
    this.registry = options.registry;
    this.database = options.database;
    this.txTimeoutMs = options.txTimeoutMs;
    this.onStatement = options.onStatement;
    const poolSize = options.maxConnectionPoolSize ?? 50;
    this.maxRequestTransactions = options.maxRequestTransactions ?? 4;
    this.maxRequestRetrieve = options.maxRequestRetrieve ?? Number.POSITIVE_INFINITY;
    this.heavyLane = createSemaphore(
      Math.min(poolSize, options.heavyTransactions ?? Math.max(1, poolSize - RESERVED_CONNECTIONS)),
    );
    this.probeIntervalMs = options.probeIntervalMs ?? 1_000;
    const auth =
      options.password !== undefined && options.password !== ''
        ? neo4j.auth.basic(options.user ?? 'neo4j', options.password)
        : undefined;
    this.driver = neo4j.driver(options.uri, auth, {
      maxConnectionPoolSize: poolSize,
      connectionAcquisitionTimeout: 10_000,
      connectionTimeout: 5_000,
      maxTransactionRetryTime: options.maxRetryMs ?? 5_000,
      disableLosslessIntegers: false,
      userAgent: 'talentgraph/0.1',
    });
    this.probeDriver = neo4j.driver(options.uri, auth, {
      maxConnectionPoolSize: 1,
      connectionAcquisitionTimeout: 1_500,
      connectionTimeout: 1_500,
      userAgent: 'talentgraph/0.1 health',
    });
    this.breaker = new CircuitBreaker({
      probeIntervalMs: this.probeIntervalMs,
      probeTimeoutMs: 1_500,
      stallMs: options.stallMs ?? 2_000,
      probe: () => this.probeDriver.verifyConnectivity({ database: this.database }).then(() => undefined),
      ...(options.onAvailabilityChange ? { onChange: options.onAvailabilityChange } : {}),
    });
  }

  /** False while the circuit breaker is open (the database was found unreachable). */
  get available(): boolean {
    return !this.breaker.isOpen;
  }

  get statementsRun(): number {
    return this.statementCount;
  }

  /**
   * Transactions never started because their request was aborted while they waited for the
   * request's turn or the heavy lane (timed out, or the client went away), or because its
   * deadline had passed when their turn came.
   */
  get transactionsDropped(): number {
    return this.droppedCount;
  }

  /** Heavy reads running and waiting for their lane (diagnostics, tests, the load script). */
  get heavyLaneQueue(): { readonly running: number; readonly waiting: number } {
    return { running: this.heavyLane.active(), waiting: this.heavyLane.waiting() };
  }

  async verifyConnectivity(): Promise<void> {
    try {
      await this.driver.verifyConnectivity({ database: this.database });
    } catch (error) {
      throw mapNeo4jError(error);
    }
  }

  async read(name: string, params: Params = {}, options: RunOptions = {}): Promise<Row[]> {
    return this.readTransaction((tx) => tx.run(name, params), {
      operation: options.operation ?? name,
      ...options,
    });
  }

  /**
   * `read` with each row turned into a typed record by `decode` (built from `rowDecoders.ts`):
   * the typed way for repositories to read, so rows are narrowed in one place and never cast.
   */
  async readAs<T>(
    name: string,
    params: Params,
    decode: (row: Row) => T,
    options: RunOptions = {},
  ): Promise<T[]> {
    return (await this.read(name, params, options)).map((row) => decode(row));
  }

  async write(name: string, params: Params = {}, options: RunOptions = {}): Promise<Row[]> {
    return this.writeTransaction((tx) => tx.run(name, params), {
      operation: options.operation ?? name,
      ...options,
    });
  }

  async readTransaction<T>(work: (tx: TxRunner) => Promise<T>, options: RunOptions = {}): Promise<T> {
    return this.execute('READ', work, options);
  }

  /** One write transaction: everything in `work` commits together or not at all. */
  async writeTransaction<T>(work: (tx: TxRunner) => Promise<T>, options: RunOptions = {}): Promise<T> {
    return this.execute('WRITE', work, options);
  }

  /**
   * Runs a statement in an auto-commit transaction: schema commands (which cannot share a
   * transaction with data writes) and `CALL { … } IN TRANSACTIONS` batches.
   */
  async runAutoCommit(name: string, params: Params = {}): Promise<void> {
    const statement = this.registry.get(name);
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      this.statementCount += 1;
      this.onStatement?.(name, params);
      await session.run(statement.text, params, { metadata: { app: 'talentgraph', operation: name } });
    } catch (error) {
      throw mapNeo4jError(error);
    } finally {
      await session.close();
    }
  }

  /** `EXPLAIN` a statement: plans it against the real database without running it. */
  async explain(name: string): Promise<void> {
    const statement = this.registry.get(name);
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      await session.run(`EXPLAIN ${statement.text}`);
    } finally {
      await session.close();
    }
  }

  /** Runs a read statement under `PROFILE` (benchmarks): its database hits and row count. */
  async profile(name: string, params: Params = {}): Promise<StatementProfile> {
    const statement = this.registry.get(name);
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      const result = await session.run(`PROFILE ${statement.text}`, params);
      return { dbHits: sumDbHits(result.summary.profile), rows: result.records.length };
    } catch (error) {
      throw mapNeo4jError(error);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    this.breaker.dispose();
    await Promise.all([this.driver.close(), this.probeDriver.close()]);
  }

  private async execute<T>(
    mode: 'READ' | 'WRITE',
    work: (tx: TxRunner) => Promise<T>,
    options: RunOptions,
  ): Promise<T> {
    const operation = options.operation ?? 'unnamed';
    if (this.breaker.isOpen) throw this.unavailable();
    // The request's own turn (at most maxRequestTransactions at once), then, for heavy reads,
    // the heavy lane; waiting ends at once when the request is aborted.
    const signal = requestSignal();
    const own = requestTransactions(this.maxRequestTransactions);
    const inLane = (): Promise<T> =>
      mode === 'READ' && isHeavy(operation)
        ? this.heavyLane.use(() => this.transact(mode, work, options, operation), 1, signal)
        : this.transact(mode, work, options, operation);
    const waited = own ? own.use(inLane, 1, signal) : inLane();
    if (!signal) return waited;
    return waited.catch((error: unknown) => {
      if (signal.aborted && error === signal.reason) this.droppedCount += 1;
      throw error;
    });
  }

  private unavailable(): ServiceUnavailableError {
    return new ServiceUnavailableError('The graph database is unavailable; try again shortly', {
      details: { resource: 'neo4j', retryAfterMs: this.probeIntervalMs },
    });
  }

  private async transact<T>(
    mode: 'READ' | 'WRITE',
    work: (tx: TxRunner) => Promise<T>,
    options: RunOptions,
    operation: string,
  ): Promise<T> {
    if (this.breaker.isOpen) throw this.unavailable();
    // The request's remaining time bounds the transaction (whole milliseconds, at least 1).
    const left = remainingMs();
    if (left !== undefined && left <= 0) {
      this.droppedCount += 1;
      throw new TimeoutError('The request ran out of time before its database query started', {
        cause: undefined,
      });
    }
    const configured = options.timeoutMs ?? this.txTimeoutMs;
    const timeout = left === undefined ? configured : Math.max(1, Math.min(configured, Math.floor(left)));
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const config = { timeout, metadata: { app: 'talentgraph', operation } };
    const body = (tx: ManagedTransaction) => work(this.runnerFor(tx));
    return tracer.startActiveSpan(
      `neo4j ${mode === 'READ' ? 'read' : 'write'} ${operation}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'neo4j',
          'db.namespace': this.database,
          'db.operation.name': operation,
        },
      },
      async (span) => {
        let released = false;
        try {
          const call =
            mode === 'READ' ? session.executeRead(body, config) : session.executeWrite(body, config);
          return await this.breaker.guard(call);
        } catch (error) {
          released = error instanceof BreakerOpenError;
          const mapped = this.mapAndRecord(error);
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: mapped instanceof Error ? mapped.name : 'error',
          });
          throw mapped;
        } finally {
          span.end();
          // A call released by the breaker may still hang on a frozen server: close in the background.
          if (released) void session.close().catch(() => undefined);
          else await session.close();
        }
      },
    );
  }

  private mapAndRecord(error: unknown): unknown {
    const mapped = mapNeo4jError(error);
    if (mapped instanceof ServiceUnavailableError && !isPoolExhausted(error))
      this.breaker.recordUnavailable();
    // A timeout or an exhausted pool may be load, or a hung server: the health check tells.
    else if (mapped instanceof TimeoutError || isPoolExhausted(error)) void this.breaker.check();
    return mapped;
  }

  /** Counts a retrieval's size against the request's budget; refuses it once the budget is passed. */
  chargeRetrieval(n: unknown): void {
    const items = isInt(n) ? n.toNumber() : typeof n === 'number' ? n : 0;
    const total = chargeRetrieved(items);
    if (total > this.maxRequestRetrieve) {
      throw new LimitError(
        'QUERY_TOO_COMPLEX',
        `The request's rankings retrieve more than ${this.maxRequestRetrieve} items in all (aliases and batch members together); ask for fewer rankings or a smaller retrieveN`,
        {
          limit: 'maxRequestRetrieve',
          setting: 'MAX_REQUEST_RETRIEVE',
          max: this.maxRequestRetrieve,
          actual: total,
        },
      );
    }
  }

  private runnerFor(tx: ManagedTransaction): TxRunner {
    return {
      run: async (name, params = {}) => {
        const statement = this.registry.get(name);
        if (RETRIEVALS.has(name)) this.chargeRetrieval(params['n']);
        this.statementCount += 1;
        this.onStatement?.(name, params);
        const result = await tx.run(statement.text, params);
        return result.records.map((record) => {
          const row: Row = {};
          for (const key of record.keys) row[String(key)] = toPlain(record.get(key));
          return row;
        });
      },
    };
  }
}

/** Database hits of a profiled plan and all its children. */
export function sumDbHits(
  plan: { dbHits: number; children: readonly unknown[] } | false | null | undefined,
): number {
  if (!plan) return 0;
  let total = plan.dbHits;
  for (const child of plan.children)
    total += sumDbHits(child as { dbHits: number; children: readonly unknown[] });
  return total;
}

/**
 * Marks a number as a Cypher INTEGER. JavaScript numbers travel as FLOAT, which SKIP, LIMIT and
 * list slices refuse; everything else may stay a float.
 */
export function int(value: number): unknown {
  return neo4j.int(Math.trunc(value));
}

/** Converts driver values to plain JavaScript (numbers, strings, arrays, objects). */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  // Strings, floats and booleans are already plain: skip the driver type checks (most values).
  if (typeof value !== 'object') return value;
  if (isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (isNode(value) || isRelationship(value)) return toPlain(value.properties);
  if (isDateTime(value) || isLocalDateTime(value) || isDate(value) || isTime(value) || isLocalTime(value)) {
    return temporalToIso(value);
  }
  if (isDuration(value)) return value.toString();
  if (value instanceof Float32Array || value instanceof Float64Array) return value;
  if (typeof value === 'object') {
    const out: Row = {};
    for (const [k, v] of Object.entries(value as Row)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

function temporalToIso(value: { toString(): string }): string {
  const s = value.toString();
  // Neo4j DateTime strings may carry nanoseconds and a zone id; JS Date keeps milliseconds.
  const parsed = Date.parse(s.replace(/\[.*\]$/, ''));
  return Number.isNaN(parsed) ? s : new Date(parsed).toISOString();
}

/** Connections kept free of heavy reads when `heavyTransactions` is not given. */
const RESERVED_CONNECTIONS = 10;

/** Statements of the heavy lane: rankings' retrieval and features, gaps, demand. */
function isHeavy(operation: string): boolean {
  return operation.startsWith('ranking/') || operation.startsWith('gap/');
}

/** First-stage retrievals: their `n` is charged against the request's retrieve budget. */
const RETRIEVALS = new Set([
  'ranking/vector-candidates',
  'ranking/vector-vacancies',
  'ranking/graph-recall-candidates',
  'ranking/graph-recall-vacancies',
]);

const UNAVAILABLE_CODES = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
  'Neo.ClientError.Database.DatabaseNotFound',
]);

/** The driver found no free connection in time (every pooled one busy). */
function isPoolExhausted(error: unknown): boolean {
  return error instanceof Neo4jError && /connection acquisition timed out/i.test(error.message);
}

/** Maps driver / server errors to typed errors; anything unrecognised passes through (masked later). */
export function mapNeo4jError(error: unknown): unknown {
  if (error instanceof BreakerOpenError) {
    return new ServiceUnavailableError('The graph database is not answering; try again shortly', {
      cause: error,
      details: { resource: 'neo4j', retryAfterMs: 1_000 },
    });
  }
  if (isPoolExhausted(error)) {
    return new ServiceUnavailableError('The graph database is busy (no free connection); try again shortly', {
      cause: error,
      details: { resource: 'neo4jPool', retryAfterMs: 1_000 },
    });
  }
  if (!(error instanceof Neo4jError)) return error;
  const code = error.code;
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('Neo.TransientError.General')) {
    return new ServiceUnavailableError('The graph database is unavailable; try again shortly', {
      cause: error,
    });
  }
  if (
    code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut') ||
    code.includes('TransactionTimedOut')
  ) {
    return new TimeoutError('The database query took too long and was cancelled', { cause: error });
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new ConflictError('The change conflicts with existing data (a unique id or uri is already used)');
  }
  return error;
}
