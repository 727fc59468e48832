/**
 * Graph reads for skill-gap analytics and ranking features: requirements of vacancies and
 * occupations, per-candidate skill evidence (exact and near), and aggregate counts.
 */
import { LRUCache } from 'lru-cache';
import { int, type Neo4jGateway, type Row } from '../gateway.js';
import { maps, str, strings, text } from '../rowDecoders.js';

export interface RequirementRow {
  readonly uri: string;
  readonly label: string;
  readonly relation: 'essential' | 'optional';
  readonly specificity: number;
}

export interface VacancyRequirements {
  readonly id: string;
  readonly occupationUri: string | null;
  readonly requirements: readonly RequirementRow[];
}

export interface OccupationRequirements {
  readonly uri: string;
  readonly label: string;
  readonly code: string | null;
  readonly iscoGroup: string | null;
  readonly requirements: readonly RequirementRow[];
}

export interface EvidenceRow {
  readonly candidateId: string;
  readonly held: readonly string[];
  readonly near: ReadonlyArray<{
    required: string;
    held: string;
    heldLabel: string;
    kind: 'narrower' | 'broader' | 'related';
  }>;
}

export interface DemandRow {
  readonly uri: string;
  readonly label: string;
  /** Open vacancies in the facet asking the skill. */
  readonly demand: number;
  /** Of those, the ones asking it as essential. */
  readonly essentialDemand: number;
  /** Candidates in the facet holding it. */
  readonly supply: number;
}

/** Skill demand in one facet: its sizes (open vacancies, candidates) and every skill asked there. */
export interface DemandRows {
  readonly vacancies: number;
  readonly candidates: number;
  readonly skills: readonly DemandRow[];
}

/** A region as stored on vacancies and candidates, with counts. */
export interface RegionRow {
  readonly name: string;
  readonly openVacancies: number;
  readonly candidates: number;
}

export interface ProfileRow {
  readonly vacancies: number;
  readonly skills: ReadonlyArray<{
    uri: string;
    label: string;
    asked: number;
    escoRelation: 'essential' | 'optional' | null;
  }>;
}

const STATEMENTS = [
  'gap/vacancy-requirements',
  'gap/occupation-requirements',
  'gap/held-skills',
  'gap/candidate-near-skills',
  'gap/near-skills',
  'gap/career-occupations',
  'gap/skill-demand',
  'gap/regions',
  'gap/isco-group-known',
  'gap/occupation-profile',
];

function toRequirements(value: unknown): RequirementRow[] {
  return maps(value).map((r) => ({
    uri: String(r.uri),
    label: typeof r.label === 'string' ? r.label : String(r.uri),
    relation: r.relation === 'optional' ? 'optional' : 'essential',
    specificity: typeof r.specificity === 'number' ? r.specificity : 1,
  }));
}

/** Required-skill sets whose near skills are kept (ESCO data: the same for every ranking of a vacancy). */
const NEAR_SKILL_SETS = 2_000;

export class GapRepository {
  private readonly nearCache = new LRUCache<string, EvidenceRow['near']>({
    max: NEAR_SKILL_SETS,
    ttl: 600_000,
  });

  constructor(private readonly gateway: Neo4jGateway) {
    gateway.registry.require(STATEMENTS);
  }

  /**
   * The skills one step from each required skill (`gap/near-skills`), in the statement's order.
   * Taxonomy only, so kept per set of required skills for ten minutes (the ranking service, too,
   * reads the ESCO version once per process: an ESCO import is followed by a restart).
   */
  async nearSkills(skillUris: readonly string[]): Promise<EvidenceRow['near']> {
    const key = JSON.stringify(skillUris);
    const known = this.nearCache.get(key);
    if (known) return known;
    const near = Object.freeze(
      await this.gateway.readAs('gap/near-skills', { skillUris: [...skillUris] }, toNear),
    );
    this.nearCache.set(key, near);
    return near;
  }

  async vacancyRequirements(ids: readonly string[]): Promise<Map<string, VacancyRequirements>> {
    const records = await this.gateway.readAs('gap/vacancy-requirements', { ids: [...ids] }, (r) => ({
      id: text(r.id),
      occupationUri: str(r.occupationUri),
      requirements: toRequirements(r.requirements),
    }));
    return new Map(records.map((v) => [v.id, v]));
  }

  async occupationRequirements(uris: readonly string[]): Promise<Map<string, OccupationRequirements>> {
    const rows = await this.gateway.read('gap/occupation-requirements', { uris: [...uris] });
    return new Map(
      rows.map((r) => [
        String(r.uri),
        {
          uri: String(r.uri),
          label: String(r.label ?? r.uri),
          code: typeof r.code === 'string' ? r.code : null,
          iscoGroup: typeof r.iscoGroup === 'string' ? r.iscoGroup : null,
          requirements: toRequirements(r.requirements),
        },
      ]),
    );
  }

  /**
   * Exact and near evidence of required skills for candidates. Two cheap reads (neighbours per
   * required skill; then each candidate's held skills among the required and neighbouring ones)
   * matched here, instead of walking each candidate's neighbourhood in the database.
   */
  async skillEvidence(
    candidateIds: readonly string[],
    skillUris: readonly string[],
  ): Promise<Map<string, EvidenceRow>> {
    if (candidateIds.length === 0 || skillUris.length === 0) {
      return new Map(candidateIds.map((id) => [id, { candidateId: id, held: [], near: [] }]));
    }
    // Near skills first: the held-skill read then returns only what matching can use.
    const near = await this.nearSkills(skillUris);
    const relevant = [...new Set([...skillUris, ...near.map((n) => n.held)])];
    const held = await this.gateway.readAs(
      'gap/held-skills',
      { candidateIds: [...candidateIds], relevant },
      toHeld,
    );
    return new Map(held.map((h) => [h.candidateId, matchEvidence(h.candidateId, h.held, skillUris, near)]));
  }

  /**
   * `skillEvidence` for one candidate against many required skills (e.g. every vacancy of a
   * ranking): the near skills are found from the candidate's few held skills instead of from each
   * required skill. Same result as `skillEvidence([candidateId], skillUris)`.
   */
  async candidateEvidence(candidateId: string, skillUris: readonly string[]): Promise<EvidenceRow> {
    if (skillUris.length === 0) return { candidateId, held: [], near: [] };
    const [heldRows, near] = await Promise.all([
      this.gateway.readAs(
        'gap/held-skills',
        { candidateIds: [candidateId], relevant: [...skillUris] },
        toHeld,
      ),
      this.gateway.readAs('gap/candidate-near-skills', { candidateId, skillUris: [...skillUris] }, toNear),
    ]);
    const held = [...(heldRows[0]?.held ?? []), ...near.map((n) => n.held)];
    return matchEvidence(candidateId, held, skillUris, near);
  }

  async careerOccupations(
    candidateId: string,
    iscoGroup: string | null,
    limit: number,
  ): Promise<Array<{ uri: string; exactWeightedCoverage: number }>> {
    const rows = await this.gateway.read('gap/career-occupations', {
      candidateId,
      iscoGroup,
      limit: int(limit),
    });
    return rows.map((r) => ({ uri: String(r.uri), exactWeightedCoverage: Number(r.exactWeightedCoverage) }));
  }

  /** `regions`: the stored spellings the filter's region matched, or null for every region. */
  async skillDemand(filter: {
    occupationUri: string | null;
    iscoGroup: string | null;
    regions: readonly string[] | null;
    since: string | null;
  }): Promise<DemandRows> {
    const [row] = await this.gateway.read('gap/skill-demand', {
      ...filter,
      regions: filter.regions ? [...filter.regions] : null,
    });
    if (!row) return { vacancies: 0, candidates: 0, skills: [] };
    return {
      vacancies: Number(row.vacancies),
      candidates: Number(row.candidates),
      skills: maps(row.skills).map((r) => ({
        uri: String(r.uri),
        label: typeof r.label === 'string' ? r.label : String(r.uri),
        demand: Number(r.demand),
        essentialDemand: Number(r.essentialDemand),
        supply: Number(r.supply),
      })),
    };
  }

  async regions(): Promise<RegionRow[]> {
    return this.gateway.readAs('gap/regions', {}, (r) => ({
      name: text(r.name),
      openVacancies: Number(r.openVacancies),
      candidates: Number(r.candidates),
    }));
  }

  async iscoGroupKnown(code: string): Promise<boolean> {
    const [row] = await this.gateway.read('gap/isco-group-known', { code });
    return row?.known === true;
  }

  async occupationProfile(uri: string): Promise<ProfileRow> {
    const [row] = await this.gateway.read('gap/occupation-profile', { uri });
    if (!row) return { vacancies: 0, skills: [] };
    return {
      vacancies: Number(row.vacancies),
      skills: (row.skills as Row[]).map((s) => ({
        uri: String(s.uri),
        label: String(s.label ?? s.uri),
        asked: Number(s.asked),
        escoRelation: s.escoRelation === 'essential' || s.escoRelation === 'optional' ? s.escoRelation : null,
      })),
    };
  }
}

function toHeld(r: Row): { candidateId: string; held: string[] } {
  return { candidateId: text(r.candidateId), held: strings(r.held) };
}

function toNear(n: Row): EvidenceRow['near'][number] {
  return {
    required: String(n.required),
    held: String(n.held),
    heldLabel: String(n.heldLabel ?? n.held),
    kind: n.kind === 'broader' ? 'broader' : n.kind === 'related' ? 'related' : 'narrower',
  };
}

/** Evidence of one candidate: required skills held exactly, and held skills near a required one. */
export function matchEvidence(
  candidateId: string,
  held: readonly string[],
  required: readonly string[],
  near: EvidenceRow['near'],
): EvidenceRow {
  const heldSet = new Set(held);
  return {
    candidateId,
    held: required.filter((u) => heldSet.has(u)),
    near: near.filter((n) => heldSet.has(n.held)),
  };
}
