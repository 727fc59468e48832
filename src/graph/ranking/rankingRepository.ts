/**
 * Graph reads of the ranking pipeline (translate → execute → map): owns `cypher/ranking/*`
 * statements and returns the typed records of `records.ts`; the skill requirements and evidence
 * come from `GapRepository`. `RankingService` depends on the `RankingReads` interface only, so
 * its orchestration runs against an in-memory implementation in unit tests.
 */
import type { EvidenceRow, GapRepository, VacancyRequirements } from '../gap/gapRepository.js';
import type { CandidatePoolReads, CandidateProjection } from './candidateProjection.js';
import { int, type Neo4jGateway, type Row } from '../gateway.js';
import { list, map, maps, num, str, strings, text, vector } from '../rowDecoders.js';
import { byLabel, toApplicationRef, toOccupationRef } from './decoders.js';
import type {
  CandidateContextRecord,
  CandidateFeatureRecord,
  CandidateTextRecord,
  PoolGroupRecord,
  VacancyContextRecord,
  VacancyFeatureRecord,
} from './records.js';

/** What is ranked: candidates (for a vacancy) or vacancies (for a candidate). */
export type RankedKind = 'candidate' | 'vacancy';

/** Every read the ranking pipeline makes. */
export interface RankingReads {
  vacancyContext(id: string): Promise<VacancyContextRecord | null>;
  candidateContext(id: string): Promise<CandidateContextRecord | null>;
  /** Ids of the `n` nodes of `kind` nearest to `vector` in its vector index, nearest first. */
  nearest(kind: RankedKind, vector: Float32Array, n: number): Promise<string[]>;
  /** Candidates holding the essential skills, by specificity-weighted count, then id (at most `n`). */
  candidatesHoldingSkills(skillUris: readonly string[], n: number): Promise<string[]>;
  /** Vacancies whose essential skills the candidate holds, by specificity-weighted count (at most `n`). */
  vacanciesForSkillsOf(candidateId: string, n: number): Promise<string[]>;
  /**
   * Where the stage-2 reads of a candidate pool come from for a request that saw data version
   * `dataVersion`: the in-process projection once it reflects that version, else these reads.
   */
  candidatePool(dataVersion: number): Promise<CandidatePoolReads>;
  /** Stage-2 inputs of candidates (in pool order); cosines with `query` / `ideal` when given. */
  candidateFeatures(
    ids: readonly string[],
    query: Float32Array | null,
    ideal: Float32Array | null,
  ): Promise<CandidateFeatureRecord[]>;
  /** Stage-2 inputs of vacancies against one candidate; cosines with `query` when given. */
  vacancyFeatures(
    ids: readonly string[],
    candidateId: string,
    query: Float32Array | null,
  ): Promise<VacancyFeatureRecord[]>;
  candidateTexts(ids: readonly string[]): Promise<CandidateTextRecord[]>;
  /** Audit groups of candidates for `attribute` (aggregate fairness figures only). */
  poolGroups(ids: readonly string[], attribute: string): Promise<PoolGroupRecord[]>;
  escoVersion(): Promise<string>;
  /** The people data version: moves with every committed write of people data, by any process. */
  dataVersion(): Promise<number>;
  vacancyRequirements(ids: readonly string[]): Promise<Map<string, VacancyRequirements>>;
  skillEvidence(
    candidateIds: readonly string[],
    skillUris: readonly string[],
  ): Promise<Map<string, EvidenceRow>>;
  candidateEvidence(candidateId: string, skillUris: readonly string[]): Promise<EvidenceRow>;
  /** Skills near the required ones (hierarchy, relations, similarity), cached per requirement set. */
  nearSkills(skillUris: readonly string[]): Promise<EvidenceRow['near']>;
}

const STATEMENTS = [
  'ranking/vacancy-context',
  'ranking/vector-candidates',
  'ranking/graph-recall-candidates',
  'ranking/candidate-features',
  'ranking/candidate-texts',
  'ranking/pool-groups',
  'ranking/esco-version',
  'ranking/data-version',
  'ranking/candidate-context',
  'ranking/vector-vacancies',
  'ranking/graph-recall-vacancies',
  'ranking/vacancy-features',
];

const NEAREST: Readonly<Record<RankedKind, string>> = {
  candidate: 'ranking/vector-candidates',
  vacancy: 'ranking/vector-vacancies',
};

/** Candidates per `ranking/candidate-features` transaction. */
const FEATURE_BATCH = 1000;

export class RankingRepository implements RankingReads {
  /** The graph's own answers to the stage-2 reads of a candidate pool. */
  private readonly graphPool: CandidatePoolReads = {
    source: 'GRAPH',
    candidateFeatures: (ids, query, ideal) => this.candidateFeatures(ids, query, ideal),
    skillEvidence: (candidateIds, skillUris) => this.skillEvidence(candidateIds, skillUris),
    poolGroups: (ids, attribute) => this.poolGroups(ids, attribute),
    holders: (skills, n) =>
      this.candidatesHoldingSkills(
        skills.map((s) => s.uri),
        n,
      ),
  };

  constructor(
    private readonly gateway: Neo4jGateway,
    private readonly gaps: GapRepository,
    /** Null: every pool is read from the graph (`RANKING_PROJECTION=off`). */
    private readonly projection: CandidateProjection | null = null,
  ) {
    gateway.registry.require(STATEMENTS);
  }

  async candidatePool(dataVersion: number): Promise<CandidatePoolReads> {
    return (await this.projection?.at(dataVersion)) ?? this.graphPool;
  }

  async vacancyContext(id: string): Promise<VacancyContextRecord | null> {
    const [record] = await this.gateway.readAs('ranking/vacancy-context', { ids: [id] }, toVacancyContext);
    return record ?? null;
  }

  async candidateContext(id: string): Promise<CandidateContextRecord | null> {
    const [record] = await this.gateway.readAs('ranking/candidate-context', { id }, toCandidateContext);
    return record ?? null;
  }

  nearest(kind: RankedKind, query: Float32Array, n: number): Promise<string[]> {
    return this.gateway.readAs(NEAREST[kind], { n: int(n), vector: Array.from(query) }, toId);
  }

  candidatesHoldingSkills(skillUris: readonly string[], n: number): Promise<string[]> {
    return this.gateway.readAs(
      'ranking/graph-recall-candidates',
      { skillUris: [...skillUris], n: int(n) },
      toId,
    );
  }

  vacanciesForSkillsOf(candidateId: string, n: number): Promise<string[]> {
    return this.gateway.readAs('ranking/graph-recall-vacancies', { candidateId, n: int(n) }, toId);
  }

  async candidateFeatures(
    ids: readonly string[],
    query: Float32Array | null,
    ideal: Float32Array | null,
  ): Promise<CandidateFeatureRecord[]> {
    const out: CandidateFeatureRecord[] = [];
    const queryList = query ? Array.from(query) : null;
    const idealList = ideal ? Array.from(ideal) : null;
    for (let i = 0; i < ids.length; i += FEATURE_BATCH) {
      const records = await this.gateway.readAs(
        'ranking/candidate-features',
        { ids: ids.slice(i, i + FEATURE_BATCH), query: queryList, ideal: idealList, cosinesOnly: false },
        toCandidateFeatures,
      );
      out.push(...records);
    }
    return out;
  }

  vacancyFeatures(
    ids: readonly string[],
    candidateId: string,
    query: Float32Array | null,
  ): Promise<VacancyFeatureRecord[]> {
    return this.gateway.readAs(
      'ranking/vacancy-features',
      { ids: [...ids], candidateId, query: query ? Array.from(query) : null },
      toVacancyFeatures,
    );
  }

  candidateTexts(ids: readonly string[]): Promise<CandidateTextRecord[]> {
    return this.gateway.readAs('ranking/candidate-texts', { ids: [...ids] }, (r) => ({
      id: text(r.id),
      summary: str(r.summary),
      skillLabels: strings(r.skillLabels),
      occupationLabels: strings(r.occupationLabels),
    }));
  }

  poolGroups(ids: readonly string[], attribute: string): Promise<PoolGroupRecord[]> {
    return this.gateway.readAs('ranking/pool-groups', { ids: [...ids], attribute }, (r) => ({
      id: text(r.id),
      group: str(r.group),
    }));
  }

  async dataVersion(): Promise<number> {
    const [version] = await this.gateway.readAs('ranking/data-version', {}, (r) => Number(r.version ?? 0));
    return version ?? 0;
  }

  async escoVersion(): Promise<string> {
    const [version] = await this.gateway.readAs('ranking/esco-version', {}, (r) => str(r.version));
    return version ?? 'unknown';
  }

  vacancyRequirements(ids: readonly string[]): Promise<Map<string, VacancyRequirements>> {
    return this.gaps.vacancyRequirements(ids);
  }

  skillEvidence(
    candidateIds: readonly string[],
    skillUris: readonly string[],
  ): Promise<Map<string, EvidenceRow>> {
    return this.gaps.skillEvidence(candidateIds, skillUris);
  }

  nearSkills(skillUris: readonly string[]): Promise<EvidenceRow['near']> {
    return this.gaps.nearSkills(skillUris);
  }

  candidateEvidence(candidateId: string, skillUris: readonly string[]): Promise<EvidenceRow> {
    return this.gaps.candidateEvidence(candidateId, skillUris);
  }
}

// ---- row decoders ----------------------------------------------------------------------------

const toId = (r: Row): string => text(r.id);

function toVacancyContext(r: Row): VacancyContextRecord {
  const occupation = map(r.occupation);
  return {
    id: text(r.id),
    title: str(r.title),
    description: str(r.description),
    region: str(r.region),
    embedding: vector(r.embedding),
    skillLabels: strings(r.skillLabels),
    occupation: occupation
      ? {
          ...toOccupationRef(occupation, 'empty'),
          altLabels: strings(occupation.altLabels),
          essentialSkills: strings(occupation.essentialSkills),
        }
      : null,
  };
}

function toCandidateContext(r: Row): CandidateContextRecord {
  return {
    id: text(r.id),
    summary: str(r.summary),
    region: str(r.region),
    embedding: vector(r.embedding),
    // Already ordered by label in the statement.
    occupations: maps(r.occupations).map((o) => toOccupationRef(o, 'uri')),
    skillLabels: strings(r.skillLabels),
  };
}

function toCandidateFeatures(r: Row): CandidateFeatureRecord {
  return {
    id: text(r.id),
    region: str(r.region),
    occupations: maps(r.occupations)
      .map((o) => toOccupationRef(o, 'uri'))
      .sort(byLabel),
    cosine: num(r.cosine),
    idealCosine: num(r.idealCosine),
    applications: list(r.applied).map(toApplicationRef),
  };
}

function toVacancyFeatures(r: Row): VacancyFeatureRecord {
  const occupation = map(r.occupation);
  return {
    id: text(r.id),
    title: str(r.title),
    description: str(r.description),
    region: str(r.region),
    status: str(r.status),
    occupation: occupation ? toOccupationRef(occupation, 'empty') : null,
    skillLabels: strings(r.skillLabels),
    cosine: num(r.cosine),
    idealCosine: num(r.idealCosine),
    applicationStatus: str(r.applicationStatus),
  };
}
