/**
 * Free text → ESCO concepts: job-title normalisation, skill extraction, and similar occupations or
 * skills. Each operation fuses lexical candidates (Neo4j fulltext) and dense candidates (Neo4j vector
 * indexes over label embeddings) with reciprocal rank fusion, and can rerank the head with the
 * cross-encoder. Responses say which stages ran.
 */
import { BadUserInputError, NotFoundError } from '../errors.js';
import { MAX_SEARCH_LENGTH, toFulltextQuery } from '../graph/fulltextQuery.js';
import { int, type Neo4jGateway } from '../graph/gateway.js';
import { FULLTEXT_INDEXES } from '../graph/taxonomy/taxonomyRepository.js';
import type { Embedder, EmbeddingKind } from '../inference/embedder.js';
import type { Reranker } from '../inference/reranker.js';
import { bestPerGroup, reciprocalRankFusion, splitClauses, type Scored } from '../ranking/rankFusion.js';
import { cleanJobTitle } from '../ranking/titleCleaning.js';
import type { EmbeddingSync } from './embeddingSync.js';

export type SearchMode = 'LEXICAL' | 'DENSE' | 'HYBRID' | 'HYBRID_RERANK';

/**
 * Defaults chosen on the dev sets (docs/evaluation.md, `npm run eval:titles|skills|postings`):
 * hybrid fusion for titles and skills, which beat fulltext alone and dense alone there. The
 * cross-encoder (ms-marco, trained on web passages) is available per request but off by default:
 * it lowered title MRR on every set (sharply on French titles) and skill RP@5 on TECH.
 */
export const DEFAULT_TITLE_MODE: SearchMode = 'HYBRID';
export const DEFAULT_SKILL_MODE: SearchMode = 'HYBRID';

/**
 * How job-title candidates are fused (weighted reciprocal rank fusion, see `reciprocalRankFusion`),
 * tuned on the JobBERT and MELO dev sets (docs/evaluation.md): a small constant, so the heads of
 * the lists decide, and the lexical list weighted below the dense one, so a lexical hit breaks
 * ties among close dense candidates rather than overriding a clear dense winner.
 */
export const TITLE_FUSION = { k: 3, lexicalWeight: 0.8 } as const;

/** Fusion of each clause's skill candidates, tuned the same way on the TECH and HOUSE dev sets. */
export const SKILL_FUSION = { k: 3, lexicalWeight: 0.7 } as const;

/**
 * Nearest skill labels asked of the vector index per clause. Skills have many near-identical
 * alternative labels, so 20 labels covered only a handful of skills, and the index (HNSW) finds
 * the true nearest labels more reliably when asked for more (TECH RP@5 0.45 → 0.54, exact 0.55).
 */
export const SKILL_LABELS_PER_CLAUSE = 100;

/** Switches for evaluation ablations; the defaults are what the API serves. */
export interface ConceptSearchOptions {
  /** Drop gender markers, seniority and contract noise from job titles before matching (default true). */
  readonly cleanTitles?: boolean;
  /** How a job title is embedded for the dense stage (default `TITLE_EMBEDDING_KIND`). */
  readonly titleEmbedding?: EmbeddingKind;
  /** Fusion of job-title candidates (default `TITLE_FUSION`). */
  readonly titleFusion?: { readonly k: number; readonly lexicalWeight: number };
  /** Fusion of each clause's skill candidates (default `SKILL_FUSION`). */
  readonly skillFusion?: { readonly k: number; readonly lexicalWeight: number };
  /** Nearest skill labels per clause from the vector index (default `SKILL_LABELS_PER_CLAUSE`). */
  readonly skillLabelsPerClause?: number;
}

/** Job titles are embedded as queries (with the model's query prefix, if any). */
export const TITLE_EMBEDDING_KIND: EmbeddingKind = 'query';

export interface StageReport {
  readonly lexical: number;
  readonly dense: number;
  readonly fused: number;
  readonly reranked: number;
  readonly skipped: readonly string[];
  readonly mode: SearchMode;
}

export interface ConceptHit {
  readonly uri: string;
  readonly score: number;
  readonly matchedLabel: string | null;
  readonly evidence: { readonly text: string; readonly start: number; readonly end: number } | null;
}

export interface ConceptSearchResult {
  readonly hits: readonly ConceptHit[];
  readonly stages: StageReport;
}

export interface TitleResult extends ConceptSearchResult {
  readonly title: string;
}

export interface SimilarResult extends ConceptSearchResult {
  readonly uri: string;
}

const CANDIDATES = 50;
const RERANK_TOP = 20;
const ESCO_URI = /^http:\/\/data\.europa\.eu\/esco\/(occupation|skill)\/[A-Za-z0-9_\-.]+$/;

/** The longest run of whole words of `text` within `max` characters (a cut word only when it is the first). */
function headWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > 0 ? cut.slice(0, space) : text.slice(0, max)).trim();
}

function assertK(k: number, max: number): void {
  if (!Number.isInteger(k) || k < 1 || k > max)
    throw new BadUserInputError(`k must be between 1 and ${max} (got ${k})`, { argument: 'k' });
}

function assertText(text: string, argument: string, max: number): string {
  const t = text.normalize('NFC').trim();
  if (t.length === 0) throw new BadUserInputError(`${argument} must not be empty`, { argument });
  if (t.length > max)
    throw new BadUserInputError(`${argument} must be at most ${max} characters`, { argument });
  return t;
}

export class ConceptSearchService {
  constructor(
    private readonly gateway: Neo4jGateway,
    private readonly embedder: Embedder | null,
    private readonly reranker: Reranker | null,
    private readonly embeddings: EmbeddingSync | null,
    private readonly labels: (
      kind: 'occupation' | 'skill',
      uris: readonly string[],
    ) => Promise<Map<string, string>>,
    private readonly options: ConceptSearchOptions = {},
  ) {
    gateway.registry.require([
      'search/occupation-fulltext',
      'search/occupation-label-vectors',
      'search/skill-fulltext-batch',
      'search/skill-label-vectors-batch',
      'search/similar-occupations-vector',
      'search/similar-skills-vector',
      'search/similar-occupations-graph',
      'search/similar-skills-graph',
    ]);
  }

  async normalizeJobTitle(args: {
    title: string;
    lang: 'en' | 'fr';
    k: number;
    mode?: SearchMode | null;
  }): Promise<ConceptSearchResult> {
    const raw = assertText(args.title, 'title', 200);
    assertK(args.k, 50);
    const mode = args.mode ?? DEFAULT_TITLE_MODE;
    const skipped: string[] = [];
    const title = this.options.cleanTitles === false ? raw : cleanJobTitle(raw);
    const titleFusion = this.options.titleFusion ?? TITLE_FUSION;
    const query = toFulltextQuery(title, 'title');

    let lexical: Scored[] = [];
    if (mode !== 'DENSE') {
      lexical = await this.fulltextOccupations(FULLTEXT_INDEXES.Occupation[args.lang], query);
      if (lexical.length === 0 && args.lang === 'fr')
        lexical = await this.fulltextOccupations(FULLTEXT_INDEXES.Occupation.en, query);
    }
    const matched = new Map<string, string>();
    let dense: Scored[] = [];
    if (mode !== 'LEXICAL') {
      const vector = await this.queryVector(
        title,
        'occupation-label',
        skipped,
        this.options.titleEmbedding ?? TITLE_EMBEDDING_KIND,
      );
      if (vector) {
        const rows = await this.gateway.read('search/occupation-label-vectors', {
          n: int(CANDIDATES * 3),
          vector: Array.from(vector),
        });
        const best = bestPerGroup(
          rows.map((r) => ({ uri: String(r.uri), label: String(r.label), score: Number(r.score) })),
          (r) => r.uri,
        ).slice(0, CANDIDATES);
        for (const b of best) matched.set(b.uri, b.label);
        dense = best.map((b) => ({ id: b.uri, score: b.score }));
      }
    }
    const fused =
      mode === 'LEXICAL'
        ? lexical
        : mode === 'DENSE'
          ? dense
          : reciprocalRankFusion(
              [{ items: lexical, weight: titleFusion.lexicalWeight }, { items: dense }],
              titleFusion.k,
            );
    const ranked =
      mode === 'HYBRID_RERANK'
        ? await this.rerankHead(title, fused, 'occupation', skipped)
        : { list: fused, reranked: 0 };
    const top = ranked.list.slice(0, args.k);
    const names = await this.labels(
      'occupation',
      top.map((t) => t.id),
    );
    return {
      hits: top.map((t) => ({
        uri: t.id,
        score: t.score,
        matchedLabel: matched.get(t.id) ?? names.get(t.id) ?? null,
        evidence: null,
      })),
      stages: {
        lexical: lexical.length,
        dense: dense.length,
        fused: fused.length,
        reranked: ranked.reranked,
        skipped,
        mode,
      },
    };
  }

  async extractSkills(args: {
    text: string;
    k: number;
    mode?: SearchMode | null;
  }): Promise<ConceptSearchResult> {
    const text = assertText(args.text, 'text', 5000);
    assertK(args.k, 50);
    const mode = args.mode ?? DEFAULT_SKILL_MODE;
    const skillFusion = this.options.skillFusion ?? SKILL_FUSION;
    const skipped: string[] = [];
    const clauses = splitClauses(text);
    if (clauses.length === 0) clauses.push({ text, start: 0, end: text.length });
    // Lexical: every clause against the skill label index, in one statement.
    const lexicalByClause = new Map<number, Scored[]>();
    if (mode !== 'DENSE') {
      const queries = clauses.flatMap((c, i) => {
        try {
          // A clause longer than a search allows is searched by its first words, not skipped.
          return [{ i: int(i), query: toFulltextQuery(headWords(c.text, MAX_SEARCH_LENGTH), 'text') }];
        } catch {
          return [];
        }
      });
      const rows =
        queries.length > 0
          ? await this.gateway.read('search/skill-fulltext-batch', { clauses: queries, limit: int(10) })
          : [];
      for (const r of rows) {
        const i = Number(r.i);
        const list = lexicalByClause.get(i) ?? [];
        list.push({ id: String(r.uri), score: Number(r.score) });
        lexicalByClause.set(i, list);
      }
    }
    // Dense: every clause embedded at once, then nearest skill labels per clause.
    const denseByClause = new Map<number, Scored[]>();
    const matched = new Map<string, string>();
    if (mode !== 'LEXICAL') {
      const vectors = await this.queryVectors(
        clauses.map((c) => c.text),
        'skill-label',
        skipped,
      );
      if (vectors) {
        const rows = await this.gateway.read('search/skill-label-vectors-batch', {
          clauses: vectors.map((v, i) => ({ i: int(i), vector: Array.from(v) })),
          n: int(this.options.skillLabelsPerClause ?? SKILL_LABELS_PER_CLAUSE),
        });
        const perClause = new Map<number, Array<{ uri: string; label: string; score: number }>>();
        for (const r of rows) {
          const i = Number(r.i);
          const list = perClause.get(i) ?? [];
          list.push({ uri: String(r.uri), label: String(r.label), score: Number(r.score) });
          perClause.set(i, list);
        }
        for (const [i, list] of perClause) {
          const best = bestPerGroup(list, (x) => x.uri);
          denseByClause.set(
            i,
            best.map((b) => ({ id: b.uri, score: b.score })),
          );
          for (const b of best) if (!matched.has(b.uri)) matched.set(b.uri, b.label);
        }
      }
    }
    // Per clause fuse, then keep each skill's best clause as its evidence.
    const best = new Map<string, { score: number; clause: number }>();
    clauses.forEach((_, i) => {
      const lex = lexicalByClause.get(i) ?? [];
      const den = denseByClause.get(i) ?? [];
      const fused =
        mode === 'LEXICAL'
          ? lex
          : mode === 'DENSE'
            ? den
            : reciprocalRankFusion(
                [{ items: lex, weight: skillFusion.lexicalWeight }, { items: den }],
                skillFusion.k,
              );
      for (const f of fused) {
        const prior = best.get(f.id);
        if (!prior || f.score > prior.score) best.set(f.id, { score: f.score, clause: i });
      }
    });
    const fusedAll: Scored[] = [...best.entries()]
      .map(([id, b]) => ({ id, score: b.score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const evidenceText = (uri: string) => clauses[best.get(uri)?.clause ?? 0]?.text ?? text;
    const ranked =
      mode === 'HYBRID_RERANK'
        ? await this.rerankHead(text, fusedAll, 'skill', skipped, (uri) => evidenceText(uri))
        : { list: fusedAll, reranked: 0 };
    const top = ranked.list.slice(0, args.k);
    const names = await this.labels(
      'skill',
      top.map((t) => t.id),
    );
    return {
      hits: top.map((t) => {
        const clause = clauses[best.get(t.id)?.clause ?? 0];
        return {
          uri: t.id,
          score: t.score,
          matchedLabel: matched.get(t.id) ?? names.get(t.id) ?? null,
          evidence: clause ? { text: clause.text, start: clause.start, end: clause.end } : null,
        };
      }),
      stages: {
        lexical: [...lexicalByClause.values()].reduce((n, l) => n + l.length, 0),
        dense: [...denseByClause.values()].reduce((n, l) => n + l.length, 0),
        fused: fusedAll.length,
        reranked: ranked.reranked,
        skipped,
        mode,
      },
    };
  }

  async similar(kind: 'occupation' | 'skill', uri: string, k: number): Promise<ConceptSearchResult> {
    if (!ESCO_URI.test(uri) || !uri.includes(`/${kind}/`)) {
      throw new BadUserInputError(`uri is not an ESCO ${kind} URI: "${uri.slice(0, 100)}"`, {
        argument: 'uri',
      });
    }
    assertK(k, 50);
    const names = await this.labels(kind, [uri]);
    if (!names.has(uri)) throw new NotFoundError(kind === 'occupation' ? 'Occupation' : 'Skill', uri);
    const skipped: string[] = [];
    const graphRows = await this.gateway.read(`search/similar-${kind}s-graph`, {
      uri,
      limit: int(CANDIDATES),
    });
    const graph = graphRows.map((r) => ({ id: String(r.uri), score: Number(r.score) }));
    let dense: Scored[] = [];
    if (this.embeddings && !this.embeddings.isComplete(kind)) {
      skipped.push(`dense: ${kind} embeddings are still being computed`);
    } else {
      const rows = await this.gateway.read(`search/similar-${kind}s-vector`, { uri, n: int(CANDIDATES) });
      dense = rows.map((r) => ({ id: String(r.uri), score: Number(r.score) }));
      if (rows.length === 0) skipped.push(`dense: this ${kind} has no embedding yet`);
    }
    const fused = reciprocalRankFusion([{ items: graph }, { items: dense }]).slice(0, k);
    return {
      hits: fused.map((f) => ({ uri: f.id, score: f.score, matchedLabel: null, evidence: null })),
      stages: {
        lexical: graph.length,
        dense: dense.length,
        fused: fused.length,
        reranked: 0,
        skipped,
        mode: 'HYBRID',
      },
    };
  }

  // ---- helpers ---------------------------------------------------------------------------

  private async fulltextOccupations(index: string, query: string): Promise<Scored[]> {
    const rows = await this.gateway.read('search/occupation-fulltext', {
      index,
      query,
      limit: int(CANDIDATES),
    });
    return rows.map((r) => ({ id: String(r.uri), score: Number(r.score) }));
  }

  private async queryVector(
    text: string,
    target: 'occupation-label' | 'skill-label',
    skipped: string[],
    kind: EmbeddingKind = 'query',
  ): Promise<Float32Array | null> {
    return (await this.queryVectors([text], target, skipped, kind))?.[0] ?? null;
  }

  private async queryVectors(
    texts: readonly string[],
    target: 'occupation-label' | 'skill-label',
    skipped: string[],
    kind: EmbeddingKind = 'query',
  ): Promise<Float32Array[] | null> {
    if (!this.embedder) {
      skipped.push('dense: no embedding model loaded');
      return null;
    }
    if (this.embeddings && !this.embeddings.isComplete(target)) {
      skipped.push(`dense: ${target} embeddings are still being computed (lexical only)`);
      return null;
    }
    return this.embedder.embed(texts, kind);
  }

  private async rerankHead(
    query: string,
    list: Scored[],
    kind: 'occupation' | 'skill',
    skipped: string[],
    queryFor?: (uri: string) => string,
  ): Promise<{ list: Scored[]; reranked: number }> {
    if (!this.reranker) {
      skipped.push('cross-encoder: no reranker model loaded');
      return { list, reranked: 0 };
    }
    const head = list.slice(0, RERANK_TOP);
    const names = await this.labels(
      kind,
      head.map((h) => h.id),
    );
    const scores = await this.reranker.score(
      head.map((h) => [queryFor ? queryFor(h.id) : query, names.get(h.id) ?? h.id] as const),
    );
    const rescored = head
      .map((h, i) => ({ id: h.id, score: scores[i] ?? 0 }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    // The tail keeps its fused order below the reranked head (its scores are on another scale).
    const floor = Math.min(0, ...rescored.map((r) => r.score));
    const tail = list.slice(RERANK_TOP).map((t, i) => ({ id: t.id, score: floor - (i + 1) * 1e-6 }));
    return { list: [...rescored, ...tail], reranked: head.length };
  }
}
