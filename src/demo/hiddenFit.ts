/**
 * The hidden fit between a candidate and a vacancy: the ground truth behind the demo's application
 * outcomes and the graded labels of `fit.jsonl`. It is "hidden" because nothing of it enters the
 * graph: a ranker sees only skills, occupations and text, and is judged by how well it recovers it.
 *
 *   fit = clamp01( 0.50 · essential coverage      (share of the vacancy's essential skills held)
 *                + 0.15 · optional coverage       (share of its optional skills held)
 *                + 0.35 · occupation closeness    (1 same occupation, 0.6 same ISCO unit group,
 *                                                  0.3 same minor group, else 0; best over the
 *                                                  occupations the candidate worked as)
 *                + noise )                        (normal, sd 0.05, fixed per candidate–vacancy pair)
 *
 * A vacancy without optional skills counts essential coverage in their place. Coverage is exact
 * skill identity: no credit through the skill hierarchy, so a ranker that gives partial credit
 * must earn it by correlation, not by construction.
 */
import { hashInts, unitFromHash } from './random.js';

export const FIT_WEIGHTS = { essential: 0.5, optional: 0.15, occupation: 0.35 } as const;
export const FIT_NOISE_SD = 0.05;

/** Closeness of two occupations by ESCO identity and ISCO-08 hierarchy. */
export const CLOSENESS = { sameOccupation: 1, sameUnitGroup: 0.6, sameMinorGroup: 0.3, other: 0 } as const;

/** Lower bounds of the graded relevance labels: 3 ≥ 0.7, 2 ≥ 0.5, 1 ≥ 0.3, else 0. */
export const RELEVANCE_THRESHOLDS = [0.3, 0.5, 0.7] as const;

export type Relevance = 0 | 1 | 2 | 3;

export interface OccupationRef {
  readonly index: number;
  /** ISCO-08 unit group (4 digits). */
  readonly iscoGroup: string;
}

export function occupationCloseness(a: OccupationRef, b: OccupationRef): number {
  if (a.index === b.index) return CLOSENESS.sameOccupation;
  if (a.iscoGroup === b.iscoGroup) return CLOSENESS.sameUnitGroup;
  if (sameMinorGroup(a.iscoGroup, b.iscoGroup)) return CLOSENESS.sameMinorGroup;
  return CLOSENESS.other;
}

/** The first three digits agree (compared in place: this runs millions of times per dataset). */
function sameMinorGroup(a: string, b: string): boolean {
  return (
    a.charCodeAt(0) === b.charCodeAt(0) &&
    a.charCodeAt(1) === b.charCodeAt(1) &&
    a.charCodeAt(2) === b.charCodeAt(2)
  );
}

/**
 * The pair's noise term: a normal variate from a hash of (seed, candidate, vacancy), so the same
 * pair gets the same fit whichever pass or file computes it.
 */
export function fitNoise(seed: number, candidateIndex: number, vacancyIndex: number): number {
  const u1 = unitFromHash(hashInts(seed, 0x6f17, candidateIndex, vacancyIndex));
  const u2 = unitFromHash(hashInts(seed, 0x6f18, candidateIndex, vacancyIndex));
  return FIT_NOISE_SD * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

export function combineFit(
  essentialCoverage: number,
  optionalCoverage: number,
  closeness: number,
  noise: number,
): number {
  const raw =
    FIT_WEIGHTS.essential * essentialCoverage +
    FIT_WEIGHTS.optional * optionalCoverage +
    FIT_WEIGHTS.occupation * closeness +
    noise;
  return Math.min(1, Math.max(0, raw));
}

export function relevanceOf(fit: number): Relevance {
  const [one, two, three] = RELEVANCE_THRESHOLDS;
  return fit >= three ? 3 : fit >= two ? 2 : fit >= one ? 1 : 0;
}
