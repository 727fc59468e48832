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
import { blankBoilerplate } from '../text/boilerplate.js';
import { detectLanguage, type DetectedLanguage } from '../text/languageDetect.js';
import { lexicalSupport } from '../text/lexicalSupport.js';
import fittedCalibration from './calibration.json' with { type: 'json' };
import { confidenceOf, type CalibrationModel, type MatchFeatures } from './calibration.js';
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
  /** Blank advert boilerplate (gender markers, salary lines, contract words, benefits) before skill matching (default true). */
  readonly stripBoilerplate?: boolean;
  /** Drop skills whose label only looks like a word of the text (default `REJECT_LOOKALIKE_SKILLS`). */
  readonly rejectLookalikes?: boolean;
  /** Confidence models (default: the fitted `calibration.json`). */
  readonly calibration?: ConfidenceCalibration;
  /** Rerank non-English titles too (default false: `FRENCH_TITLES_NOT_RERANKED`; for the evaluation's ablation). */
  readonly rerankTitlesInAnyLanguage?: boolean;
}

/**
 * The cross-encoder reorders a title's head by its pairs with English preferred labels; on the
 * French MELO dev part every cross-encoder measured lowers MRR@10 (the generic 0.476 → 0.258, the
 * domain one → 0.206: README, Training), so French titles keep their fused order.
 */
export const FRENCH_TITLES_NOT_RERANKED =
  'cross-encoder: not run for titles other than English (it lowers MRR@10 on the French MELO dev part, docs/evaluation.md)';

/** The fitted confidence models, one per operation (`npm run calibrate`). */
export interface ConfidenceCalibration {
  readonly titles: CalibrationModel;
  readonly skills: CalibrationModel;
}

/** Languages with ESCO labels loaded (the `Language` enum). */
export const LABEL_LANGUAGES: ReadonlySet<DetectedLanguage> = new Set(['en', 'fr']);

/**
 * Skills whose label only looks like a word of the text ("Docker" → "dock operations") are
 * dropped. On the dev sets this left RP@5 unchanged (TECH 0.592, HOUSE 0.292, measured without
 * the skill dense stage: see docs/evaluation.md, calibration); `npm run eval:skills` prints the
 * "lookalike labels kept" ablation beside the default, and the default goes off if it ever loses.
 */
export const REJECT_LOOKALIKE_SKILLS = true;

export const DEFAULT_CALIBRATION: ConfidenceCalibration = fittedCalibration;

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
  /** Calibrated probability that the match is right, 0..1 (null where no model applies). */
  readonly confidence: number | null;
  /** What the confidence was computed from (evaluation and calibration read it). */
  readonly features: MatchFeatures | null;
  readonly matchedLabel: string | null;
  readonly evidence: { readonly text: string; readonly start: number; readonly end: number } | null;
}

export interface ConceptSearchResult {
  readonly hits: readonly ConceptHit[];
  readonly stages: StageReport;
}

/** A text-to-concept answer with its confidence signals. */
export interface TextMatchResult extends ConceptSearchResult {
  /** No hit reaches the confidence threshold, or the text's language has no labels loaded. */
  readonly noMatch: boolean;
  /** The threshold `noMatch` used (the caller's `minConfidence`, else the fitted one). */
  readonly threshold: number;
  /** ISO 639-1 code guessed from the text, null when undetermined. */
  readonly detectedLanguage: DetectedLanguage | null;
  /** False when the detected language has no labels loaded. */
  readonly languageSupported: boolean;
  readonly warnings: readonly string[];
}

export interface TitleResult extends TextMatchResult {
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

function assertConfidence(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new BadUserInputError(`minConfidence must be between 0 and 1 (got ${value})`, {
      argument: 'minConfidence',
    });
  return value;
}

/** 1 / (1-based position of `id` in `list`), 0 when absent. */
function reciprocalRank(list: readonly Scored[], id: string): number {
  const i = list.findIndex((s) => s.id === id);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** (score − next score) / score for each position of a ranked list (1 for the last). */
function margins(list: readonly Scored[]): number[] {
  return list.map((s, i) => {
    const next = list[i + 1];
    if (!next || s.score === 0) return 1;
    return Math.max(0, (s.score - next.score) / Math.abs(s.score));
  });
}

/** What a hit's confidence is computed from, beyond its place in the fused list. */
interface HitSignals {
  readonly cosine: number;
  readonly lexicalRR: number;
  readonly denseRR: number;
  readonly support: { readonly coverage: number; readonly lookalike: boolean } | null | undefined;
}

/** A hit of the head with its calibrated confidence and the features it rests on. */
function calibratedHit(
  model: CalibrationModel,
  hit: Scored,
  index: number,
  margin: number | undefined,
  signals: HitSignals,
  matchedLabel: string | null,
  evidence: ConceptHit['evidence'],
): ConceptHit & { readonly confidence: number; readonly features: MatchFeatures } {
  const features: MatchFeatures = {
    fused: hit.score,
    rank: index + 1,
    cosine: signals.cosine,
    lexicalRR: signals.lexicalRR,
    denseRR: signals.denseRR,
    margin: margin ?? 1,
    coverage: signals.support?.coverage ?? 0,
    lookalike: signals.support?.lookalike ? 1 : 0,
  };
  return {
    uri: hit.id,
    score: hit.score,
    confidence: confidenceOf(model, features),
    features,
    matchedLabel,
    evidence,
  };
}

/** Language signal and the resulting warnings for a text. */
function languageSignal(text: string): {
  detectedLanguage: DetectedLanguage | null;
  languageSupported: boolean;
  warnings: string[];
} {
  const { language } = detectLanguage(text);
  const languageSupported = language === null || LABEL_LANGUAGES.has(language);
  return {
    detectedLanguage: language,
    languageSupported,
    warnings: languageSupported
      ? []
      : [
          `The text looks ${language ?? ''}; labels are loaded in ${[...LABEL_LANGUAGES].join(' and ')} only, so matches are lookalikes at best (noMatch is set).`,
        ],
  };
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
    minConfidence?: number | null;
  }): Promise<TextMatchResult> {
    const raw = assertText(args.title, 'title', 200);
    assertK(args.k, 50);
    const minConfidence = assertConfidence(args.minConfidence);
    const model = (this.options.calibration ?? DEFAULT_CALIBRATION).titles;
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
    let ranked: { list: Scored[]; reranked: number } = { list: fused, reranked: 0 };
    if (mode === 'HYBRID_RERANK') {
      if (args.lang !== 'en' && this.options.rerankTitlesInAnyLanguage !== true) {
        skipped.push(FRENCH_TITLES_NOT_RERANKED);
      } else {
        ranked = await this.rerankHead(title, fused, 'occupation', skipped);
      }
    }
    const top = ranked.list.slice(0, args.k);
    const names = await this.labels(
      'occupation',
      top.map((t) => t.id),
    );
    const topMargins = margins(ranked.list.slice(0, args.k + 1));
    const cosineOf = new Map(dense.map((d) => [d.id, d.score]));
    const scored = top.map((t, i) => {
      const label = matched.get(t.id) ?? names.get(t.id) ?? null;
      const signals: HitSignals = {
        cosine: cosineOf.get(t.id) ?? 0,
        lexicalRR: reciprocalRank(lexical, t.id),
        denseRR: reciprocalRank(dense, t.id),
        support: label ? lexicalSupport(title, label) : null,
      };
      return calibratedHit(model, t, i, topMargins[i], signals, label, null);
    });
    const language = languageSignal(raw);
    const threshold = minConfidence ?? model.noMatchThreshold;
    const hits = minConfidence === null ? scored : scored.filter((h) => h.confidence >= minConfidence);
    return {
      hits,
      noMatch: !language.languageSupported || (scored[0]?.confidence ?? 0) < threshold,
      threshold,
      ...language,
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
    minConfidence?: number | null;
  }): Promise<TextMatchResult> {
    const text = assertText(args.text, 'text', 5000);
    assertK(args.k, 50);
    const minConfidence = assertConfidence(args.minConfidence);
    const model = (this.options.calibration ?? DEFAULT_CALIBRATION).skills;
    const mode = args.mode ?? DEFAULT_SKILL_MODE;
    // Boilerplate becomes spaces: same offsets, so evidence spans still point into `text`.
    const matchable = this.options.stripBoilerplate === false ? text : blankBoilerplate(text);
    const skillFusion = this.options.skillFusion ?? SKILL_FUSION;
    const skipped: string[] = [];
    const clauses = splitClauses(matchable);
    if (clauses.length === 0 && matchable.trim() === text) clauses.push({ text, start: 0, end: text.length });
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
    if (mode !== 'LEXICAL' && clauses.length > 0) {
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
    const best = new Map<
      string,
      { score: number; clause: number; lexicalRR: number; denseRR: number; cosine: number }
    >();
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
        if (!prior || f.score > prior.score)
          best.set(f.id, {
            score: f.score,
            clause: i,
            lexicalRR: reciprocalRank(lex, f.id),
            denseRR: reciprocalRank(den, f.id),
            cosine: den.find((d) => d.id === f.id)?.score ?? 0,
          });
      }
    });
    let fusedAll: Scored[] = [...best.entries()]
      .map(([id, b]) => ({ id, score: b.score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const evidenceText = (uri: string) => clauses[best.get(uri)?.clause ?? 0]?.text ?? text;
    // Word support of each candidate's label against its clause; lookalikes may be dropped.
    const head = fusedAll.slice(0, Math.max(3 * args.k, args.k + 20));
    const headNames = await this.labels(
      'skill',
      head.filter((h) => !matched.has(h.id)).map((h) => h.id),
    );
    const labelOf = (uri: string) => matched.get(uri) ?? headNames.get(uri) ?? null;
    const supportOf = new Map(
      head.map((h) => {
        const label = labelOf(h.id);
        return [h.id, label ? lexicalSupport(evidenceText(h.id), label) : null] as const;
      }),
    );
    let rejected = 0;
    if (this.options.rejectLookalikes ?? REJECT_LOOKALIKE_SKILLS) {
      // A fulltext hit rests on a whole analysed word of one of its labels, so a lookalike preferred
      // label alone does not drop it, unless the word was a part of a compound name of the text
      // ("scikit-learn" → "learning difficulties": fulltext splits the name).
      const isLookalike = (id: string) => {
        const support = supportOf.get(id);
        if (!support?.lookalike) return false;
        return (best.get(id)?.lexicalRR ?? 0) === 0 || support.partCoverage > 0;
      };
      const kept = head.filter((h) => !isLookalike(h.id));
      rejected = head.length - kept.length;
      fusedAll = [...kept, ...fusedAll.slice(head.length)];
    }
    const ranked =
      mode === 'HYBRID_RERANK'
        ? await this.rerankHead(text, fusedAll, 'skill', skipped, (uri) => evidenceText(uri))
        : { list: fusedAll, reranked: 0 };
    const top = ranked.list.slice(0, args.k);
    const names = await this.labels(
      'skill',
      top.filter((t) => !labelOf(t.id)).map((t) => t.id),
    );
    const topMargins = margins(ranked.list.slice(0, args.k + 1));
    const scored = top.map((t, i) => {
      const b = best.get(t.id);
      const clause = clauses[b?.clause ?? 0];
      const signals: HitSignals = {
        cosine: b?.cosine ?? 0,
        lexicalRR: b?.lexicalRR ?? 0,
        denseRR: b?.denseRR ?? 0,
        support: supportOf.get(t.id),
      };
      const evidence = clause ? { text: clause.text, start: clause.start, end: clause.end } : null;
      return calibratedHit(
        model,
        t,
        i,
        topMargins[i],
        signals,
        labelOf(t.id) ?? names.get(t.id) ?? null,
        evidence,
      );
    });
    const language = languageSignal(text);
    const threshold = minConfidence ?? model.noMatchThreshold;
    const hits = minConfidence === null ? scored : scored.filter((h) => h.confidence >= minConfidence);
    if (rejected > 0) skipped.push(`lookalikes: ${rejected} skill labels only looked like words of the text`);
    return {
      hits,
      noMatch: !language.languageSupported || (scored[0]?.confidence ?? 0) < threshold,
      threshold,
      ...language,
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
      hits: fused.map((f) => ({
        uri: f.id,
        score: f.score,
        confidence: null,
        features: null,
        matchedLabel: null,
        evidence: null,
      })),
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
