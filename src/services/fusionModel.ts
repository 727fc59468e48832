/**
 * Loads a learned fusion artifact (`npm run train:fusion`) for the ranking service: read once at
 * start-up from `FUSION_MODEL`, validated, and refused with a message naming the file when it is
 * not one. Without `FUSION_MODEL` the service ranks with the hand-set weights.
 *
 * Why hand-set by default: a learned model is fitted to one deployment's own hires and rejections,
 * which carry that deployment's habits and biases; shipping one (e.g. fitted to the synthetic demo
 * outcomes) as everyone's default would make those outcomes the truth for every deployment. An
 * operator opts in after reading the artifact's validation figures and the fairness report of
 * `npm run eval:ranking`.
 */
import fs from 'node:fs';
import { parseFusionModel, type FusionModel } from '../ranking/learnedFusion.js';

export class FusionModelError extends Error {
  override readonly name = 'FusionModelError';
}

export function loadFusionModel(file: string): FusionModel {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new FusionModelError(`FUSION_MODEL=${file}: cannot read it as JSON (${(error as Error).message})`);
  }
  try {
    return parseFusionModel(json);
  } catch (error) {
    throw new FusionModelError(`FUSION_MODEL=${file}: ${(error as Error).message}`);
  }
}

/** What `meta` says about the fusion in use: the artifact's name, date and training-data hash. */
export interface FusionModelRef {
  readonly name: string;
  readonly createdAt: string;
  readonly trainingDataHash: string;
}

export function fusionModelRef(model: FusionModel): FusionModelRef {
  return { name: model.name, createdAt: model.createdAt, trainingDataHash: model.training.dataHash };
}
