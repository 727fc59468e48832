import type { MutationResolvers } from './__generated__/types.js';
import { toDomainCandidate, toDomainVacancy } from './peopleInputs.js';

export const Mutation: MutationResolvers = {
  upsertCandidate: (_, { input }, ctx) => ctx.peopleService.upsertCandidate(toDomainCandidate(input)),
  upsertVacancy: (_, { input }, ctx) => ctx.peopleService.upsertVacancy(toDomainVacancy(input)),
  recordApplication: (_, args, ctx) => ctx.peopleService.recordApplication(args),
  updateApplicationStatus: (_, args, ctx) => ctx.peopleService.updateApplicationStatus(args),
  deleteCandidate: (_, { id }, ctx) => ctx.peopleService.deleteCandidate(id),
};
