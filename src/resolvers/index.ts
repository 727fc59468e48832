/**
 * The resolver map: one module per GraphQL type (or family of types), typed by the generated
 * resolver types.
 */
import type { CandidateRecord, VacancyRecord } from '../graph/people/records.js';
import type { OccupationRecord, SkillRecord } from '../graph/taxonomy/records.js';
import type { Resolvers } from './__generated__/types.js';
import { Application } from './Application.js';
import { Candidate, CandidateSkill } from './Candidate.js';
import { Concept } from './Concept.js';
import {
  ExtractedSkill,
  JobTitleNormalization,
  OccupationMatch,
  SearchStages,
  SimilarOccupations,
  SimilarSkills,
  SkillExtraction,
  SkillMatchScore,
} from './ConceptSearch.js';
import { connectionFields } from './connections.js';
import { DateTime } from './DateTime.js';
import { EscoDataset } from './EscoDataset.js';
import { IscoGroup } from './IscoGroup.js';
import { Mutation } from './Mutation.js';
import { Occupation } from './Occupation.js';
import { Query } from './Query.js';
import {
  CandidateRanking,
  FairnessReport,
  FeatureContribution,
  RankedCandidate,
  RankedVacancy,
  RankingMeta,
  VacancyRanking,
} from './Ranking.js';
import { SearchHit } from './SearchHit.js';
import { Skill } from './Skill.js';
import {
  CareerPath,
  CareerPaths,
  MissingSkill,
  OccupationSkillProfile,
  PartialSkillMatch,
  PathOpeningSkill,
  ProfileSkill,
  Region,
  RequiredSkill,
  SkillDemand,
  SkillDemandItem,
  SkillGap,
  ThreeWayGap,
} from './SkillGap.js';
import { SkillGroup } from './SkillGroup.js';
import { Vacancy } from './Vacancy.js';
import { Viewer } from './Viewer.js';

export const resolvers: Resolvers = {
  DateTime,
  Query,
  Mutation,
  Concept,
  Occupation,
  Skill,
  IscoGroup,
  SkillGroup,
  SearchHit,
  EscoDataset,
  Candidate,
  CandidateSkill,
  Vacancy,
  Viewer,
  Application,
  SkillGap,
  MissingSkill,
  PartialSkillMatch,
  RequiredSkill,
  ThreeWayGap,
  CareerPaths,
  CareerPath,
  PathOpeningSkill,
  SkillDemand,
  SkillDemandItem,
  Region,
  OccupationSkillProfile,
  ProfileSkill,
  CandidateRanking,
  VacancyRanking,
  RankedCandidate,
  RankedVacancy,
  FeatureContribution,
  RankingMeta,
  FairnessReport,
  JobTitleNormalization,
  SkillExtraction,
  SimilarOccupations,
  SimilarSkills,
  OccupationMatch,
  SkillMatchScore,
  ExtractedSkill,
  SearchStages,
  OccupationConnection: connectionFields<OccupationRecord>(),
  SkillConnection: connectionFields<SkillRecord>(),
  VacancyConnection: connectionFields<VacancyRecord>(),
  CandidateConnection: connectionFields<CandidateRecord>(),
};
