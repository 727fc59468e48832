import type { IscoGroupRecord } from '../graph/taxonomy/records.js';
import type { IscoGroupResolvers } from './__generated__/types.js';
import { conceptFields } from './labels.js';
import { connectionSelection } from './selection.js';

export const IscoGroup: IscoGroupResolvers = {
  ...conceptFields,
  broader: async (g, _, ctx) =>
    (await ctx.taxonomy.list<IscoGroupRecord>('isco-group-broader', g.code))[0] ?? null,
  narrower: (g, _, ctx) => ctx.taxonomy.list<IscoGroupRecord>('isco-group-narrower', g.code),
  occupations: (g, args, ctx, info) =>
    ctx.taxonomy.iscoGroupOccupations(g.code, args, connectionSelection(info)),
};
