/**
 * Validated input → rows for the people write statements, with every skill and occupation
 * reference resolved to an ESCO uri. Errors name the field (`skills[3]`) and the reason.
 */
import type { z } from 'zod';
import { BadUserInputError } from '../../errors.js';
import type { ApplicationInput, CandidateInput, VacancyInput } from '../../domain/peopleInput.js';
import type { ConceptResolver } from './conceptResolver.js';

export interface CandidateRow {
  readonly id: string;
  readonly props: Record<string, string | number | null>;
  readonly skills: Array<{ uri: string; source: string; level: number | null }>;
  readonly occupations: Array<{ uri: string; years: number | null }>;
  readonly sensitive: Record<string, string> | null;
}

export interface VacancyRow {
  readonly id: string;
  readonly props: Record<string, string | null>;
  readonly postedAt: string | null;
  readonly organization: { id: string; name: string } | null;
  readonly occupationUri: string | null;
  readonly skills: Array<{ uri: string; relation: 'essential' | 'optional' }>;
}

export interface ApplicationRow {
  readonly candidateId: string;
  readonly vacancyId: string;
  readonly status: string;
  readonly at: string | null;
  readonly updatedAt: string | null;
}

/** Parses with a zod schema; the first issues become one BAD_USER_INPUT naming fields. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((i) => ({
    field: i.path.map(String).join('.') || '(input)',
    reason: i.message,
  }));
  const summary = issues.map((i) => `${i.field}: ${i.reason}`).join('; ');
  throw new BadUserInputError(`Invalid ${what}: ${summary}`, { issues });
}

export async function toCandidateRow(
  input: CandidateInput,
  resolver: ConceptResolver,
): Promise<CandidateRow> {
  const skills = new Map<string, { uri: string; source: string; level: number | null }>();
  for (const [i, s] of input.skills.entries()) {
    const uri = await resolver.resolveSkill(s, `skills[${i}]`);
    // The same skill twice keeps the first mention (its source and level).
    if (!skills.has(uri)) skills.set(uri, { uri, source: s.source, level: s.level ?? null });
  }
  const occupations = new Map<string, { uri: string; years: number | null }>();
  for (const [i, o] of input.occupations.entries()) {
    const uri = await resolver.resolveOccupation(o, `occupations[${i}]`);
    const years = o.years ?? null;
    const prior = occupations.get(uri);
    occupations.set(uri, {
      uri,
      years: prior?.years != null && years != null ? prior.years + years : (years ?? prior?.years ?? null),
    });
  }
  const sensitive = input.sensitive
    ? Object.fromEntries(
        Object.entries(input.sensitive as Record<string, string | undefined>).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      )
    : null;
  return {
    id: input.id,
    props: {
      displayName: input.displayName,
      region: input.region ?? null,
      yearsExperience: input.yearsExperience ?? null,
      summary: input.summary ?? null,
    },
    skills: [...skills.values()],
    occupations: [...occupations.values()],
    sensitive: sensitive && Object.keys(sensitive).length > 0 ? sensitive : null,
  };
}

export async function toVacancyRow(input: VacancyInput, resolver: ConceptResolver): Promise<VacancyRow> {
  const skills = new Map<string, { uri: string; relation: 'essential' | 'optional' }>();
  for (const [i, s] of input.skills.entries()) {
    const uri = await resolver.resolveSkill(s, `skills[${i}]`);
    const prior = skills.get(uri);
    if (prior && prior.relation !== s.relation) {
      throw new BadUserInputError(`skills[${i}]: the same skill is listed as both essential and optional`, {
        argument: `skills[${i}]`,
      });
    }
    skills.set(uri, { uri, relation: s.relation });
  }
  const occupationUri = input.occupation
    ? await resolver.resolveOccupation(input.occupation, 'occupation')
    : null;
  return {
    id: input.id,
    props: {
      title: input.title,
      description: input.description ?? null,
      region: input.region ?? null,
      status: input.status,
    },
    postedAt: input.postedAt ?? null,
    organization: input.organization ?? null,
    occupationUri,
    skills: [...skills.values()],
  };
}

export function toApplicationRow(input: ApplicationInput): ApplicationRow {
  return {
    candidateId: input.candidateId,
    vacancyId: input.vacancyId,
    status: input.status ?? 'APPLIED',
    at: input.at ?? null,
    updatedAt: input.updatedAt ?? null,
  };
}
