/**
 * What the evaluation scripts (`scripts/eval-*.ts`) share to run systems on the dev sets: the
 * graph connection, ESCO concepts with their labels, the search service in any mode, embedding
 * models one at a time with exact label search, and writing a section of docs/evaluation.md.
 *
 * Unlike the rest of `src/eval` this module does I/O (graph, models, files); only the scripts
 * import it, nothing in `src` does. Every embedder is the cached one (`createEmbedder`), so a text
 * is embedded once per model and kind across runs; label embeddings of the served model are the
 * ones the API's background sync already computed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { connectNeo4j } from '../app.js';
import { loadConfig, PROJECT_ROOT, type Config } from '../config.js';
import type { Neo4jGateway } from '../graph/gateway.js';
import type { LocalNeo4jHandle } from '../graph/localNeo4j.js';
import { TaxonomyRepository } from '../graph/taxonomy/taxonomyRepository.js';
import {
  createEmbedder,
  createReranker,
  DEFAULT_RERANKER,
  describeTrainedLookup,
  findTrainedEmbedder,
  findTrainedReranker,
  type Embedder,
  type EmbeddingKind,
  type Reranker,
} from '../inference/index.js';
import { reciprocalRankFusion, type Scored } from '../ranking/rankFusion.js';
import { cleanJobTitle } from '../ranking/titleCleaning.js';
import {
  ConceptSearchService,
  TITLE_FUSION,
  type ConceptSearchOptions,
  type SearchMode,
} from '../services/conceptSearchService.js';
import { parseJobbertTitles, parseMelo, type LabelledQuery } from './evalData.js';
import { GroupedLabelIndex } from './exactSearch.js';
import { rate, replaceSection } from './report.js';

export const EVAL_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'eval');
export const EVALUATION_DOC = path.join(PROJECT_ROOT, 'docs', 'evaluation.md');

export interface ConceptLabels {
  readonly uri: string;
  /** ESCO code (occupations only). */
  readonly code: string | null;
  readonly preferredLabel: string;
  /** Distinct labels per language, preferred first: the same set as the graph's label nodes. */
  readonly labels: ReadonlyArray<{
    readonly text: string;
    readonly lang: 'en' | 'fr';
    readonly preferred: boolean;
  }>;
}

/** One line on stderr (tables go to stdout). */
export function progress(message: string): void {
  process.stderr.write(`[eval ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Runs `fn` over `items` with at most `limit` calls in flight, results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class EvalHarness {
  private occupationCache: ConceptLabels[] | undefined;
  private skillCache: ConceptLabels[] | undefined;

  private constructor(
    readonly config: Config,
    readonly gateway: Neo4jGateway,
    private readonly local: LocalNeo4jHandle | undefined,
  ) {}

  /** Connects to the configured Neo4j (the running local one when `npm start` is up). */
  static async open(): Promise<EvalHarness> {
    const config = loadConfig();
    const log = pino({ level: 'warn' });
    const { gateway, local } = await connectNeo4j(config, log);
    return new EvalHarness(config, gateway, local);
  }

  async close(): Promise<void> {
    await this.gateway.close();
    await this.local?.stop();
  }

  async occupations(): Promise<ConceptLabels[]> {
    this.occupationCache ??= await this.loadConcepts('occupation');
    return this.occupationCache;
  }

  async skills(): Promise<ConceptLabels[]> {
    this.skillCache ??= await this.loadConcepts('skill');
    return this.skillCache;
  }

  /** The concept search service with the given models, reading preferred labels from memory. */
  async service(
    embedder: Embedder | null,
    reranker: Reranker | null,
    options: ConceptSearchOptions = {},
  ): Promise<ConceptSearchService> {
    const names = {
      occupation: new Map((await this.occupations()).map((c) => [c.uri, c.preferredLabel])),
      skill: new Map((await this.skills()).map((c) => [c.uri, c.preferredLabel])),
    };
    return new ConceptSearchService(
      this.gateway,
      embedder,
      reranker,
      null,
      (kind, uris) =>
        Promise.resolve(
          new Map(
            uris.flatMap((u) => (names[kind].has(u) ? [[u, names[kind].get(u)!] as [string, string]] : [])),
          ),
        ),
      options,
    );
  }

  /** A catalog embedding model with the on-disk cache. */
  embedder(name: string): Promise<Embedder> {
    return createEmbedder(this.config, name);
  }

  /** A catalog cross-encoder by name (default: the generic served one, whatever is trained). */
  reranker(name: string = DEFAULT_RERANKER): Promise<Reranker> {
    return createReranker(this.config, name);
  }

  /**
   * The cross-encoder `npm run train:models` wrote (CACHE_DIR/models/trained), or null with the
   * reason when there is none or it is rejected (rows that need it are then left out, and say so).
   */
  async trainedReranker(): Promise<{ reranker: Reranker | null; message: string }> {
    const lookup = await findTrainedReranker(this.config);
    const message = describeTrainedLookup(lookup, DEFAULT_RERANKER, 'reranker');
    if (lookup.status !== 'valid') return { reranker: null, message };
    return { reranker: await createReranker(this.config, undefined, { trained: lookup }), message };
  }

  /**
   * The bi-encoder `npm run train:models` wrote (CACHE_DIR/models/trained), as the service would
   * serve it (with the on-disk cache), or null with the reason when there is none or it is rejected.
   */
  async trainedEmbedder(): Promise<{ embedder: Embedder | null; message: string }> {
    const lookup = await findTrainedEmbedder(this.config);
    const message = describeTrainedLookup(lookup, this.config.inference.embeddingModel, 'embedding');
    if (lookup.status !== 'valid') return { embedder: null, message };
    // No name: the trained model of this lookup (verified once, not hashed again).
    return { embedder: await createEmbedder(this.config, undefined, { trained: lookup }), message };
  }

  /**
   * Embedding throughput of a model on this machine: `texts` embedded without the cache (batch
   * size as served), after one warm-up batch; the better of two timed passes, since other work on
   * the machine only ever slows a pass down. Texts per second.
   */
  async throughput(name: string, texts: readonly string[], kind: EmbeddingKind): Promise<number> {
    const embedder = await createEmbedder(this.config, name, { cache: false });
    try {
      await embedder.embed(texts.slice(0, 32), kind);
      let best = 0;
      for (let pass = 0; pass < 2; pass += 1) {
        const started = performance.now();
        await embedder.embed(texts, kind);
        best = Math.max(best, rate(texts.length, performance.now() - started));
      }
      return best;
    } finally {
      await embedder.close();
    }
  }

  /**
   * Exact search index over the labels of `concepts` (optionally only some of them) embedded as
   * passages by `embedder`, one vector per distinct text.
   */
  async labelIndex(
    embedder: Embedder,
    concepts: readonly ConceptLabels[],
    keep: (label: ConceptLabels['labels'][number]) => boolean = () => true,
  ): Promise<GroupedLabelIndex> {
    const rows = concepts.flatMap((c) => c.labels.filter(keep).map((l) => ({ uri: c.uri, text: l.text })));
    const texts = [...new Set(rows.map((r) => r.text))];
    const vectors = await embedInChunks(embedder, texts, 'passage', `${embedder.info.name} labels`);
    const byText = new Map(texts.map((t, i) => [t, vectors[i]!]));
    return new GroupedLabelIndex(
      rows.map((r) => byText.get(r.text)!),
      rows.map((r) => r.uri),
    );
  }

  private async loadConcepts(kind: 'occupation' | 'skill'): Promise<ConceptLabels[]> {
    const taxonomy = new TaxonomyRepository(this.gateway);
    const out: ConceptLabels[] = [];
    const pageSize = 2000;
    for (let skip = 0; ; skip += pageSize) {
      const page =
        kind === 'occupation'
          ? await taxonomy.occupationsPage(null, skip, pageSize)
          : await taxonomy.skillsPage(null, skip, pageSize);
      for (const c of page.items) {
        const labels: Array<ConceptLabels['labels'][number]> = [];
        const seen = new Set<string>();
        const add = (text: string | null | undefined, lang: 'en' | 'fr', preferred: boolean) => {
          if (!text || seen.has(`${lang}|${text}`)) return;
          seen.add(`${lang}|${text}`);
          labels.push({ text, lang, preferred });
        };
        add(c.preferredLabel, 'en', true);
        for (const t of c.altLabels) add(t, 'en', false);
        add(c.preferredLabelFr, 'fr', true);
        for (const t of c.altLabelsFr ?? []) add(t, 'fr', false);
        out.push({
          uri: c.uri,
          code: c.kind === 'Occupation' ? c.code : null,
          preferredLabel: c.preferredLabel,
          labels,
        });
      }
      if (page.items.length < pageSize) break;
    }
    return out;
  }
}

/** Embeds `texts` in chunks (cached), reporting progress on stderr while a long list is computed. */
export async function embedInChunks(
  embedder: Embedder,
  texts: readonly string[],
  kind: EmbeddingKind,
  what: string,
): Promise<Float32Array[]> {
  const chunk = 4096;
  const out: Float32Array[] = [];
  const started = performance.now();
  for (let i = 0; i < texts.length; i += chunk) {
    const chunkStarted = performance.now();
    out.push(...(await embedder.embed(texts.slice(i, i + chunk), kind)));
    // Only chunks that were computed (a cached chunk reads back in well under a second).
    if (texts.length > chunk && performance.now() - chunkStarted > 1000)
      progress(
        `${what}: ${Math.min(i + chunk, texts.length)}/${texts.length} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
  }
  return out;
}

/** Reads a file of the shared evaluation folder. */
export function readEvalFile(relative: string): string {
  return fs.readFileSync(path.join(EVAL_DIR, relative), 'utf8');
}

/** Rewrites one script's section of docs/evaluation.md, creating the file with a heading if missing. */
export function writeDocSection(key: string, body: string): void {
  const current = fs.existsSync(EVALUATION_DOC) ? fs.readFileSync(EVALUATION_DOC, 'utf8') : '# Evaluation\n';
  fs.mkdirSync(path.dirname(EVALUATION_DOC), { recursive: true });
  fs.writeFileSync(EVALUATION_DOC, replaceSection(current, key, body));
}

/** "2 cores, 23 GiB, Linux 6.x, Node v20.x": the machine a table was measured on. */
export function machineDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return `${cpus.length} cores (${model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Ranked ids of a scored list. */
export const idsOf = (list: readonly Scored[]): string[] => list.map((s) => s.id);

/** Ranked ids per query of a scored run. */
export function idsRun(run: ReadonlyMap<string, readonly Scored[]>): Map<string, string[]> {
  return new Map([...run].map(([id, list]) => [id, idsOf(list)]));
}

/** The job-title dev sets: JobBERT validation titles and MELO bel_q_fr_c_fr (`../shared/eval/job-titles`). */
export const JOBBERT_FILE = 'job-titles/jobbert-titles.validation.csv';
export const MELO_DIR = 'job-titles/melo-bel_q_fr_c_fr';
export function readTitleSets(): { jobbert: LabelledQuery[]; melo: LabelledQuery[] } {
  return {
    jobbert: parseJobbertTitles(readEvalFile(JOBBERT_FILE)),
    melo: parseMelo({
      queries: readEvalFile(`${MELO_DIR}/queries.tsv`),
      annotations: readEvalFile(`${MELO_DIR}/annotations.tsv`),
      conceptMapping: readEvalFile(`${MELO_DIR}/concept_mapping.tsv`),
    }),
  };
}

/** normalizeJobTitle over queries (4 in flight): query id → the top `k` occupations. */
export async function titleRuns(
  service: ConceptSearchService,
  queries: ReadonlyArray<{ readonly id: string; readonly text: string }>,
  lang: 'en' | 'fr',
  mode: SearchMode,
  k = 50,
): Promise<Map<string, Scored[]>> {
  const results = await mapLimit(queries, 4, async (q) => {
    const { hits } = await service.normalizeJobTitle({ title: q.text, lang, k, mode });
    return hits.map((h) => ({ id: h.uri, score: h.score }));
  });
  return new Map(queries.map((q, i) => [q.id, results[i]!]));
}

/**
 * Exact dense search for titles as the service embeds them (cleaned, as queries): query id → the
 * top `k` occupations of `index` (labels embedded by the same `embedder`).
 */
export async function exactTitleRun(
  embedder: Embedder,
  index: GroupedLabelIndex,
  queries: ReadonlyArray<{ readonly id: string; readonly text: string }>,
  k = 50,
  kind: EmbeddingKind = 'query',
): Promise<Map<string, Scored[]>> {
  const vectors = await embedder.embed(
    queries.map((q) => cleanJobTitle(q.text)),
    kind,
  );
  const found = index.search(vectors, k);
  return new Map(queries.map((q, i) => [q.id, found[i]!]));
}

/**
 * HYBRID as the service fuses job titles (weighted RRF, `TITLE_FUSION`), query by query, of the
 * service's lexical run and a dense run from elsewhere (an exact search): what HYBRID would give
 * with that dense model served. Queries of `lexical`; top `k`.
 */
export function fuseTitleRuns(
  lexical: ReadonlyMap<string, readonly Scored[]>,
  dense: ReadonlyMap<string, readonly Scored[]>,
  k = 50,
): Map<string, Scored[]> {
  return new Map(
    [...lexical.keys()].map((id) => [
      id,
      reciprocalRankFusion(
        [
          { items: lexical.get(id) ?? [], weight: TITLE_FUSION.lexicalWeight },
          { items: dense.get(id) ?? [] },
        ],
        TITLE_FUSION.k,
      ).slice(0, k),
    ]),
  );
}

/** Elapsed wall time since `started` (performance.now()) as "12.3 s" / "4.5 min". */
export function elapsed(started: number): string {
  const s = (performance.now() - started) / 1000;
  return s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
}

export interface RunLogEntry {
  readonly date: string;
  readonly seconds: number;
  /** Seconds spent getting label vectors (embedding them when not cached). */
  readonly labelSeconds: number;
}

/**
 * Appends this run to `<cacheDir>/eval/<script>.runs.jsonl` (next to the embedding cache it
 * depends on) and returns the log: its first entry is the run that filled the cache (cold).
 */
export function recordRun(config: Config, script: string, entry: RunLogEntry): RunLogEntry[] {
  const file = path.join(config.cacheDir, 'eval', `${script}.runs.jsonl`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RunLogEntry);
}

/** "first run (…) 31.9 min (date, …); this run (cached): 13.1 min (…)", from a run log. */
export function runTimesLine(log: readonly RunLogEntry[]): string {
  const first = log[0];
  const last = log.at(-1);
  if (!first || !last) return '';
  const m = (s: number) => (s < 120 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);
  const cold = `first run (embedding everything not cached yet): ${m(first.seconds)} (${first.date}, of which ${m(first.labelSeconds)} getting label vectors)`;
  return log.length === 1
    ? cold
    : `${cold}; this run (cached): ${m(last.seconds)} (${last.date}, label vectors ${m(last.labelSeconds)})`;
}
