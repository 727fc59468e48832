/**
 * The input contract for people data: candidates, vacancies and applications, as taken by the
 * GraphQL mutations, the bulk importer (JSONL / CSV) and produced by the demo generator.
 * Validation is strict and bounded: every string and list has a maximum size.
 */
import { z } from 'zod';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const id = z
  .string()
  .regex(ID_PATTERN, 'ids are 1-64 characters: letters, digits, _ . : - (starting with a letter or digit)');
/** C0 control characters other than tab, LF and CR (NUL among them): never meaningful in text. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Something a reader can see: a letter, digit, punctuation mark or symbol. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .refine((v) => !CONTROL_CHARACTERS.test(v), 'must not contain control characters (NUL and the like)');
/** A name or title: as `text`, and at least one visible character (not only zero-width or blank ones). */
const label = (max: number) =>
  text(max)
    .refine((v) => v.length > 0, 'must not be empty')
    .refine((v) => v.length === 0 || VISIBLE.test(v), 'must contain a visible character');

/** Dates a people record may carry: from 1900 up to one day ahead of the server clock (time zones, skew). */
const EARLIEST_DATE_MS = Date.UTC(1900, 0, 1);
const DATE_SKEW_MS = 24 * 3600_000;
export function isPlausibleDate(iso: string, nowMs = Date.now()): boolean {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms >= EARLIEST_DATE_MS && ms <= nowMs + DATE_SKEW_MS;
}
const isoDate = z
  .string()
  .datetime({ offset: true, message: 'an ISO-8601 date-time, e.g. 2026-01-31T09:00:00Z' })
  .refine((v) => isPlausibleDate(v), 'must lie between 1900-01-01 and tomorrow');

export const SKILL_SOURCES = ['declared', 'extracted', 'inferred'] as const;
export const VACANCY_STATUSES = ['OPEN', 'CLOSED'] as const;
export const APPLICATION_STATUSES = [
  'APPLIED',
  'SCREENED',
  'INTERVIEW',
  'HIRED',
  'REJECTED',
  'TALENT_POOL',
  'WITHDRAWN',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** A concept reference: an ESCO uri, or an exact preferred/alternative label (case-insensitive). */
const conceptRef = z
  .object({ uri: text(200).optional(), label: text(300).optional() })
  .refine((r) => (r.uri ? 1 : 0) + (r.label ? 1 : 0) === 1, 'give exactly one of uri or label');

export const CandidateSkillInput = conceptRef.and(
  z.object({
    source: z.enum(SKILL_SOURCES).default('declared'),
    level: z.number().int().min(1).max(5).optional(),
  }),
);

export const CandidateOccupationInput = conceptRef.and(
  z.object({ years: z.number().min(0).max(60).optional() }),
);

/**
 * Attributes used only for aggregate fairness audits. Stored apart from the candidate, never a
 * ranking feature, never returned per person.
 */
export const SensitiveInput = z
  .object({
    gender: z.enum(['female', 'male', 'nonbinary', 'undisclosed']).optional(),
    ageBand: z.enum(['<25', '25-34', '35-44', '45-54', '55+']).optional(),
  })
  .strict();

export const CandidateInput = z
  .object({
    id,
    displayName: label(200),
    region: text(64).min(1).optional(),
    yearsExperience: z.number().min(0).max(60).optional(),
    summary: text(10_000).optional(),
    skills: z.array(CandidateSkillInput).max(500, 'at most 500 skills').default([]),
    occupations: z.array(CandidateOccupationInput).max(20, 'at most 20 occupations').default([]),
    sensitive: SensitiveInput.optional(),
  })
  .strict();
export type CandidateInput = z.infer<typeof CandidateInput>;

export const OrganizationInput = z.object({ id, name: label(200) }).strict();

export const VacancySkillInput = conceptRef.and(z.object({ relation: z.enum(['essential', 'optional']) }));

export const VacancyInput = z
  .object({
    id,
    title: label(300),
    description: text(20_000).optional(),
    region: text(64).min(1).optional(),
    status: z.enum(VACANCY_STATUSES).default('OPEN'),
    organization: OrganizationInput.optional(),
    occupation: z
      .object({ uri: text(200).optional(), code: text(32).optional(), label: text(300).optional() })
      .refine(
        (o) => [o.uri, o.code, o.label].filter(Boolean).length === 1,
        'give exactly one of uri, code or label',
      )
      .optional(),
    skills: z.array(VacancySkillInput).max(300, 'at most 300 skills').default([]),
    postedAt: isoDate.optional(),
  })
  .strict();
export type VacancyInput = z.infer<typeof VacancyInput>;

export const ApplicationInput = z
  .object({
    candidateId: id,
    vacancyId: id,
    /** Absent: APPLIED for a new application; an existing one keeps its status (importer). */
    status: z.enum(APPLICATION_STATUSES).optional(),
    at: isoDate.optional(),
    updatedAt: isoDate.optional(),
  })
  .strict();
export type ApplicationInput = z.infer<typeof ApplicationInput>;

/** One line of a people JSONL file: `type` says which record it is. */
export const PeopleRecord = z.discriminatedUnion('type', [
  CandidateInput.extend({ type: z.literal('candidate') }),
  VacancyInput.extend({ type: z.literal('vacancy') }),
  ApplicationInput.extend({ type: z.literal('application') }),
]);
export type PeopleRecord = z.infer<typeof PeopleRecord>;

/**
 * Allowed status transitions of an application. HIRED and REJECTED are final, always.
 * TALENT_POOL and WITHDRAWN end the process too, but may be reopened explicitly.
 */
export const APPLICATION_TRANSITIONS: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = {
  APPLIED: ['SCREENED', 'INTERVIEW', 'REJECTED', 'TALENT_POOL', 'WITHDRAWN'],
  SCREENED: ['INTERVIEW', 'REJECTED', 'TALENT_POOL', 'WITHDRAWN'],
  INTERVIEW: ['HIRED', 'REJECTED', 'TALENT_POOL', 'WITHDRAWN'],
  TALENT_POOL: [],
  HIRED: [],
  REJECTED: [],
  WITHDRAWN: [],
};

/** Transitions only an explicit reopen may make (e.g. a talent-pool candidate back to screening). */
export const REOPEN_TRANSITIONS: Readonly<Partial<Record<ApplicationStatus, readonly ApplicationStatus[]>>> =
  {
    TALENT_POOL: ['SCREENED', 'INTERVIEW'],
    WITHDRAWN: ['APPLIED'],
  };

export function isAllowedTransition(
  from: ApplicationStatus,
  to: ApplicationStatus,
  reopen: boolean,
): boolean {
  if (APPLICATION_TRANSITIONS[from].includes(to)) return true;
  return reopen && (REOPEN_TRANSITIONS[from] ?? []).includes(to);
}

/** Statuses of an application still in progress: a closed vacancy takes none of these. */
export const OPEN_APPLICATION_STATUSES: readonly ApplicationStatus[] = ['APPLIED', 'SCREENED', 'INTERVIEW'];

/**
 * Why `from → to` is refused, in one wording for the API and the importer; null when allowed
 * (a same-status "transition" is not a change and is handled by the callers as unchanged).
 */
export function transitionRefusal(
  from: ApplicationStatus,
  to: ApplicationStatus,
  reopen: boolean,
): string | null {
  if (from === to || isAllowedTransition(from, to, reopen)) return null;
  const allowed = APPLICATION_TRANSITIONS[from];
  const reopenable = REOPEN_TRANSITIONS[from] ?? [];
  return (
    `An application cannot go from ${from} to ${to}` +
    (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ` (${from} is final)`) +
    (reopenable.length && !reopen ? `; reopening to ${reopenable.join(' or ')} needs reopen: true` : '')
  );
}
