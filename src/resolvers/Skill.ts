import type { SkillGroupRecord, SkillRecord } from '../graph/taxonomy/records.js';
import type { SkillResolvers } from './__generated__/types.js';
import { conceptFields } from './labels.js';
import { connectionSelection } from './selection.js';

export const Skill: SkillResolvers = {
  ...conceptFields,
  broader: (s, _, ctx) => ctx.taxonomy.list<SkillRecord>('skill-broader', s.uri),
  narrower: (s, _, ctx) => ctx.taxonomy.list<SkillRecord>('skill-narrower', s.uri),
  skillGroups: (s, _, ctx) => ctx.taxonomy.list<SkillGroupRecord>('skill-groups-of-skills', s.uri),
  relatedSkills: (s, _, ctx) => ctx.taxonomy.relatedSkills(s.uri),
  requiredBy: (s, args, ctx, info) =>
    ctx.taxonomy.requiredBy(
      s.uri,
      args.relation ? (args.relation === 'ESSENTIAL' ? 'essential' : 'optional') : null,
      args,
      connectionSelection(info),
    ),
};
