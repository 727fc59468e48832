import type { VacancyResolvers } from './__generated__/types.js';

export const Vacancy: VacancyResolvers = {
  organization: (v, _, ctx) => (v.organizationId ? ctx.people.organization(v.organizationId) : null),
  occupation: async (v, _, ctx) => (v.occupationUri ? ctx.taxonomy.occupationOrNull(v.occupationUri) : null),
  essentialSkills: async (v, _, ctx) =>
    (await ctx.people.vacancySkills(v.id, 'essential')).map((s) => s.skill),
  optionalSkills: async (v, _, ctx) => (await ctx.people.vacancySkills(v.id, 'optional')).map((s) => s.skill),
  applications: (v, args, ctx) => ctx.people.vacancyApplications(v.id, args.status ?? null),
};
