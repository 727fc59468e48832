/**
 * Skill-gap analytics: a person against a vacancy or an ESCO occupation, against both at once,
 * career paths, and market demand vs supply. Graph reads come from `GapRepository`; the matching
 * logic is `src/ranking/skillMatch.ts`. Aggregates suppress groups smaller than the configured
 * threshold and say so; no aggregate carries a per-person value.
 */
import { BadUserInputError, NotFoundError } from '../errors.js';
import type { GapRepository, OccupationRequirements, RequirementRow } from '../graph/gap/gapRepository.js';
import { matchSkills, type SkillMatch } from '../ranking/skillMatch.js';
import { requireId, requireInRange } from '../domain/validation.js';

export interface GapTarget {
  readonly vacancyId?: string | null;
  readonly occupationUri?: string | null;
}

export interface SkillGapResult extends SkillMatch {
  readonly candidateId: string;
  readonly target: { kind: 'VACANCY' | 'OCCUPATION'; vacancyId: string | null; occupationUri: string | null };
}

export interface ThreeWayGapResult {
  readonly candidateId: string;
  readonly vacancyId: string;
  readonly occupationUri: string | null;
  readonly vacancySkillsBeyondEsco: readonly RequirementRow[];
  readonly escoEssentialsOmitted: readonly RequirementRow[];
  readonly againstVacancy: SkillGapResult;
  readonly againstOccupation: SkillGapResult | null;
}

export interface CareerPath {
  readonly occupationUri: string;
  readonly weightedCoverage: number;
  readonly essentialCoverage: number;
  readonly missingEssential: readonly RequirementRow[];
}

export interface PathOpening {
  readonly skill: RequirementRow;
  readonly paths: number;
}

export interface CareerPathsResult {
  readonly candidateId: string;
  readonly paths: readonly CareerPath[];
  readonly skillsOpeningMostPaths: readonly PathOpening[];
}

export interface DemandItem {
  readonly skillUri: string;
  readonly label: string;
  readonly demand: number;
  readonly essentialDemand: number;
  /** Null when fewer candidates than the threshold hold it (suppressed). */
  readonly supply: number | null;
  readonly ratio: number | null;
  readonly suppressed: boolean;
}

export interface SkillDemandResult {
  readonly vacancies: number | null;
  readonly items: readonly DemandItem[];
  readonly threshold: number;
  readonly suppressedCount: number;
  readonly note: string | null;
}

export interface ProfileSkill {
  readonly skillUri: string;
  readonly label: string;
  readonly askedBy: number;
  readonly share: number;
  readonly escoRelation: 'essential' | 'optional' | null;
}

export interface OccupationProfileResult {
  readonly occupationUri: string;
  readonly vacancies: number | null;
  readonly suppressed: boolean;
  readonly threshold: number;
  readonly askedBeyondProfile: readonly ProfileSkill[];
  readonly rarelyAsked: readonly ProfileSkill[];
  readonly note: string | null;
}

/** ESCO skills asked by fewer than this share of an occupation's vacancies are "rarely asked". */
export const RARELY_ASKED_SHARE = 0.1;

const ESCO_OCCUPATION = /^http:\/\/data\.europa\.eu\/esco\/occupation\/[A-Za-z0-9_\-.]+$/;

export class SkillGapService {
  constructor(
    private readonly repository: GapRepository,
    private readonly options: { readonly minGroupSize: number },
    private readonly exists: { candidate(id: string): Promise<boolean> },
  ) {}

  async skillGap(candidateId: string, target: GapTarget): Promise<SkillGapResult> {
    requireId(candidateId, 'candidateId');
    const { vacancyId, occupationUri } = target;
    if ((vacancyId == null) === (occupationUri == null)) {
      throw new BadUserInputError('target needs exactly one of vacancyId or occupationUri', {
        argument: 'target',
      });
    }
    await this.requireCandidate(candidateId);
    if (vacancyId != null) {
      const requirements = await this.vacancyRequirements(vacancyId);
      return this.gapAgainst(candidateId, requirements.requirements, {
        kind: 'VACANCY',
        vacancyId,
        occupationUri: null,
      });
    }
    const occupation = await this.occupationRequirements(occupationUri ?? '');
    return this.gapAgainst(candidateId, occupation.requirements, {
      kind: 'OCCUPATION',
      vacancyId: null,
      occupationUri: occupation.uri,
    });
  }

  async threeWayGap(candidateId: string, vacancyId: string): Promise<ThreeWayGapResult> {
    requireId(candidateId, 'candidateId');
    await this.requireCandidate(candidateId);
    const vacancy = await this.vacancyRequirements(vacancyId);
    const occupation = vacancy.occupationUri
      ? await this.occupationRequirements(vacancy.occupationUri)
      : null;
    const esco = new Map((occupation?.requirements ?? []).map((r) => [r.uri, r]));
    const asked = new Set(vacancy.requirements.map((r) => r.uri));
    const [againstVacancy, againstOccupation] = await Promise.all([
      this.gapAgainst(candidateId, vacancy.requirements, { kind: 'VACANCY', vacancyId, occupationUri: null }),
      occupation
        ? this.gapAgainst(candidateId, occupation.requirements, {
            kind: 'OCCUPATION',
            vacancyId: null,
            occupationUri: occupation.uri,
          })
        : Promise.resolve(null),
    ]);
    return {
      candidateId,
      vacancyId,
      occupationUri: occupation?.uri ?? null,
      vacancySkillsBeyondEsco: occupation ? vacancy.requirements.filter((r) => !esco.has(r.uri)) : [],
      escoEssentialsOmitted: (occupation?.requirements ?? []).filter(
        (r) => r.relation === 'essential' && !asked.has(r.uri),
      ),
      againstVacancy,
      againstOccupation,
    };
  }

  async careerPaths(candidateId: string, k: number, iscoGroup: string | null): Promise<CareerPathsResult> {
    requireId(candidateId, 'candidateId');
    requireInRange(k, 'k', { min: 1, max: 50 });
    if (iscoGroup !== null && !/^\d{1,4}$/.test(iscoGroup)) {
      throw new BadUserInputError('filter.iscoGroup must be an ISCO code of 1 to 4 digits', {
        argument: 'filter.iscoGroup',
      });
    }
    await this.requireCandidate(candidateId);
    // Exact weighted coverage finds the neighbourhood; partial credit then re-orders it.
    const shortlist = await this.repository.careerOccupations(candidateId, iscoGroup, Math.max(3 * k, 30));
    const requirements = await this.repository.occupationRequirements(shortlist.map((s) => s.uri));
    const allSkills = new Set<string>();
    for (const o of requirements.values()) for (const r of o.requirements) allSkills.add(r.uri);
    const evidence = await this.repository.candidateEvidence(candidateId, [...allSkills]);
    const scored = shortlist
      .map((s) => {
        const occupation = requirements.get(s.uri);
        const match = matchSkills(occupation?.requirements ?? [], evidence);
        return { uri: s.uri, match, exact: s.exactWeightedCoverage };
      })
      .sort(
        (a, b) =>
          b.match.weightedEssentialCoverage - a.match.weightedEssentialCoverage ||
          b.exact - a.exact ||
          a.uri.localeCompare(b.uri),
      )
      .slice(0, k);
    const opening = new Map<string, { skill: RequirementRow; paths: number }>();
    for (const s of scored) {
      for (const m of s.match.missingEssential) {
        const entry = opening.get(m.requirement.uri) ?? { skill: m.requirement, paths: 0 };
        entry.paths += 1;
        opening.set(m.requirement.uri, entry);
      }
    }
    return {
      candidateId,
      paths: scored.map((s) => ({
        occupationUri: s.uri,
        weightedCoverage: s.match.weightedEssentialCoverage,
        essentialCoverage: s.match.essentialCoverage,
        missingEssential: s.match.missingEssential.map((m) => m.requirement),
      })),
      skillsOpeningMostPaths: [...opening.values()]
        .sort(
          (a, b) =>
            b.paths - a.paths ||
            b.skill.specificity - a.skill.specificity ||
            a.skill.label.localeCompare(b.skill.label),
        )
        .slice(0, 10),
    };
  }

  async skillDemand(filter: {
    occupationUri?: string | null;
    iscoGroup?: string | null;
    region?: string | null;
    since?: string | null;
    /** Number of skills; its default is the schema's. */
    first: number;
  }): Promise<SkillDemandResult> {
    const first = requireInRange(filter.first, 'first', { min: 1, max: 100 });
    if (filter.occupationUri != null && !ESCO_OCCUPATION.test(filter.occupationUri)) {
      throw new BadUserInputError('filter.occupationUri is not an ESCO occupation URI', {
        argument: 'filter.occupationUri',
      });
    }
    if (filter.iscoGroup != null && !/^\d{1,4}$/.test(filter.iscoGroup)) {
      throw new BadUserInputError('filter.iscoGroup must be an ISCO code of 1 to 4 digits', {
        argument: 'filter.iscoGroup',
      });
    }
    if (filter.since != null && Number.isNaN(Date.parse(filter.since))) {
      throw new BadUserInputError('filter.since must be an ISO-8601 date-time', { argument: 'filter.since' });
    }
    const threshold = this.options.minGroupSize;
    // Over-fetch: rows below the threshold are dropped after counting.
    const rows = await this.repository.skillDemand({
      occupationUri: filter.occupationUri ?? null,
      iscoGroup: filter.iscoGroup ?? null,
      region: filter.region ?? null,
      since: filter.since ?? null,
      limit: first * 3,
    });
    const vacancies = rows[0]?.vacancies ?? 0;
    if (vacancies > 0 && vacancies < threshold) {
      return {
        vacancies: null,
        items: [],
        threshold,
        suppressedCount: rows.length,
        note: `Fewer than ${threshold} open vacancies match: figures suppressed.`,
      };
    }
    const kept = rows.filter((r) => r.demand >= threshold);
    const items = kept.slice(0, first).map((r) => {
      const suppressed = r.supply < threshold;
      return {
        skillUri: r.uri,
        label: r.label,
        demand: r.demand,
        essentialDemand: r.essentialDemand,
        supply: suppressed ? null : r.supply,
        ratio: suppressed ? null : r.demand / r.supply,
        suppressed,
      };
    });
    const suppressedCount = rows.length - kept.length + items.filter((i) => i.suppressed).length;
    return {
      vacancies,
      items,
      threshold,
      suppressedCount,
      note:
        suppressedCount > 0 ? `Groups smaller than ${threshold} are suppressed (${suppressedCount}).` : null,
    };
  }

  async occupationSkillProfile(uri: string): Promise<OccupationProfileResult> {
    if (!ESCO_OCCUPATION.test(uri))
      throw new BadUserInputError('uri is not an ESCO occupation URI', { argument: 'uri' });
    await this.occupationRequirements(uri);
    const threshold = this.options.minGroupSize;
    const profile = await this.repository.occupationProfile(uri);
    if (profile.vacancies < threshold) {
      return {
        occupationUri: uri,
        vacancies: null,
        suppressed: true,
        threshold,
        askedBeyondProfile: [],
        rarelyAsked: [],
        note: `Fewer than ${threshold} vacancies for this occupation: profile suppressed.`,
      };
    }
    const toSkill = (s: ProfileRow): ProfileSkill => ({
      skillUri: s.uri,
      label: s.label,
      askedBy: s.asked,
      share: s.asked / profile.vacancies,
      escoRelation: s.escoRelation,
    });
    const beyond = profile.skills.filter((s) => s.escoRelation === null);
    const beyondShown = beyond.filter((s) => s.asked >= threshold);
    return {
      occupationUri: uri,
      vacancies: profile.vacancies,
      suppressed: false,
      threshold,
      askedBeyondProfile: beyondShown
        .map(toSkill)
        .sort((a, b) => b.askedBy - a.askedBy || a.label.localeCompare(b.label)),
      rarelyAsked: profile.skills
        .filter((s) => s.escoRelation === 'essential' && s.asked / profile.vacancies < RARELY_ASKED_SHARE)
        .map(toSkill)
        .sort((a, b) => a.askedBy - b.askedBy || a.label.localeCompare(b.label)),
      note:
        beyond.length > beyondShown.length
          ? `${beyond.length - beyondShown.length} skills asked by fewer than ${threshold} vacancies are not shown.`
          : null,
    };
  }

  private async gapAgainst(
    candidateId: string,
    requirements: readonly RequirementRow[],
    target: SkillGapResult['target'],
  ): Promise<SkillGapResult> {
    const evidence = (
      await this.repository.skillEvidence(
        [candidateId],
        requirements.map((r) => r.uri),
      )
    ).get(candidateId) ?? {
      held: [],
      near: [],
    };
    return { candidateId, target, ...matchSkills(requirements, evidence) };
  }

  private async requireCandidate(id: string): Promise<void> {
    if (!(await this.exists.candidate(id))) throw new NotFoundError('Candidate', id);
  }

  private async vacancyRequirements(id: string) {
    requireId(id, 'vacancyId');
    const found = (await this.repository.vacancyRequirements([id])).get(id);
    if (!found) throw new NotFoundError('Vacancy', id);
    return found;
  }

  private async occupationRequirements(uri: string): Promise<OccupationRequirements> {
    if (!ESCO_OCCUPATION.test(uri))
      throw new BadUserInputError('occupationUri is not an ESCO occupation URI', {
        argument: 'occupationUri',
      });
    const found = (await this.repository.occupationRequirements([uri])).get(uri);
    if (!found) throw new NotFoundError('Occupation', uri);
    return found;
  }
}

type ProfileRow = Awaited<ReturnType<GapRepository['occupationProfile']>>['skills'][number];
