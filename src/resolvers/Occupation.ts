import type { OccupationRecord } from '../graph/taxonomy/records.js';
import type { OccupationResolvers } from './__generated__/types.js';
import { conceptFields } from './labels.js';
import { connectionSelection } from './selection.js';

export const Occupation: OccupationResolvers = {
  ...conceptFields,
  iscoGroup: (o, _, ctx) => ctx.taxonomy.iscoGroupOf(o),
  broader: (o, _, ctx) => ctx.taxonomy.list<OccupationRecord>('occupation-broader', o.uri),
  narrower: (o, _, ctx) => ctx.taxonomy.list<OccupationRecord>('occupation-narrower', o.uri),
  essentialSkills: (o, args, ctx, info) =>
    ctx.taxonomy.occupationSkills(o.uri, 'essential', args, connectionSelection(info)),
  optionalSkills: (o, args, ctx, info) =>
    ctx.taxonomy.occupationSkills(o.uri, 'optional', args, connectionSelection(info)),
};
