/**
 * Keeps embeddings in the graph in step with the configured bi-encoder:
 * - one vector index per target (dimension from the model), created idempotently, and rebuilt
 *   from the stored vectors when its settings (quantization) differ from the configuration;
 * - a model change (another sha256) drops the target's index and vectors and re-embeds, so vectors
 *   of two models are never mixed;
 * - nodes without an embedding (new, or changed by a mutation, which clears it) are embedded in
 *   batches, people first; after the first pass it keeps polling for new ones.
 * - a large backlog (BULK_BUILD_MIN or more missing, and more than are embedded: a first start, an
 *   import, a model change) is embedded with the target's vector index dropped, and the index is
 *   built once over the stored vectors when the backlog is done: an index filled transaction by
 *   transaction is dozens of Lucene segments, each searched for the full k (200k vectors: 169
 *   segments, top-500 p50 161 ms; 151 segments, 91.6 ms after a restart's merges), one built over
 *   stored vectors is one segment with the local Neo4j's settings (17.2 ms; `npm run bench --
 *   segments`, 5 Dec). Nothing queries the index meanwhile: dense stages skip an incomplete
 *   target.
 * Runs in the background: the API serves meanwhile, and dense stages report themselves skipped
 * while a target is incomplete.
 */
import type { Logger } from 'pino';
import { int, type Neo4jGateway, type Row } from '../graph/gateway.js';
import { str } from '../graph/rowDecoders.js';
import { recordChange } from '../graph/people/peopleRepository.js';
import type { Embedder } from '../inference/embedder.js';
import type { Progress } from '../import/progress.js';
import { candidateText, conceptText, vacancyText } from '../ranking/texts.js';

export const EMBEDDING_TARGETS = [
  'candidate',
  'vacancy',
  'occupation',
  'skill',
  'occupation-label',
  'skill-label',
] as const;
export type EmbeddingTarget = (typeof EMBEDDING_TARGETS)[number];

/** A backlog at least this large (and larger than what is embedded) builds its index afterwards. */
export const BULK_BUILD_MIN = 20_000;

/** The target's vector index, as the create-index-/drop-index- statements name it. */
const indexNameOf = (target: EmbeddingTarget) => `${target.replace('-', '_')}_embedding`;

/** Batches per slice of background work before higher-priority targets are looked at again. */
const SLICE_BATCHES = 20;

const strs = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

/** The passage text of one row of `embedding/missing-<target>`. */
export function textOf(target: EmbeddingTarget, row: Row): string {
  switch (target) {
    case 'candidate':
      return candidateText({
        summary: str(row.summary),
        skills: strs(row.skills),
        occupations: strs(row.occupations),
      });
    case 'vacancy':
      return vacancyText({
        title: str(row.title),
        description: str(row.description),
        skills: strs(row.skills),
      });
    case 'occupation':
    case 'skill':
      return conceptText({ label: str(row.label), description: str(row.description) });
    default:
      return str(row.text) ?? '';
  }
}

export interface TargetProgress {
  readonly target: EmbeddingTarget;
  readonly total: number;
  readonly embedded: number;
}

export class EmbeddingSync {
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly complete = new Set<EmbeddingTarget>();
  /** Targets whose index is built once their backlog is embedded (see BULK_BUILD_MIN). */
  private readonly deferredIndex = new Set<EmbeddingTarget>();

  constructor(
    private readonly gateway: Neo4jGateway,
    private readonly embedder: Embedder,
    private readonly log: Logger,
    private readonly options: {
      batchSize: number;
      pollMs: number;
      progress?: Progress;
      quantization?: boolean;
      /** Default BULK_BUILD_MIN; tests lower it. */
      bulkBuildMin?: number;
    } = { batchSize: 256, pollMs: 5000 },
  ) {}

  get model(): { name: string; sha256: string; dimension: number } {
    const { name, sha256, dimension } = this.embedder.info;
    return { name, sha256, dimension };
  }

  /** True once a target's nodes all had embeddings at the end of a pass. */
  isComplete(target: EmbeddingTarget): boolean {
    return this.complete.has(target);
  }

  /** Targets whose vector index waits for their backlog (built over the stored vectors after it). */
  deferredIndexes(): EmbeddingTarget[] {
    return [...this.deferredIndex];
  }

  /** Per target, whether every node had an embedding at the end of the last pass (in memory, free). */
  status(): Array<{ target: EmbeddingTarget; complete: boolean }> {
    return EMBEDDING_TARGETS.map((target) => ({ target, complete: this.complete.has(target) }));
  }

  /** Counts per target (scans every embedded label: for start-up and scripts, not per request). */
  async progress(): Promise<TargetProgress[]> {
    const rows = await this.gateway.read('embedding/progress');
    return rows.map((r) => ({
      target: String(r.target) as EmbeddingTarget,
      total: Number(r.total),
      embedded: Number(r.embedded),
    }));
  }

  /** Makes indexes match the model (dropping vectors of another model). Fast; call before serving. */
  async prepare(): Promise<void> {
    const states = new Map((await this.gateway.read('embedding/state')).map((r) => [String(r.target), r]));
    const { name, sha256 } = this.embedder.info;
    const quantization = this.options.quantization ?? false;
    const indexes = new Map(
      (await this.gateway.read('embedding/index-settings')).map((r) => [String(r.name), r.quantized]),
    );
    const bulkMin = this.options.bulkBuildMin ?? BULK_BUILD_MIN;
    // One count scan (seconds at 1M): a model change below clears a target, so its count is derived.
    const counts = new Map((await this.progress()).map((p) => [p.target, p]));
    for (const target of EMBEDDING_TARGETS) {
      const state = states.get(target);
      const indexName = indexNameOf(target);
      const modelChanged = state !== undefined && state.sha256 !== sha256;
      if (modelChanged) {
        this.log.warn(
          { target, from: state.model, to: name },
          'embedding model changed: dropping old vectors to re-embed',
        );
        await this.gateway.runAutoCommit(`embedding/drop-index-${target}`);
        await this.gateway.runAutoCommit(`embedding/clear-${target}`);
        this.complete.delete(target);
      }
      const total = counts.get(target)?.total ?? 0;
      const embedded = modelChanged ? 0 : (counts.get(target)?.embedded ?? 0);
      counts.set(target, { target, total, embedded });
      const missing = total - embedded;
      if (missing >= bulkMin && missing > embedded) {
        this.log.info(
          { target, missing, embedded },
          'large embedding backlog: its vector index is built once the backlog is embedded',
        );
        await this.gateway.runAutoCommit(`embedding/drop-index-${target}`);
        this.deferredIndex.add(target);
        await this.writeState(target);
        continue;
      }
      this.deferredIndex.delete(target);
      // Same vectors, other index settings: the index is rebuilt from the stored vectors.
      const rebuild = !modelChanged && indexes.has(indexName) && indexes.get(indexName) !== quantization;
      if (rebuild) {
        this.log.warn(
          { target, quantization },
          'vector index settings changed: rebuilding the index (vectors kept)',
        );
        await this.gateway.runAutoCommit(`embedding/drop-index-${target}`);
      }
      await this.createIndex(target, rebuild);
      await this.writeState(target);
    }
    for (const p of counts.values())
      if (p.embedded === p.total && !this.deferredIndex.has(p.target)) this.complete.add(p.target);
  }

  private async writeState(target: EmbeddingTarget): Promise<void> {
    const { name, sha256, dimension } = this.embedder.info;
    await this.gateway.write('embedding/set-state', {
      target,
      model: name,
      sha256,
      dimension: int(dimension),
    });
  }

  /** Creates the target's index if missing; `wait`: until it is online (a build over stored vectors). */
  private async createIndex(target: EmbeddingTarget, wait: boolean): Promise<void> {
    await this.gateway.runAutoCommit(`embedding/create-index-${target}`, {
      dimension: int(this.embedder.info.dimension),
      quantization: this.options.quantization ?? false,
    });
    if (wait)
      await this.gateway.runAutoCommit('embedding/await-index', {
        name: indexNameOf(target),
        seconds: int(3600),
      });
  }

  /** Embeds everything missing once (for scripts and tests); resolves when done. */
  async runOnce(targets: readonly EmbeddingTarget[] = EMBEDDING_TARGETS): Promise<void> {
    for (const target of targets) while (await this.embedMissing(target, Number.POSITIVE_INFINITY));
  }

  /** Starts the background loop; `stop()` ends it. */
  start(): void {
    this.running ??= this.loopUntilStopped();
  }

  /**
   * The loop survives failures (e.g. the database is down for a while): it logs, waits (up to a
   * minute, doubling) and resumes, so embeddings catch up by themselves after an outage.
   */
  private async loopUntilStopped(): Promise<void> {
    let backoffMs = 1000;
    while (!this.stopped) {
      try {
        await this.loop();
        return;
      } catch (error) {
        const err =
          error instanceof Error ? { type: error.name, code: (error as { code?: unknown }).code } : {};
        this.log.warn({ err, retryInMs: backoffMs }, 'embedding sync failed; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        backoffMs = Math.min(60_000, backoffMs * 2);
      }
    }
  }

  /** Nudges the loop to look for new work now (e.g. after a mutation). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      // Targets in priority order, a bounded slice of work each: new people (from mutations or
      // imports) wait at most one slice of label embedding, not the whole label backlog.
      let more = false;
      for (const target of EMBEDDING_TARGETS) {
        if (this.stopped) return;
        if (await this.embedMissing(target, SLICE_BATCHES)) {
          more = true;
          break;
        }
      }
      if (more) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Embeds up to `maxBatches` batches of a target; true when more remain. */
  private async embedMissing(target: EmbeddingTarget, maxBatches: number): Promise<boolean> {
    let task: ReturnType<Progress['start']> | undefined;
    let done = 0;
    let batches = 0;
    let more = false;
    const started = Date.now();
    for (;;) {
      if (this.stopped) return false;
      if (batches >= maxBatches) {
        more = true;
        break;
      }
      batches += 1;
      const rows = await this.gateway.read(`embedding/missing-${target}`, {
        limit: int(this.options.batchSize),
      });
      if (rows.length === 0) break;
      if (!task && this.options.progress) {
        const total = (await this.progress()).find((p) => p.target === target);
        task = this.options.progress.start(
          `embed ${target}`,
          total ? total.total - total.embedded : undefined,
        );
      }
      const vectors = await this.embedder.embed(
        rows.map((r) => textOf(target, r)),
        'passage',
        { background: true },
      );
      const written = rows.map((r, i) => ({ key: String(r.key), vector: Array.from(vectors[i] ?? []) }));
      await this.gateway.writeTransaction(
        async (tx) => {
          await tx.run(`embedding/set-${target}`, { rows: written });
          // A candidate's vector is a ranking input (cosines): the data version moves with it, so
          // cached rankings and the candidate projection follow (people/record-change).
          if (target === 'candidate') {
            await recordChange(tx, { candidates: written.map((r) => r.key) });
          }
        },
        { operation: `embedding/set-${target}` },
      );
      done += rows.length;
      task?.tick(rows.length);
    }
    if (!more && this.deferredIndex.has(target)) {
      const startedBuild = Date.now();
      await this.createIndex(target, true);
      this.deferredIndex.delete(target);
      this.log.info({ target, ms: Date.now() - startedBuild }, 'vector index built over the stored vectors');
    }
    if (!more) this.complete.add(target);
    if (done > 0) {
      task?.done(`${done} embedded`);
      this.log.info({ target, embedded: done, ms: Date.now() - started, more }, 'embeddings updated');
    }
    return more;
  }
}
