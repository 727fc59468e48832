import type { ConceptKind } from '../graph/taxonomy/taxonomyRepository.js';
import { describeViewer } from '../security/viewer.js';
import type { ConceptType, QueryResolvers } from './__generated__/types.js';
import { toLang } from './labels.js';
import { rankingPageSize, toServiceOptions } from './Ranking.js';
import { connectionSelection, nestedSkillPages } from './selection.js';

const KIND_OF: Record<ConceptType, ConceptKind> = {
  OCCUPATION: 'Occupation',
  SKILL: 'Skill',
  ISCO_GROUP: 'IscoGroup',
  SKILL_GROUP: 'SkillGroup',
};

export const Query: QueryResolvers = {
  occupation: (_, args, ctx) => ctx.taxonomy.occupation(args),
  skill: (_, args, ctx) => ctx.taxonomy.skill(args.uri),
  iscoGroup: (_, args, ctx) => ctx.taxonomy.iscoGroup(args.code),
  skillGroup: (_, args, ctx) => ctx.taxonomy.skillGroup(args.uri),
  occupations: (_, args, ctx, info) =>
    ctx.taxonomy.occupations(
      { ...args, lang: toLang(args.lang) },
      connectionSelection(info),
      nestedSkillPages(info),
    ),
  skills: (_, args, ctx, info) =>
    ctx.taxonomy.skills({ ...args, lang: toLang(args.lang) }, connectionSelection(info)),
  search: (_, args, ctx) =>
    ctx.taxonomy.search({
      text: args.text,
      kinds: [...new Set((args.types ?? []).map((t) => KIND_OF[t]))],
      lang: toLang(args.lang),
      first: args.first,
    }),
  escoDataset: (_, __, ctx) => ctx.taxonomy.dataset(),
  viewer: (_, __, ctx, info) => describeViewer(ctx.principal, info.schema),
  candidate: (_, args, ctx) => ctx.people.candidate(args.id),
  vacancy: (_, args, ctx) => ctx.people.vacancy(args.id),
  vacancies: (_, { filter, first, after }, ctx) =>
    ctx.people.vacancies({
      first,
      after,
      filter: {
        status: filter?.status ?? null,
        occupationUri: filter?.occupation ?? null,
        region: filter?.region ?? null,
        organizationId: filter?.organization ?? null,
        titleContains: filter?.titleContains ?? null,
      },
    }),
  candidates: (_, { filter, first, after }, ctx) =>
    ctx.people.candidates({
      first,
      after,
      filter: {
        region: filter?.region ?? null,
        occupationUri: filter?.occupation ?? null,
        skillUri: filter?.skill ?? null,
      },
    }),
  skillGap: (_, args, ctx) => ctx.gaps.skillGap(args.candidateId, args.target),
  threeWayGap: (_, args, ctx) => ctx.gaps.threeWayGap(args.candidateId, args.vacancyId),
  careerPaths: (_, args, ctx) =>
    ctx.gaps.careerPaths(args.candidateId, args.k, args.filter?.iscoGroup ?? null),
  skillDemand: (_, args, ctx) =>
    ctx.gaps.skillDemand({ ...args.filter, sort: args.sort, first: args.first, after: args.after }),
  regions: (_, __, ctx) => ctx.gaps.regions(),
  occupationSkillProfile: (_, args, ctx) => ctx.gaps.occupationSkillProfile(args.uri),
  rankCandidates: (_, args, ctx, info) =>
    ctx.ranking.rankCandidates(
      args.vacancyId,
      rankingPageSize(args, info),
      args.after,
      toServiceOptions(args.options, ctx.principal),
    ),
  normalizeJobTitle: async (_, args, ctx) => ({
    title: args.title,
    ...(await ctx.search.normalizeJobTitle({
      title: args.title,
      lang: toLang(args.lang),
      k: args.k,
      mode: args.mode,
      minConfidence: args.minConfidence,
    })),
  }),
  extractSkills: (_, args, ctx) =>
    ctx.search.extractSkills({
      text: args.text,
      k: args.k,
      mode: args.mode,
      minConfidence: args.minConfidence,
    }),
  similarOccupations: async (_, args, ctx) => ({
    uri: args.uri,
    ...(await ctx.search.similar('occupation', args.uri, args.k)),
  }),
  similarSkills: async (_, args, ctx) => ({
    uri: args.uri,
    ...(await ctx.search.similar('skill', args.uri, args.k)),
  }),
  rankVacancies: (_, args, ctx, info) =>
    ctx.ranking.rankVacancies(
      args.candidateId,
      rankingPageSize(args, info),
      args.after,
      toServiceOptions(args.options, ctx.principal),
    ),
};
