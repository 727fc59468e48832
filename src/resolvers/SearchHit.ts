import type { ConceptType, SearchHitResolvers } from './__generated__/types.js';

const TYPE_OF: Record<string, ConceptType> = {
  Occupation: 'OCCUPATION',
  Skill: 'SKILL',
  IscoGroup: 'ISCO_GROUP',
  SkillGroup: 'SKILL_GROUP',
};

export const SearchHit: SearchHitResolvers = {
  type: (h) => TYPE_OF[h.concept.kind] ?? 'OCCUPATION',
  lang: (h) => (h.lang === 'fr' ? 'FR' : 'EN'),
};
