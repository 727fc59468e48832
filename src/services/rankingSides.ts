/**
 * The two sides of the ranking pipeline (`RankingService`): candidates for a vacancy and vacancies
 * for a candidate. A side says what differs between them — the subject and its texts, the graph
 * recall, the stage-2 inputs of a pool and its filters, the cross-encoder's texts and pair order,
 * and whether fairness is audited — and nothing else; the stages themselves live in the service.
 */
import { NotFoundError } from '../errors.js';
import type { EvidenceRow, RequirementRow } from '../graph/gap/gapRepository.js';
import type { RankedKind, RankingReads } from '../graph/ranking/rankingRepository.js';
import type { ApplicationRef, OccupationRefRecord } from '../graph/ranking/records.js';
import type { OccupationRef } from '../ranking/features.js';
import { outcomeHistory } from '../ranking/features.js';
import type { SkillEvidence } from '../ranking/skillMatch.js';
import {
  candidateText,
  idealProfileText,
  rerankerCandidateText,
  rerankerVacancyText,
  vacancyText,
} from '../ranking/texts.js';

/** Whom a ranking is for. */
export interface Subject {
  readonly id: string;
  /** The subject's text as the embedder reads it (used without a stored vector). */
  readonly queryText: string;
  /** The subject's text as the cross-encoder reads it: work and skills, no region (`texts.ts`). */
  readonly rerankText: string;
  /** The stored embedding (null while missing). */
  readonly embedding: Float32Array | null;
  readonly region: string | null;
  /** The ideal ("hypothetical counterpart") profile to embed as a passage; null: none. */
  readonly idealText: string | null;
}

/** One pooled item's stage-2 inputs, the same shape on both sides. */
export interface PoolItem {
  readonly id: string;
  /** The vacancy's requirements (the subject's, or this item's). */
  readonly requirements: readonly RequirementRow[];
  /** The candidate's evidence of those requirements. */
  readonly evidence: SkillEvidence;
  /** The vacancy's occupation. */
  readonly target: OccupationRef | null;
  /** The candidate's occupations. */
  readonly held: readonly OccupationRef[];
  readonly region: string | null;
  readonly cosine: number | null;
  readonly idealCosine: number | null;
  readonly outcomeHistory: number | null;
  /** Outcome label for equal-opportunity figures (candidates only). */
  readonly qualified: boolean | null;
  /** The cross-encoder's text of the item (work and skills, no region); null: read lazily with `RankingSide.texts`. */
  readonly text: string | null;
}

/**
 * Whose applications the caller may count (outcome history, outcome labels): every
 * organization's (ADMIN), one organization's (a recruiter: applications to its own vacancies), or
 * none (partners see no applications).
 */
export type ApplicationScope = 'all' | 'none' | { readonly organizationId: string };

/** The applications of `all` that `scope` lets the caller see; null: none may be seen. */
export function visibleApplications(
  all: readonly ApplicationRef[],
  scope: ApplicationScope,
): readonly ApplicationRef[] | null {
  if (scope === 'all') return all;
  if (scope === 'none') return null;
  return all.filter((a) => a.organizationId === scope.organizationId);
}

/** The request's options that shape the pool. */
export interface PoolFilters {
  readonly region: string | null;
  readonly excludeApplied: boolean;
  readonly vacancyStatus: 'OPEN' | 'CLOSED' | null;
  /** The audit attribute whose groups the pool reads (candidates only). */
  readonly attribute: 'gender' | 'ageBand';
  /** Which applications feed features and outcome labels (the caller's view). */
  readonly applications: ApplicationScope;
}

/** Stage 1's graph recall: the ids, and what they were read from (null: no recall ran). */
export interface Recall {
  readonly ids: readonly string[];
  readonly source: 'GRAPH' | 'PROJECTION' | null;
}

const NO_RECALL: Recall = { ids: [], source: null };

export interface Pool {
  /** Items after the filters, in pool order. */
  readonly items: PoolItem[];
  /** What the stage-2 inputs were read from: the graph, or the in-process candidate projection. */
  readonly source: 'GRAPH' | 'PROJECTION';
  /** Audit group per item id (aggregate fairness only); null where fairness is not audited. */
  readonly groups: ReadonlyMap<string, string | null> | null;
}

export interface RankingSide<S extends Subject> {
  /** Cache-key prefix. */
  readonly tag: 'c' | 'v';
  /** The argument naming the subject (error messages). */
  readonly argument: 'vacancyId' | 'candidateId';
  /** What is ranked: its vector index and the point of view of explanations. */
  readonly items: RankedKind;
  /** Reads the subject (NOT_FOUND when missing); notes stages that cannot run for it. */
  load(id: string, skipped: string[]): Promise<S>;
  /** Whether the filters drop pooled items (retrieval then over-fetches). */
  filters(filters: PoolFilters): boolean;
  /**
   * Stage 1, graph recall: at most `n` ids, and what they were read from (null: no recall ran);
   * `dataVersion` as for `pool`.
   */
  recall(subject: S, n: number, dataVersion: number): Promise<Recall>;
  /** Stage-2 inputs of the pooled ids, filtered; `dataVersion`: the people data version the request saw. */
  pool(
    subject: S,
    ids: readonly string[],
    vectors: { readonly query: Float32Array | null; readonly ideal: Float32Array | null },
    filters: PoolFilters,
    dataVersion: number,
  ): Promise<Pool>;
  /** Cross-encoder texts of items whose `text` is null. */
  texts(ids: readonly string[]): Promise<Map<string, string>>;
  /** True when the item's text is the cross-encoder's query and the subject's its passage. */
  readonly itemIsQuery: boolean;
  /** The occupation an explanation names, given the best match between target and held. */
  occupationLabel(item: PoolItem, matched: OccupationRef | null): string | null;
  /** Null: fairness is audited; else the note saying why it is not. */
  readonly unaudited: string | null;
}

interface VacancySubject extends Subject {
  readonly requirements: readonly RequirementRow[];
  readonly target: OccupationRef | null;
}

interface CandidateSubject extends Subject {
  readonly held: readonly OccupationRefRecord[];
}

const NO_EVIDENCE: SkillEvidence = { held: [], near: [] };

/** Candidates for a vacancy (`rankCandidates`): fairness audited, candidate texts read for the head only. */
export function candidatesForVacancy(repository: RankingReads): RankingSide<VacancySubject> {
  return {
    tag: 'c',
    argument: 'vacancyId',
    items: 'candidate',
    itemIsQuery: false,
    unaudited: null,

    async load(vacancyId, skipped) {
      const [context, requirementMap] = await Promise.all([
        repository.vacancyContext(vacancyId),
        repository.vacancyRequirements([vacancyId]),
      ]);
      if (!context) throw new NotFoundError('Vacancy', vacancyId);
      const requirements = requirementMap.get(vacancyId)?.requirements ?? [];
      const occupation = context.occupation;
      if (requirements.length === 0) skipped.push('skill coverage: the vacancy lists no skills');
      if (!occupation)
        skipped.push('occupation match and ideal profile: the vacancy names no ESCO occupation');
      return {
        id: vacancyId,
        queryText: vacancyText({
          title: context.title,
          description: context.description,
          skills: context.skillLabels,
        }),
        rerankText: rerankerVacancyText({
          title: context.title,
          region: context.region,
          skills: context.skillLabels,
        }),
        embedding: context.embedding,
        region: context.region,
        idealText: occupation
          ? idealProfileText({
              label: occupation.label,
              altLabels: occupation.altLabels,
              essentialSkills: occupation.essentialSkills,
            })
          : null,
        requirements,
        target: occupation
          ? { uri: occupation.uri, iscoGroup: occupation.iscoGroup, label: occupation.label }
          : null,
      };
    },

    filters: (f) => Boolean(f.region || f.excludeApplied),

    // With the recall, the near skills of the requirement set are read into their cache, so that
    // stage 2 (which needs them for every pooled candidate's partial credit) finds them there
    // instead of waiting on the database after retrieval.
    // From the in-process projection once it reflects the request's data version (the same ids
    // as the statement's), else from the graph.
    async recall(subject, n, dataVersion) {
      const required = subject.requirements.map((r) => r.uri);
      const essential = subject.requirements
        .filter((r) => r.relation === 'essential')
        .map((r) => ({ uri: r.uri, weight: r.specificity }));
      const holders = async (): Promise<Recall> => {
        const reads = await repository.candidatePool(dataVersion);
        return { ids: await reads.holders(essential, n), source: reads.source };
      };
      const [recall] = await Promise.all([
        essential.length > 0 ? holders() : Promise.resolve(NO_RECALL),
        required.length > 0 ? repository.nearSkills(required) : Promise.resolve(null),
      ]);
      return recall;
    },

    // Skill evidence and the (aggregate-only) group read cover the whole pool, concurrently with
    // the features; filters apply afterwards. From the in-process projection once it reflects the
    // request's data version, else from the graph: the same values either way.
    async pool(subject, ids, { query, ideal }, f, dataVersion) {
      const reads = await repository.candidatePool(dataVersion);
      const [candidates, evidence, groups] = await Promise.all([
        reads.candidateFeatures(ids, query, ideal),
        reads.skillEvidence(
          ids,
          subject.requirements.map((r) => r.uri),
        ),
        reads.poolGroups(ids, f.attribute),
      ]);
      const items: PoolItem[] = [];
      for (const c of candidates) {
        // Only what the caller may see: outcome history from the applications of its scope (hidden
        // without any), outcome labels only where the subject's own applications are visible.
        const visible = visibleApplications(c.applications, f.applications);
        const mine = visible?.find((a) => a.vacancyId === subject.id);
        if (f.region && c.region !== f.region) continue;
        if (f.excludeApplied && mine !== undefined) continue;
        const status = mine ? mine.status : null;
        const progressed = visible?.filter((a) => a.status === 'INTERVIEW' || a.status === 'HIRED') ?? [];
        items.push({
          id: c.id,
          requirements: subject.requirements,
          evidence: evidence.get(c.id) ?? NO_EVIDENCE,
          target: subject.target,
          held: c.occupations,
          region: c.region,
          cosine: c.cosine,
          idealCosine: c.idealCosine,
          outcomeHistory: visible ? outcomeHistory(progressed.length, visible.length) : null,
          qualified:
            status === 'HIRED' || status === 'INTERVIEW' ? true : status === 'REJECTED' ? false : null,
          text: null,
        });
      }
      return { items, groups: new Map(groups.map((g) => [g.id, g.group])), source: reads.source };
    },

    async texts(ids) {
      const records = await repository.candidateTexts(ids);
      return new Map(
        records.map((r) => [
          r.id,
          rerankerCandidateText({ skills: r.skillLabels, occupations: r.occupationLabels }),
        ]),
      );
    },

    occupationLabel: (_item, matched) => matched?.label ?? null,
  };
}

/** Vacancies for a candidate (`rankVacancies`): one person's list, so no fairness audit. */
export function vacanciesForCandidate(repository: RankingReads): RankingSide<CandidateSubject> {
  return {
    tag: 'v',
    argument: 'candidateId',
    items: 'vacancy',
    itemIsQuery: true,
    unaudited: "fairness: audited for candidate rankings (rankCandidates), not for one person's vacancy list",

    async load(candidateId) {
      const context = await repository.candidateContext(candidateId);
      if (!context) throw new NotFoundError('Candidate', candidateId);
      return {
        id: candidateId,
        queryText: candidateText({
          summary: context.summary,
          skills: context.skillLabels,
          occupations: context.occupations.map((o) => o.label),
        }),
        rerankText: rerankerCandidateText({
          skills: context.skillLabels,
          occupations: context.occupations.map((o) => o.label),
        }),
        embedding: context.embedding,
        region: context.region,
        idealText: null,
        held: context.occupations,
      };
    },

    filters: (f) => Boolean(f.region || f.excludeApplied || f.vacancyStatus),

    recall: async (subject, n) => ({
      ids: await repository.vacanciesForSkillsOf(subject.id, n),
      source: 'GRAPH',
    }),

    // Features and requirements of the whole pool at once; filters apply afterwards, then the
    // candidate's evidence of every requirement left (one read).
    async pool(subject, ids, { query }, f) {
      const [rows, requirements] = await Promise.all([
        repository.vacancyFeatures(ids, subject.id, query),
        repository.vacancyRequirements(ids),
      ]);
      const kept = rows.filter(
        (r) =>
          (!f.vacancyStatus || r.status === f.vacancyStatus) &&
          (!f.region || r.region === f.region) &&
          (!f.excludeApplied || r.applicationStatus === null),
      );
      const allUris = new Set<string>();
      for (const v of requirements.values()) for (const r of v.requirements) allUris.add(r.uri);
      const evidence: EvidenceRow = await repository.candidateEvidence(subject.id, [...allUris]);
      const items = kept.map((r): PoolItem => ({
        id: r.id,
        requirements: requirements.get(r.id)?.requirements ?? [],
        evidence,
        target: r.occupation,
        held: subject.held,
        region: r.region,
        cosine: r.cosine,
        idealCosine: r.idealCosine,
        outcomeHistory: null,
        qualified: null,
        text: rerankerVacancyText({ title: r.title, region: r.region, skills: r.skillLabels }),
      }));
      return { items, groups: null, source: 'GRAPH' };
    },

    // Vacancy texts come with the features.
    texts: () => Promise.resolve(new Map()),

    occupationLabel: (item) => item.target?.label ?? null,
  };
}
