/**
 * The resolver map: one module per GraphQL type, typed by the generated resolver types.
 */
import type { Resolvers } from './__generated__/types.js';
import { Concept } from './Concept.js';
import { connectionFields } from './connections.js';
import { EscoDataset } from './EscoDataset.js';
import { IscoGroup } from './IscoGroup.js';
import { Occupation } from './Occupation.js';
import { Query } from './Query.js';
import { SearchHit } from './SearchHit.js';
import { Skill } from './Skill.js';
import { SkillGroup } from './SkillGroup.js';
import type { OccupationRecord, SkillRecord } from '../graph/taxonomy/records.js';

export const resolvers: Resolvers = {
  Query,
  Concept,
  Occupation,
  Skill,
  IscoGroup,
  SkillGroup,
  SearchHit,
  EscoDataset,
  OccupationConnection: connectionFields<OccupationRecord>(),
  SkillConnection: connectionFields<SkillRecord>(),
};
