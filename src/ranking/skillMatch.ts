/**
 * Skill overlap between what a person holds and what a job (vacancy or ESCO occupation) requires:
 * exact matches, partial credit through the ESCO skill hierarchy and skill–skill relations, and
 * coverage ratios weighted by skill specificity (rarer skills weigh more). Pure functions: the
 * graph layer supplies requirements and evidence, rankings and skill-gap analytics share this.
 */

export type SkillRelationKind = 'essential' | 'optional';
export type PartialKind = 'narrower' | 'broader' | 'related' | 'similar';

export interface Requirement {
  readonly uri: string;
  readonly label: string;
  readonly relation: SkillRelationKind;
  /** 1 + ln((N+1)/(df+1)) over ESCO occupations: ≈1 for ubiquitous skills, ≈8 for unique ones. */
  readonly specificity: number;
}

export interface NearEvidence {
  readonly required: string;
  readonly held: string;
  readonly heldLabel: string;
  readonly kind: PartialKind;
  /** Cosine similarity for `similar` evidence. */
  readonly similarity?: number;
}

export interface SkillEvidence {
  /** Required skill uris the person holds exactly. */
  readonly held: readonly string[];
  readonly near: readonly NearEvidence[];
}

/**
 * Credit for holding a skill near the required one instead of the skill itself. A narrower
 * (more specific) skill mostly implies the broader one; a broader skill says less about the
 * specific one; an ESCO-related skill less again. `similar` scales with embedding similarity.
 */
export const PARTIAL_CREDIT: Readonly<Record<PartialKind, number>> = {
  narrower: 0.8,
  broader: 0.5,
  related: 0.35,
  similar: 0.5,
};

/** Similar-by-embedding evidence below this cosine earns nothing. */
export const MIN_SIMILARITY = 0.8;

export interface PartialMatch {
  readonly required: Requirement;
  readonly heldUri: string;
  readonly heldLabel: string;
  readonly kind: PartialKind;
  readonly credit: number;
}

export interface MissingSkill {
  readonly requirement: Requirement;
  /** How much the weighted coverage of its relation would rise if the person gained it (0..1). */
  readonly gain: number;
}

export interface SkillMatch {
  readonly matched: readonly Requirement[];
  readonly partial: readonly PartialMatch[];
  readonly missingEssential: readonly MissingSkill[];
  readonly missingOptional: readonly MissingSkill[];
  /** Share of essential skills held exactly (unweighted). */
  readonly essentialCoverage: number;
  /** Share of optional skills held exactly (unweighted). */
  readonly optionalCoverage: number;
  /** Specificity-weighted essential coverage, with partial credit. */
  readonly weightedEssentialCoverage: number;
  /** Specificity-weighted optional coverage, with partial credit. */
  readonly weightedOptionalCoverage: number;
  readonly essentialCount: number;
  readonly optionalCount: number;
}

function creditOf(e: NearEvidence): number {
  if (e.kind !== 'similar') return PARTIAL_CREDIT[e.kind];
  const s = e.similarity ?? 0;
  return s < MIN_SIMILARITY ? 0 : PARTIAL_CREDIT.similar * s;
}

/** Best partial evidence per required skill (highest credit, ties by held uri for determinism). */
function bestPartial(near: readonly NearEvidence[]): Map<string, { evidence: NearEvidence; credit: number }> {
  const best = new Map<string, { evidence: NearEvidence; credit: number }>();
  for (const e of near) {
    const credit = creditOf(e);
    if (credit <= 0) continue;
    const prior = best.get(e.required);
    if (!prior || credit > prior.credit || (credit === prior.credit && e.held < prior.evidence.held)) {
      best.set(e.required, { evidence: e, credit });
    }
  }
  return best;
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);

const byGain = (a: MissingSkill, b: MissingSkill) =>
  b.gain - a.gain || a.requirement.label.localeCompare(b.requirement.label);

/**
 * What `matchSkills` derives from a requirement list alone: the list without repeated uris, the
 * counts and specificity totals per relation, and each requirement's gain when nothing of it is
 * held, in the order the missing lists are sorted by. A ranking matches every pooled candidate
 * (~800) against one list, so this is worked out once per list (kept while the list lives).
 */
interface RequirementPlan {
  readonly unique: readonly Requirement[];
  readonly count: Readonly<Record<SkillRelationKind, number>>;
  readonly totals: Readonly<Record<SkillRelationKind, number>>;
  /** Per relation, the requirements as missing skills without partial credit, sorted by `byGain`. */
  readonly missingInOrder: Readonly<Record<SkillRelationKind, readonly MissingSkill[]>>;
}

const plans = new WeakMap<readonly Requirement[], RequirementPlan>();

function planOf(requirements: readonly Requirement[]): RequirementPlan {
  const known = plans.get(requirements);
  if (known) return known;
  const unique: Requirement[] = [];
  const count = { essential: 0, optional: 0 };
  const totals = { essential: 0, optional: 0 };
  const seen = new Set<string>();
  for (const r of requirements) {
    if (seen.has(r.uri)) continue;
    seen.add(r.uri);
    unique.push(r);
    count[r.relation] += 1;
    totals[r.relation] += r.specificity;
  }
  const inOrder = (relation: SkillRelationKind): readonly MissingSkill[] =>
    Object.freeze(
      unique
        .filter((r) => r.relation === relation)
        .map((r) => Object.freeze({ requirement: r, gain: ratio(r.specificity, totals[relation]) }))
        .sort(byGain),
    );
  const plan: RequirementPlan = {
    unique,
    count,
    totals,
    missingInOrder: { essential: inOrder('essential'), optional: inOrder('optional') },
  };
  plans.set(requirements, plan);
  return plan;
}

const NO_PARTIAL = new Map<string, { evidence: NearEvidence; credit: number }>();

/**
 * The requirement list should not change after its first match: what is derived from the list
 * alone is kept per list object (`RequirementPlan`).
 */
export function matchSkills(requirements: readonly Requirement[], evidence: SkillEvidence): SkillMatch {
  const plan = planOf(requirements);
  const held = new Set(evidence.held);
  const partialBy = evidence.near.length > 0 ? bestPartial(evidence.near) : NO_PARTIAL;
  const matched: Requirement[] = [];
  const partial: PartialMatch[] = [];
  const missing = new Set<Requirement>();
  const earned = { essential: 0, optional: 0 };
  const exactCount = { essential: 0, optional: 0 };
  const credited = { essential: false, optional: false };
  for (const r of plan.unique) {
    if (held.has(r.uri)) {
      matched.push(r);
      exactCount[r.relation] += 1;
      earned[r.relation] += r.specificity;
      continue;
    }
    const p = partialBy.get(r.uri);
    if (p) {
      partial.push({
        required: r,
        heldUri: p.evidence.held,
        heldLabel: p.evidence.heldLabel,
        kind: p.evidence.kind,
        credit: p.credit,
      });
      earned[r.relation] += r.specificity * p.credit;
      credited[r.relation] = true;
    }
    missing.add(r);
  }
  // Gaining a missing skill lifts its relation's coverage by its weight, less credit already given.
  // Without partial credit in a relation, every gain is the plan's, and so is the order: the plan's
  // list, less what is held (a stable sort of a subsequence keeps the full sort's order).
  const toMissing = (relation: SkillRelationKind): MissingSkill[] => {
    if (!credited[relation]) return plan.missingInOrder[relation].filter((m) => missing.has(m.requirement));
    return plan.unique
      .filter((r) => r.relation === relation && missing.has(r))
      .map((r) => ({
        requirement: r,
        gain: ratio(r.specificity * (1 - (partialBy.get(r.uri)?.credit ?? 0)), plan.totals[relation]),
      }))
      .sort(byGain);
  };
  return {
    matched,
    partial,
    missingEssential: toMissing('essential'),
    missingOptional: toMissing('optional'),
    essentialCoverage: ratio(exactCount.essential, plan.count.essential),
    optionalCoverage: ratio(exactCount.optional, plan.count.optional),
    weightedEssentialCoverage: ratio(earned.essential, plan.totals.essential),
    weightedOptionalCoverage: ratio(earned.optional, plan.totals.optional),
    essentialCount: plan.count.essential,
    optionalCount: plan.count.optional,
  };
}
