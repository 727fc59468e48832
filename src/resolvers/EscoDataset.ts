import type { EscoDatasetResolvers } from './__generated__/types.js';

export const ESCO_NOTICE = 'This service uses the ESCO classification of the European Commission.';

export const EscoDataset: EscoDatasetResolvers = {
  notice: () => ESCO_NOTICE,
};
