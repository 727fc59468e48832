/**
 * Mutations on people data. Each validates and resolves its whole input first, then writes in
 * one transaction: on any error nothing is written.
 *
 * Writes on one candidate's applications and their erasure are serialised by the candidate's
 * write lock (`lockCandidate`), so parallel requests cannot both see "no application yet" and
 * create two, both move one application, or both erase one person. A status change is a
 * compare-and-set: the transition is checked against the status read before the lock, and a
 * writer that finds another status once it holds the lock gets CONFLICT and writes nothing.
 */
import { ConflictError, BadUserInputError, NotFoundError } from '../../errors.js';
import {
  APPLICATION_STATUSES,
  APPLICATION_TRANSITIONS,
  REOPEN_TRANSITIONS,
  CandidateInput,
  VacancyInput,
  isPlausibleDate,
  transitionRefusal,
  type ApplicationStatus,
} from '../../domain/peopleInput.js';
import type { Neo4jGateway } from '../gateway.js';
import type { ConceptResolver } from './conceptResolver.js';
import type { PeopleRepository } from './peopleRepository.js';
import { parseInput, toCandidateRow, toVacancyRow } from './peopleRows.js';
import type { ApplicationRecord, CandidateRecord, DeletionRecord, VacancyRecord } from './records.js';
import { requireId } from '../../domain/validation.js';

/** GraphQL sends absent optional fields as null; the input schemas treat them as absent. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, dropNulls(v)]),
    );
  }
  return value;
}

export class PeopleService {
  /** Told the id of every candidate erased through this service (e.g. to drop cached rankings). */
  private readonly erasureListeners: Array<(id: string) => void> = [];
  /** Told after every write through this service that changes ranking inputs (e.g. to invalidate cached rankings). */
  private readonly changeListeners: Array<() => void> = [];

  constructor(
    private readonly gateway: Neo4jGateway,
    private readonly repository: PeopleRepository,
    private readonly resolver: ConceptResolver,
  ) {}

  onErased(listener: (id: string) => void): void {
    this.erasureListeners.push(listener);
  }

  /** `listener` runs after each successful write (candidate, vacancy, application, erasure). */
  onChanged(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  async upsertCandidate(raw: unknown): Promise<CandidateRecord> {
    const input = parseInput(CandidateInput, dropNulls(raw), 'candidate');
    const row = await toCandidateRow(input, this.resolver);
    await this.gateway.writeTransaction((tx) => this.repository.writeCandidates(tx, [row]), {
      operation: 'upsertCandidate',
    });
    this.changed();
    const [saved] = await this.repository.candidatesById([input.id]);
    if (!saved) throw new Error(`candidate ${input.id} vanished after upsert`);
    return saved;
  }

  async upsertVacancy(raw: unknown): Promise<VacancyRecord> {
    const input = parseInput(VacancyInput, dropNulls(raw), 'vacancy');
    const row = await toVacancyRow(input, this.resolver);
    await this.gateway.writeTransaction((tx) => this.repository.writeVacancies(tx, [row]), {
      operation: 'upsertVacancy',
    });
    this.changed();
    const [saved] = await this.repository.vacanciesById([input.id]);
    if (!saved) throw new Error(`vacancy ${input.id} vanished after upsert`);
    return saved;
  }

  async recordApplication(args: {
    candidateId: string;
    vacancyId: string;
    at?: string | null;
  }): Promise<ApplicationRecord> {
    requireId(args.candidateId, 'candidateId');
    requireId(args.vacancyId, 'vacancyId');
    const at = args.at ?? null;
    if (at !== null && (Number.isNaN(Date.parse(at)) || !isPlausibleDate(at))) {
      throw new BadUserInputError('at must be an ISO-8601 date-time between 1900-01-01 and tomorrow', {
        argument: 'at',
      });
    }
    const written = await this.gateway.writeTransaction(
      async (tx) => {
        await this.repository.lockCandidate(tx, args.candidateId);
        const state = await this.repository.applicationState(tx, args.candidateId, args.vacancyId);
        if (!state.candidateFound) throw new NotFoundError('Candidate', args.candidateId);
        if (!state.vacancyFound) throw new NotFoundError('Vacancy', args.vacancyId);
        if (state.applicationStatus !== null) {
          throw new ConflictError(
            `Candidate ${args.candidateId} already applied to vacancy ${args.vacancyId} (status ${state.applicationStatus}); use updateApplicationStatus`,
            { status: state.applicationStatus },
          );
        }
        if (state.vacancyStatus === 'CLOSED') {
          throw new BadUserInputError(`Vacancy ${args.vacancyId} is closed and takes no applications`, {
            argument: 'vacancyId',
          });
        }
        return this.repository.createApplication(tx, args.candidateId, args.vacancyId, 'APPLIED', at);
      },
      { operation: 'recordApplication' },
    );
    this.changed();
    return written;
  }

  async updateApplicationStatus(args: {
    candidateId: string;
    vacancyId: string;
    status: string;
    reopen?: boolean | null;
  }): Promise<ApplicationRecord> {
    requireId(args.candidateId, 'candidateId');
    requireId(args.vacancyId, 'vacancyId');
    if (!(APPLICATION_STATUSES as readonly string[]).includes(args.status)) {
      throw new BadUserInputError(`Unknown application status ${args.status}`, { argument: 'status' });
    }
    const to = args.status as ApplicationStatus;
    const reopen = args.reopen === true;
    const written = await this.gateway.writeTransaction(
      async (tx) => {
        // Compare: the transition is checked against the status as read now ...
        const seen = await this.repository.applicationState(tx, args.candidateId, args.vacancyId);
        if (seen.applicationStatus === null) {
          throw new NotFoundError('Application', `${args.candidateId} → ${args.vacancyId}`);
        }
        const from = seen.applicationStatus as ApplicationStatus;
        if (from === to) {
          throw new BadUserInputError(`The application is already ${from}: nothing to change`, {
            from,
            to,
            unchanged: true,
          });
        }
        const refusal = transitionRefusal(from, to, reopen);
        if (refusal) {
          throw new BadUserInputError(refusal, {
            from,
            to,
            allowed: [...APPLICATION_TRANSITIONS[from]],
            reopenable: [...(REOPEN_TRANSITIONS[from] ?? [])],
          });
        }
        // ... and set only if it is still that status once this writer holds the lock.
        await this.repository.lockCandidate(tx, args.candidateId);
        const locked = await this.repository.applicationState(tx, args.candidateId, args.vacancyId);
        if (locked.applicationStatus !== from) {
          throw new ConflictError(
            `The application changed from ${from} to ${locked.applicationStatus ?? 'nothing (erased)'} while this request ran; nothing was written`,
            { expected: from, actual: locked.applicationStatus },
          );
        }
        return this.repository.setApplicationStatus(tx, args.candidateId, args.vacancyId, to);
      },
      { operation: 'updateApplicationStatus' },
    );
    this.changed();
    return written;
  }

  /**
   * Right to erasure: the candidate, their edges and their sensitive profile are removed.
   * Idempotent: erasing someone unknown or already erased says `deleted: false` (of parallel
   * erasures of one person exactly one says true).
   */
  async deleteCandidate(id: string): Promise<DeletionRecord> {
    requireId(id, 'id');
    const result = await this.gateway.writeTransaction(
      async (tx) => {
        if (!(await this.repository.lockCandidate(tx, id))) return { deleted: false, applications: 0 };
        return this.repository.deleteCandidate(tx, id);
      },
      { operation: 'deleteCandidate' },
    );
    if (result.deleted) {
      for (const listener of this.erasureListeners) listener(id);
      this.changed();
    }
    return { id, deleted: result.deleted, applicationsRemoved: result.applications };
  }
}
