/**
 * Reads and writes people data. Batch reads take keys and return results in key order (for
 * DataLoaders); writes take rows already validated and resolved (see `peopleRows.ts`).
 */
import { int, type Neo4jGateway, type Row, type TxRunner } from '../gateway.js';
import { num, str } from '../rowDecoders.js';
import type { OccupationRecord, Page, SkillRecord } from '../taxonomy/records.js';
import { toConcept } from '../taxonomy/taxonomyRepository.js';
import type {
  ApplicationRecord,
  CandidateOccupationRecord,
  CandidateRecord,
  CandidateSkillRecord,
  OrganizationRecord,
  PeopleCounts,
  VacancyRecord,
  VacancySkillRecord,
} from './records.js';
import type { ApplicationRow, CandidateRow, VacancyRow } from './peopleRows.js';

const STATEMENTS = [
  'people/candidates-by-id',
  'people/vacancies-by-id',
  'people/organizations-by-id',
  'people/candidate-skills',
  'people/candidate-occupations',
  'people/vacancy-skills',
  'people/candidate-applications',
  'people/vacancy-applications',
  'people/vacancies-page',
  'people/candidates-page',
  'people/counts',
  'people/upsert-candidates',
  'people/upsert-vacancies',
  'people/merge-applications',
  'people/application-state',
  'people/application-states',
  'people/lock-candidate',
  'people/create-application',
  'people/set-application-status',
  'people/delete-candidate',
  'people/record-change',
  'people/compact-changes',
] as const;

export interface ApplicationKey {
  readonly owner: string;
  readonly status: string | null;
}

export interface VacancyFilter {
  readonly status: string | null;
  readonly occupationUri: string | null;
  readonly region: string | null;
  readonly organizationId: string | null;
  /** Lower-cased substring of the title. */
  readonly titleContains: string | null;
}

export interface CandidateFilter {
  readonly region: string | null;
  readonly occupationUri: string | null;
  readonly skillUri: string | null;
}

export interface ApplicationState {
  readonly candidateFound: boolean;
  readonly vacancyFound: boolean;
  readonly vacancyStatus: string | null;
  readonly applicationStatus: string | null;
}

export interface MissingApplicationEnd {
  readonly index: number;
  readonly candidateFound: boolean;
  readonly vacancyFound: boolean;
}

export function toCandidate(row: Row): CandidateRecord {
  return {
    id: String(row.id),
    displayName: str(row.displayName) ?? String(row.id),
    region: str(row.region),
    yearsExperience: num(row.yearsExperience),
    summary: str(row.summary),
    createdAt: str(row.createdAt),
    updatedAt: str(row.updatedAt),
  };
}

export function toVacancy(row: Row): VacancyRecord {
  return {
    id: String(row.id),
    title: str(row.title) ?? String(row.id),
    description: str(row.description),
    region: str(row.region),
    status: row.status === 'CLOSED' ? 'CLOSED' : 'OPEN',
    postedAt: str(row.postedAt),
    createdAt: str(row.createdAt),
    updatedAt: str(row.updatedAt),
    organizationId: str(row.organizationId),
    occupationUri: str(row.occupationUri),
  };
}

function toApplication(row: Row): ApplicationRecord {
  return {
    candidateId: String(row.candidateId),
    vacancyId: String(row.vacancyId),
    status: String(row.status),
    at: str(row.at),
    updatedAt: str(row.updatedAt),
  };
}

export class PeopleRepository {
  constructor(private readonly gateway: Neo4jGateway) {
    gateway.registry.require(STATEMENTS);
  }

  // ---- batch reads -------------------------------------------------------------------------

  async candidatesById(ids: readonly string[]): Promise<(CandidateRecord | null)[]> {
    return this.lookup('people/candidates-by-id', ids, toCandidate);
  }

  async vacanciesById(ids: readonly string[]): Promise<(VacancyRecord | null)[]> {
    return this.lookup('people/vacancies-by-id', ids, toVacancy);
  }

  async organizationsById(ids: readonly string[]): Promise<(OrganizationRecord | null)[]> {
    return this.lookup('people/organizations-by-id', ids, (r) => ({
      id: String(r.id),
      name: str(r.name) ?? '',
    }));
  }

  async candidateSkills(ids: readonly string[]): Promise<CandidateSkillRecord[][]> {
    return this.lists('people/candidate-skills', ids, (i) => ({
      skill: toConcept(i.skill as Row) as SkillRecord,
      source: str(i.source) ?? 'declared',
      level: num(i.level),
    }));
  }

  async candidateOccupations(ids: readonly string[]): Promise<CandidateOccupationRecord[][]> {
    return this.lists('people/candidate-occupations', ids, (i) => ({
      occupation: toConcept(i.occupation as Row) as OccupationRecord,
      years: num(i.years),
    }));
  }

  async vacancySkills(ids: readonly string[]): Promise<VacancySkillRecord[][]> {
    return this.lists('people/vacancy-skills', ids, (i) => ({
      skill: toConcept(i.skill as Row) as SkillRecord,
      relation: i.relation === 'optional' ? 'optional' : 'essential',
    }));
  }

  async candidateApplications(keys: readonly ApplicationKey[]): Promise<ApplicationRecord[][]> {
    return this.applications('people/candidate-applications', keys);
  }

  async vacancyApplications(keys: readonly ApplicationKey[]): Promise<ApplicationRecord[][]> {
    return this.applications('people/vacancy-applications', keys);
  }

  async vacanciesPage(filter: VacancyFilter, skip: number, limit: number): Promise<Page<VacancyRecord>> {
    const [row] = await this.gateway.read('people/vacancies-page', {
      ...filter,
      skip: int(skip),
      limit: int(limit),
    });
    return {
      items: ((row?.items as Row[] | undefined) ?? []).map(toVacancy),
      offset: skip,
      totalCount: Number(row?.totalCount ?? 0),
    };
  }

  async candidatesPage(filter: CandidateFilter, skip: number, limit: number): Promise<Page<CandidateRecord>> {
    const [row] = await this.gateway.read('people/candidates-page', {
      ...filter,
      skip: int(skip),
      limit: int(limit),
    });
    return {
      items: ((row?.items as Row[] | undefined) ?? []).map(toCandidate),
      offset: skip,
      totalCount: Number(row?.totalCount ?? 0),
    };
  }

  async counts(): Promise<PeopleCounts> {
    const [row] = await this.gateway.read('people/counts');
    return {
      candidates: Number(row?.candidates ?? 0),
      vacancies: Number(row?.vacancies ?? 0),
      organizations: Number(row?.organizations ?? 0),
      applications: Number(row?.applications ?? 0),
    };
  }

  // ---- writes (inside a caller's transaction) ---------------------------------------------

  async writeCandidates(tx: TxRunner, rows: readonly CandidateRow[]): Promise<void> {
    await tx.run('people/upsert-candidates', { rows: rows.map(withIntLevels) });
    await recordChange(tx, { candidates: rows.map((r) => r.id) });
  }

  async writeVacancies(tx: TxRunner, rows: readonly VacancyRow[]): Promise<void> {
    await tx.run('people/upsert-vacancies', { rows });
    await recordChange(tx, { vacancies: rows.map((r) => r.id) });
  }

  /** Creates or updates applications; returns the rows whose candidate or vacancy does not exist. */
  async mergeApplications(tx: TxRunner, rows: readonly ApplicationRow[]): Promise<MissingApplicationEnd[]> {
    const result = await tx.run('people/merge-applications', { rows });
    await recordChange(tx, { candidates: rows.map((r) => r.candidateId) });
    const missing: MissingApplicationEnd[] = [];
    result.forEach((r, index) => {
      if (r.candidateFound !== true || r.vacancyFound !== true) {
        missing.push({
          index,
          candidateFound: r.candidateFound === true,
          vacancyFound: r.vacancyFound === true,
        });
      }
    });
    return missing;
  }

  /** `applicationState` for many pairs at once (the importer), one state per pair, in order. */
  async applicationStates(
    tx: TxRunner,
    pairs: ReadonlyArray<{ readonly candidateId: string; readonly vacancyId: string }>,
  ): Promise<ApplicationState[]> {
    const rows = await tx.run('people/application-states', { rows: pairs });
    return rows.map((row) => ({
      candidateFound: row.candidateFound === true,
      vacancyFound: row.vacancyFound === true,
      vacancyStatus: str(row.vacancyStatus),
      applicationStatus: str(row.applicationStatus),
    }));
  }

  /**
   * Takes the candidate's write lock for the rest of `tx` (see the statement); false when there
   * is no such candidate. Writes on a candidate's applications and their erasure call this first.
   */
  async lockCandidate(tx: TxRunner, candidateId: string): Promise<boolean> {
    const [row] = await tx.run('people/lock-candidate', { candidateId });
    return row?.locked === true;
  }

  async applicationState(tx: TxRunner, candidateId: string, vacancyId: string): Promise<ApplicationState> {
    const [row] = await tx.run('people/application-state', { candidateId, vacancyId });
    return {
      candidateFound: row?.candidateFound === true,
      vacancyFound: row?.vacancyFound === true,
      vacancyStatus: str(row?.vacancyStatus),
      applicationStatus: str(row?.applicationStatus),
    };
  }

  async createApplication(
    tx: TxRunner,
    candidateId: string,
    vacancyId: string,
    status: string,
    at: string | null,
  ): Promise<ApplicationRecord> {
    const [row] = await tx.run('people/create-application', { candidateId, vacancyId, status, at });
    await recordChange(tx, { candidates: [candidateId] });
    if (!row) throw new Error('create-application returned no row');
    return toApplication(row);
  }

  async setApplicationStatus(
    tx: TxRunner,
    candidateId: string,
    vacancyId: string,
    status: string,
  ): Promise<ApplicationRecord> {
    const [row] = await tx.run('people/set-application-status', { candidateId, vacancyId, status });
    await recordChange(tx, { candidates: [candidateId] });
    if (!row) throw new Error('set-application-status returned no row');
    return toApplication(row);
  }

  async deleteCandidate(tx: TxRunner, id: string): Promise<{ deleted: boolean; applications: number }> {
    const [row] = await tx.run('people/delete-candidate', { id });
    await recordChange(tx, { candidates: [id] });
    return { deleted: Number(row?.deleted ?? 0) > 0, applications: Number(row?.applications ?? 0) };
  }

  /**
   * Folds the recorded changes into the data version's base once there are `min` of them (the
   * version does not move); returns how many were folded.
   */
  async compactChanges(min: number): Promise<number> {
    const [row] = await this.gateway.write('people/compact-changes', { min: int(min) });
    return Number(row?.folded ?? 0);
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async lookup<T>(
    name: string,
    keys: readonly string[],
    map: (row: Row) => T,
  ): Promise<(T | null)[]> {
    const rows = await this.gateway.read(name, { keys: [...keys] });
    const byKey = new Map(rows.map((r) => [String(r.key), r.node ? map(r.node as Row) : null]));
    return keys.map((k) => byKey.get(k) ?? null);
  }

  private async lists<T>(name: string, keys: readonly string[], map: (item: Row) => T): Promise<T[][]> {
    const rows = await this.gateway.read(name, { keys: [...keys] });
    const byKey = new Map(
      rows.map((r) => [String(r.key), ((r.items as Row[] | undefined) ?? []).filter(Boolean).map(map)]),
    );
    return keys.map((k) => byKey.get(k) ?? []);
  }

  private async applications(name: string, keys: readonly ApplicationKey[]): Promise<ApplicationRecord[][]> {
    const params = keys.map((k, i) => ({ id: String(i), owner: k.owner, status: k.status }));
    const rows = await this.gateway.read(name, { keys: params });
    const byId = new Map(
      rows.map((r) => [
        String(r.id),
        ((r.items as Row[] | undefined) ?? []).filter(Boolean).map(toApplication),
      ]),
    );
    return keys.map((_, i) => byId.get(String(i)) ?? []);
  }
}

/** Skill levels are small integers: send them as Cypher INTEGERs. */
function withIntLevels(row: CandidateRow): unknown {
  return {
    ...row,
    skills: row.skills.map((s) => ({ ...s, level: s.level === null ? null : int(s.level) })),
  };
}

/**
 * Marks the transaction as a change of people data (`people/record-change`): the data version
 * (`ranking/data-version`) moves when it commits, whichever process wrote. The record names the
 * candidates and vacancies written (duplicates dropped), so the candidate projection reloads only
 * those (`src/graph/ranking/candidateProjection.ts`).
 */
export async function recordChange(
  tx: TxRunner,
  touched: { readonly candidates?: readonly string[]; readonly vacancies?: readonly string[] },
): Promise<void> {
  await tx.run('people/record-change', {
    candidates: [...new Set(touched.candidates ?? [])],
    vacancies: [...new Set(touched.vacancies ?? [])],
  });
}
