import type { ConceptResolvers } from './__generated__/types.js';

export const Concept: ConceptResolvers = {
  __resolveType: (c) => c.kind,
};
