/**
 * Maps GraphQL input enums (DECLARED, FEMALE, ESSENTIAL…) to the domain's values; everything
 * else passes as is and is validated by the service.
 */
import type {
  AgeBand,
  CandidateInput,
  Gender,
  SkillRelation,
  SkillSource,
  VacancyInput,
} from './__generated__/types.js';

const AGE_BANDS: Record<AgeBand, string> = {
  UNDER_25: '<25',
  FROM_25_TO_34: '25-34',
  FROM_35_TO_44: '35-44',
  FROM_45_TO_54: '45-54',
  FROM_55: '55+',
};

const lower = (v: SkillSource | Gender | SkillRelation | null | undefined) =>
  v == null ? v : v.toLowerCase();

export function toDomainCandidate(input: CandidateInput): unknown {
  return {
    ...input,
    skills: input.skills?.map((s) => ({ ...s, source: lower(s.source) })),
    sensitive: input.sensitive && {
      gender: lower(input.sensitive.gender),
      ageBand: input.sensitive.ageBand ? AGE_BANDS[input.sensitive.ageBand] : null,
    },
  };
}

export function toDomainVacancy(input: VacancyInput): unknown {
  return { ...input, skills: input.skills?.map((s) => ({ ...s, relation: lower(s.relation) })) };
}
