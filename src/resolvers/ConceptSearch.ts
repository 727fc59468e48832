import type {
  ExtractedSkillResolvers,
  JobTitleNormalizationResolvers,
  OccupationMatchResolvers,
  SearchStagesResolvers,
  SimilarOccupationsResolvers,
  SimilarSkillsResolvers,
  SkillExtractionResolvers,
  SkillMatchScoreResolvers,
} from './__generated__/types.js';

export const JobTitleNormalization: JobTitleNormalizationResolvers = {
  matches: (r) => [...r.hits],
  confidenceThreshold: (r) => r.threshold,
  warnings: (r) => [...r.warnings],
};

export const SkillExtraction: SkillExtractionResolvers = {
  skills: (r) => [...r.hits],
  confidenceThreshold: (r) => r.threshold,
  warnings: (r) => [...r.warnings],
};

export const SimilarOccupations: SimilarOccupationsResolvers = {
  occupation: (r, _, ctx) => ctx.taxonomy.occupationByUriKnown(r.uri),
  similar: (r) => [...r.hits],
};

export const SimilarSkills: SimilarSkillsResolvers = {
  skill: (r, _, ctx) => ctx.taxonomy.skillByUriKnown(r.uri),
  similar: (r) => [...r.hits],
};

export const OccupationMatch: OccupationMatchResolvers = {
  occupation: (h, _, ctx) => ctx.taxonomy.occupationByUriKnown(h.uri),
};

export const SkillMatchScore: SkillMatchScoreResolvers = {
  skill: (h, _, ctx) => ctx.taxonomy.skillByUriKnown(h.uri),
};

export const ExtractedSkill: ExtractedSkillResolvers = {
  skill: (h, _, ctx) => ctx.taxonomy.skillByUriKnown(h.uri),
  // extractSkills always computes one; a hit without it never reaches this type.
  confidence: (h) => h.confidence ?? 0,
};

export const SearchStages: SearchStagesResolvers = {
  lexicalCandidates: (s) => s.lexical,
  denseCandidates: (s) => s.dense,
  skipped: (s) => [...s.skipped],
};
