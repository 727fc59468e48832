import type {
  CareerPathResolvers,
  CareerPathsResolvers,
  MissingSkillResolvers,
  OccupationSkillProfileResolvers,
  PartialMatchKind,
  PartialSkillMatchResolvers,
  PathOpeningSkillResolvers,
  ProfileSkillResolvers,
  RequiredSkillResolvers,
  RegionResolvers,
  SkillDemandItemResolvers,
  SkillDemandResolvers,
  SkillGapResolvers,
  SkillRelation,
  ThreeWayGapResolvers,
} from './__generated__/types.js';

const relation = (r: 'essential' | 'optional'): SkillRelation =>
  r === 'essential' ? 'ESSENTIAL' : 'OPTIONAL';

export const SkillGap: SkillGapResolvers = {
  candidate: (g, _, ctx) => ctx.people.candidate(g.candidateId),
  targetKind: (g) => g.target.kind,
  vacancy: (g, _, ctx) => (g.target.vacancyId ? ctx.people.vacancyOrNull(g.target.vacancyId) : null),
  occupation: (g, _, ctx) =>
    g.target.occupationUri ? ctx.taxonomy.occupationOrNull(g.target.occupationUri) : null,
  matchedSkills: (g, _, ctx) => ctx.taxonomy.skillsByUriKnown(g.matched.map((r) => r.uri)),
  missingEssentialSkills: (g) => [...g.missingEssential],
  missingOptionalSkills: (g) => [...g.missingOptional],
  // Deprecated aliases: the same values under the former names.
  matched: (g, _, ctx) => ctx.taxonomy.skillsByUriKnown(g.matched.map((r) => r.uri)),
  missingEssential: (g) => [...g.missingEssential],
  missingOptional: (g) => [...g.missingOptional],
  partialMatches: (g) => [...g.partial],
  coverage: (g) => ({
    essential: g.essentialCoverage,
    optional: g.optionalCoverage,
    weightedEssential: g.weightedEssentialCoverage,
    weightedOptional: g.weightedOptionalCoverage,
    essentialCount: g.essentialCount,
    optionalCount: g.optionalCount,
  }),
};

export const MissingSkill: MissingSkillResolvers = {
  skill: (m, _, ctx) => ctx.taxonomy.skillByUriKnown(m.requirement.uri),
  relation: (m) => relation(m.requirement.relation),
  specificity: (m) => m.requirement.specificity,
  coverageGain: (m) => m.gain,
};

export const PartialSkillMatch: PartialSkillMatchResolvers = {
  required: (p, _, ctx) => ctx.taxonomy.skillByUriKnown(p.required.uri),
  held: (p, _, ctx) => ctx.taxonomy.skillByUriKnown(p.heldUri),
  kind: (p) => p.kind.toUpperCase() as PartialMatchKind,
};

export const RequiredSkill: RequiredSkillResolvers = {
  skill: (r, _, ctx) => ctx.taxonomy.skillByUriKnown(r.uri),
  relation: (r) => relation(r.relation),
};

export const ThreeWayGap: ThreeWayGapResolvers = {
  candidate: (g, _, ctx) => ctx.people.candidate(g.candidateId),
  vacancy: (g, _, ctx) => ctx.people.vacancy(g.vacancyId),
  occupation: (g, _, ctx) => (g.occupationUri ? ctx.taxonomy.occupationOrNull(g.occupationUri) : null),
  vacancySkillsBeyondEsco: (g) => [...g.vacancySkillsBeyondEsco],
  escoEssentialsOmitted: (g, _, ctx) =>
    ctx.taxonomy.skillsByUriKnown(g.escoEssentialsOmitted.map((r) => r.uri)),
};

export const CareerPaths: CareerPathsResolvers = {
  candidate: (c, _, ctx) => ctx.people.candidate(c.candidateId),
  paths: (c) => [...c.paths],
  skillsOpeningMostPaths: (c) => [...c.skillsOpeningMostPaths],
};

export const CareerPath: CareerPathResolvers = {
  occupation: (p, _, ctx) => ctx.taxonomy.occupationByUriKnown(p.occupationUri),
  missingEssentialCount: (p) => p.missingEssential.length,
  missingEssential: (p, _, ctx) => ctx.taxonomy.skillsByUriKnown(p.missingEssential.map((r) => r.uri)),
};

export const PathOpeningSkill: PathOpeningSkillResolvers = {
  skill: (p, _, ctx) => ctx.taxonomy.skillByUriKnown(p.skill.uri),
};

export const SkillDemand: SkillDemandResolvers = {
  edges: (d) => d.items.map((node, i) => ({ cursor: d.cursorAt(d.offset + i), node })),
  nodes: (d) => [...d.items],
  items: (d) => [...d.items],
  regions: (d) => (d.regions ? [...d.regions] : null),
  pageInfo: (d) => ({
    hasNextPage: d.offset + d.items.length < d.totalCount,
    hasPreviousPage: d.offset > 0,
    startCursor: d.items.length > 0 ? d.cursorAt(d.offset) : null,
    endCursor: d.items.length > 0 ? d.cursorAt(d.offset + d.items.length - 1) : null,
  }),
};

export const Region: RegionResolvers = {
  spellings: (r) => [...r.spellings],
};

export const SkillDemandItem: SkillDemandItemResolvers = {
  skill: (i, _, ctx) => ctx.taxonomy.skillByUriKnown(i.skillUri),
};

export const OccupationSkillProfile: OccupationSkillProfileResolvers = {
  occupation: (p, _, ctx) => ctx.taxonomy.occupationByUriKnown(p.occupationUri),
  askedBeyondProfile: (p) => [...p.askedBeyondProfile],
  rarelyAsked: (p) => [...p.rarelyAsked],
};

export const ProfileSkill: ProfileSkillResolvers = {
  skill: (s, _, ctx) => ctx.taxonomy.skillByUriKnown(s.skillUri),
  escoRelation: (s) => (s.escoRelation ? relation(s.escoRelation) : null),
};
