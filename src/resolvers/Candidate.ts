import type { CandidateResolvers, CandidateSkillResolvers, SkillSource } from './__generated__/types.js';

export const Candidate: CandidateResolvers = {
  skills: (c, _, ctx) => ctx.people.candidateSkills(c.id),
  occupations: (c, _, ctx) => ctx.people.candidateOccupations(c.id),
  applications: (c, args, ctx) => ctx.people.candidateApplications(c.id, args.status ?? null),
};

export const CandidateSkill: CandidateSkillResolvers = {
  source: (s) => s.source.toUpperCase() as SkillSource,
};
