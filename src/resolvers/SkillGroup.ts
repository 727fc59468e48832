import type { SkillGroupRecord } from '../graph/taxonomy/records.js';
import type { SkillGroupResolvers } from './__generated__/types.js';
import { conceptFields } from './labels.js';

export const SkillGroup: SkillGroupResolvers = {
  ...conceptFields,
  broader: (g, _, ctx) => ctx.taxonomy.list<SkillGroupRecord>('skill-group-broader', g.uri),
  narrower: (g, _, ctx) => ctx.taxonomy.list<SkillGroupRecord>('skill-group-narrower', g.uri),
};
