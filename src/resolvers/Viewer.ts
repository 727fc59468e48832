import type { ViewerResolvers } from './__generated__/types.js';

export const Viewer: ViewerResolvers = {
  organization: (v, _, ctx) => (v.organizationId ? ctx.people.organization(v.organizationId) : null),
};
