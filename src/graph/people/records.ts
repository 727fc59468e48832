/**
 * Plain records for people data. Sensitive attributes have no record: they never leave the graph
 * layer per person (only aggregate fairness figures are computed from them).
 */
import type { OccupationRecord, Page, SkillRecord } from '../taxonomy/records.js';

export interface CandidateRecord {
  readonly id: string;
  readonly displayName: string;
  readonly region: string | null;
  readonly yearsExperience: number | null;
  readonly summary: string | null;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
}

export interface VacancyRecord {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly region: string | null;
  readonly status: 'OPEN' | 'CLOSED';
  readonly postedAt: string | null;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  readonly organizationId: string | null;
  readonly occupationUri: string | null;
}

export interface OrganizationRecord {
  readonly id: string;
  readonly name: string;
}

export interface CandidateSkillRecord {
  readonly skill: SkillRecord;
  readonly source: string;
  readonly level: number | null;
}

export interface CandidateOccupationRecord {
  readonly occupation: OccupationRecord;
  readonly years: number | null;
}

export interface VacancySkillRecord {
  readonly skill: SkillRecord;
  readonly relation: 'essential' | 'optional';
}

export interface ApplicationRecord {
  readonly candidateId: string;
  readonly vacancyId: string;
  readonly status: string;
  readonly at: string | null;
  readonly updatedAt: string | null;
}

export interface DeletionRecord {
  readonly id: string;
  readonly deleted: boolean;
  readonly applicationsRemoved: number;
}

export interface PeopleCounts {
  readonly candidates: number;
  readonly vacancies: number;
  readonly organizations: number;
  readonly applications: number;
}

export type VacancyPage = Page<VacancyRecord>;
export type CandidatePage = Page<CandidateRecord>;
