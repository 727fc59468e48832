import type { ApplicationResolvers, ApplicationStatus } from './__generated__/types.js';

export const Application: ApplicationResolvers = {
  candidate: (a, _, ctx) => ctx.people.candidateOrNull(a.candidateId),
  vacancy: (a, _, ctx) => ctx.people.vacancyOrNull(a.vacancyId),
  status: (a) => a.status as ApplicationStatus,
};
