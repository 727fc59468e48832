/**
 * People reads a request sees, every relationship behind a per-request DataLoader.
 */
import DataLoader from 'dataloader';
import { NotFoundError } from '../../errors.js';
import { invalidArgument, requireId } from '../../domain/validation.js';
import { offsetAfter, pageSize } from '../paging.js';
import type { Page } from '../taxonomy/records.js';
import { assertEscoUri, type PageArgs } from '../taxonomy/taxonomyReader.js';
import type { ApplicationKey, CandidateFilter, PeopleRepository, VacancyFilter } from './peopleRepository.js';
import type {
  ApplicationRecord,
  CandidateOccupationRecord,
  CandidateRecord,
  CandidateSkillRecord,
  OrganizationRecord,
  VacancyRecord,
  VacancySkillRecord,
} from './records.js';
import type { VersionedRecords } from './versionedRecords.js';

const TITLE_FILTER_MAX = 100;

/** `filter.titleContains` trimmed, NFC and lower-cased (the statement lower-cases titles), or null. */
function titleFilter(value: string | null): string | null {
  if (value === null) return null;
  const text = value.normalize('NFC').trim();
  if (text.length < 1 || text.length > TITLE_FILTER_MAX) {
    throw invalidArgument(
      'filter.titleContains',
      `a text of 1-${TITLE_FILTER_MAX} characters once trimmed`,
      value,
    );
  }
  return text.toLowerCase();
}

const applicationKeyId = (k: ApplicationKey) => `${k.owner}\u0000${k.status ?? ''}`;

export class PeopleReader {
  private readonly candidateById: DataLoader<string, CandidateRecord | null>;
  /** Candidates for `candidateAt`, per (version, id): always read after that version was. */
  private readonly candidateByVersion: DataLoader<
    { id: string; version: number },
    CandidateRecord | null,
    string
  >;
  private readonly vacancyById: DataLoader<string, VacancyRecord | null>;
  private readonly organizationById: DataLoader<string, OrganizationRecord | null>;
  private readonly candidateSkillsLoader: DataLoader<string, CandidateSkillRecord[]>;
  private readonly candidateOccupationsLoader: DataLoader<string, CandidateOccupationRecord[]>;
  private readonly vacancySkillsLoader: DataLoader<string, VacancySkillRecord[]>;
  private readonly candidateApplicationsLoader: DataLoader<ApplicationKey, ApplicationRecord[], string>;
  private readonly vacancyApplicationsLoader: DataLoader<ApplicationKey, ApplicationRecord[], string>;

  constructor(
    private readonly repository: PeopleRepository,
    /** Candidates shared across requests by data version (`candidateAt`); null: none kept. */
    private readonly shared: VersionedRecords<CandidateRecord> | null = null,
  ) {
    this.candidateById = new DataLoader((ids) => repository.candidatesById(ids));
    this.candidateByVersion = new DataLoader((keys) => repository.candidatesById(keys.map((k) => k.id)), {
      cacheKeyFn: (k) => `${k.version}\u0000${k.id}`,
    });
    this.vacancyById = new DataLoader((ids) => repository.vacanciesById(ids));
    this.organizationById = new DataLoader((ids) => repository.organizationsById(ids));
    this.candidateSkillsLoader = new DataLoader((ids) => repository.candidateSkills(ids));
    this.candidateOccupationsLoader = new DataLoader((ids) => repository.candidateOccupations(ids));
    this.vacancySkillsLoader = new DataLoader((ids) => repository.vacancySkills(ids));
    this.candidateApplicationsLoader = new DataLoader((keys) => repository.candidateApplications(keys), {
      cacheKeyFn: applicationKeyId,
    });
    this.vacancyApplicationsLoader = new DataLoader((keys) => repository.vacancyApplications(keys), {
      cacheKeyFn: applicationKeyId,
    });
  }

  async candidate(id: string): Promise<CandidateRecord> {
    requireId(id, 'id');
    const found = await this.candidateById.load(id);
    if (!found) throw new NotFoundError('Candidate', id);
    return found;
  }

  /**
   * `candidate` for a request that saw people data version `version` (a ranking's): from the
   * records shared by version when one is kept, else read and kept.
   */
  async candidateAt(id: string, version: number): Promise<CandidateRecord> {
    requireId(id, 'id');
    const kept = this.shared?.get(id, version);
    if (kept) return kept;
    // Its own loader: a record this request read through `candidate` before it read `version`
    // (another field of the same query) must not be kept as the record of `version`.
    const epoch = this.shared?.epoch ?? 0;
    const found = await this.candidateByVersion.load({ id, version });
    if (!found) throw new NotFoundError('Candidate', id);
    this.shared?.set(id, version, found, epoch);
    return found;
  }

  async vacancy(id: string): Promise<VacancyRecord> {
    requireId(id, 'id');
    const found = await this.vacancyById.load(id);
    if (!found) throw new NotFoundError('Vacancy', id);
    return found;
  }

  /** For relationship fields: a missing end (e.g. erased meanwhile) is null, not an error. */
  candidateOrNull(id: string): Promise<CandidateRecord | null> {
    return this.candidateById.load(id);
  }

  vacancyOrNull(id: string): Promise<VacancyRecord | null> {
    return this.vacancyById.load(id);
  }

  organization(id: string): Promise<OrganizationRecord | null> {
    return this.organizationById.load(id);
  }

  candidateSkills(id: string): Promise<CandidateSkillRecord[]> {
    return this.candidateSkillsLoader.load(id);
  }

  candidateOccupations(id: string): Promise<CandidateOccupationRecord[]> {
    return this.candidateOccupationsLoader.load(id);
  }

  async vacancySkills(id: string, relation: 'essential' | 'optional'): Promise<VacancySkillRecord[]> {
    return (await this.vacancySkillsLoader.load(id)).filter((s) => s.relation === relation);
  }

  candidateApplications(id: string, status: string | null): Promise<ApplicationRecord[]> {
    return this.candidateApplicationsLoader.load({ owner: id, status });
  }

  vacancyApplications(id: string, status: string | null): Promise<ApplicationRecord[]> {
    return this.vacancyApplicationsLoader.load({ owner: id, status });
  }

  async vacancies(args: PageArgs & { filter: Partial<VacancyFilter> }): Promise<Page<VacancyRecord>> {
    const limit = pageSize(args.first, 20);
    const skip = offsetAfter(args.after);
    const f = args.filter;
    if (f.occupationUri) assertEscoUri(f.occupationUri, 'filter.occupation');
    if (f.organizationId) requireId(f.organizationId, 'filter.organization');
    return this.repository.vacanciesPage(
      {
        status: f.status ?? null,
        occupationUri: f.occupationUri ?? null,
        region: f.region ?? null,
        organizationId: f.organizationId ?? null,
        titleContains: titleFilter(f.titleContains ?? null),
      },
      skip,
      limit,
    );
  }

  async candidates(args: PageArgs & { filter: Partial<CandidateFilter> }): Promise<Page<CandidateRecord>> {
    const limit = pageSize(args.first, 20);
    const skip = offsetAfter(args.after);
    const f = args.filter;
    if (f.occupationUri) assertEscoUri(f.occupationUri, 'filter.occupation');
    if (f.skillUri) assertEscoUri(f.skillUri, 'filter.skill');
    return this.repository.candidatesPage(
      { region: f.region ?? null, occupationUri: f.occupationUri ?? null, skillUri: f.skillUri ?? null },
      skip,
      limit,
    );
  }
}
