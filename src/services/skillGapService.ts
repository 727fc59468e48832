/**
 * Skill-gap analytics: a person against a vacancy or an ESCO occupation, against both at once,
 * career paths, and market demand vs supply. Graph reads come from `GapRepository`; the matching
 * logic is `src/ranking/skillMatch.ts`. Aggregates suppress groups smaller than the configured
 * threshold and say so; no aggregate carries a per-person value.
 */
import { BadUserInputError, NotFoundError } from '../errors.js';
import { createHash } from 'node:crypto';
import type {
  DemandRow,
  DemandRows,
  GapRepository,
  OccupationRequirements,
  RegionRow,
  RequirementRow,
} from '../graph/gap/gapRepository.js';
import { matchRegions, regionKey } from '../domain/region.js';
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

/** Order of `skillDemand`: scarcest first, most plentiful first, or most asked first. */
export type DemandSort = 'SHORTAGE' | 'SURPLUS' | 'VOLUME';

/** An optional requirement counts this much of an essential one in the weighted demand. */
export const OPTIONAL_DEMAND_WEIGHT = 0.5;

export interface DemandItem {
  readonly skillUri: string;
  readonly label: string;
  /** Open vacancies in the facet asking the skill. */
  readonly demand: number;
  readonly essentialDemand: number;
  /** essentialDemand + OPTIONAL_DEMAND_WEIGHT x optional demand. */
  readonly weightedDemand: number;
  /** Candidates in the facet holding it; null when fewer than the threshold (suppressed). */
  readonly supply: number | null;
  /** (supply / candidates) / (weightedDemand / vacancies): 1 balanced, below 1 a shortage. */
  readonly supplyRatio: number | null;
  /** supply / weightedDemand. */
  readonly candidatesPerOpening: number | null;
  /** The former ratio, demand / supply (deprecated in the schema). */
  readonly ratio: number | null;
  readonly suppressed: boolean;
}

export interface SkillDemandResult {
  /** Open vacancies in the facet; null when fewer than the threshold. */
  readonly vacancies: number | null;
  /** Candidates in the facet; null when fewer than the threshold. */
  readonly candidates: number | null;
  /** The region spellings the filter matched (null without a region filter). */
  readonly regions: readonly string[] | null;
  readonly sort: DemandSort;
  /** This page of items, and where it starts in the whole ordered list. */
  readonly items: readonly DemandItem[];
  readonly offset: number;
  readonly totalCount: number;
  /** Opaque cursor of the item at a position of this list (bound to the filter and sort). */
  readonly cursorAt: (position: number) => string;
  readonly threshold: number;
  readonly suppressedCount: number;
  readonly note: string | null;
}

export interface RegionCount {
  readonly name: string;
  /** Stored spellings grouped under the name (they differ in case or spacing only). */
  readonly spellings: readonly string[];
  readonly openVacancies: number | null;
  readonly candidates: number | null;
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
    if (iscoGroup !== null) await this.requireIscoGroup(iscoGroup);
    // Exact weighted coverage finds the neighbourhood; partial credit then re-orders it. The
    // occupations the candidate works or worked as are never proposed (career-occupations).
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

  /**
   * Demand vs supply of skills in one facet (region, occupation or ISCO group, posting date).
   * demand = open vacancies asking the skill, weightedDemand = essential + 0.5 x optional ones;
   * supply = candidates of the same facet holding it (in the region; with an occupation or ISCO
   * group, candidates who work or worked as one in it); supplyRatio = (supply / candidates) /
   * (weightedDemand / vacancies), so the pool sizes cancel out: 1 means as many holders, for the
   * size of the candidate pool, as the vacancies ask for the size of theirs; below 1 a shortage.
   * Skills asked by fewer vacancies than the privacy threshold are left out; a supply below it is
   * suppressed (null) and sorts as the scarcest (SHORTAGE) or last (SURPLUS) without its value.
   */
  async skillDemand(filter: {
    occupationUri?: string | null;
    iscoGroup?: string | null;
    region?: string | null;
    since?: string | null;
    sort: DemandSort;
    /** Page size and cursor; the defaults are the schema's. */
    first: number;
    after?: string | null;
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
    const occupationUri = filter.occupationUri ?? null;
    const iscoGroup = filter.iscoGroup ?? null;
    const since = filter.since ?? null;
    const regions = filter.region != null ? await this.regionSpellings(filter.region) : null;
    if (occupationUri !== null) await this.occupationRequirements(occupationUri);
    if (iscoGroup !== null) await this.requireIscoGroup(iscoGroup);
    const bound = demandQueryKey({ occupationUri, iscoGroup, regions, since, sort: filter.sort });
    const offset = demandOffsetAfter(filter.after ?? null, bound);

    const threshold = this.options.minGroupSize;
    const rows = await this.repository.skillDemand({ occupationUri, iscoGroup, regions, since });
    const base = {
      regions,
      sort: filter.sort,
      offset,
      cursorAt: (position: number) => demandCursor(bound, position),
      threshold,
    };
    if (rows.vacancies > 0 && rows.vacancies < threshold) {
      return {
        ...base,
        vacancies: null,
        candidates: null,
        items: [],
        totalCount: 0,
        suppressedCount: rows.skills.length,
        note: `Fewer than ${threshold} open vacancies match: figures suppressed.`,
      };
    }
    const kept = rows.skills.filter((r) => r.demand >= threshold);
    const ordered = kept.map((r) => toDemandItem(r, rows, threshold)).sort(DEMAND_ORDER[filter.sort]);
    const suppressedCount = rows.skills.length - kept.length + ordered.filter((i) => i.suppressed).length;
    return {
      ...base,
      vacancies: rows.vacancies,
      candidates: rows.candidates >= threshold ? rows.candidates : null,
      items: ordered.slice(offset, offset + first),
      totalCount: ordered.length,
      suppressedCount,
      note:
        suppressedCount > 0 ? `Groups smaller than ${threshold} are suppressed (${suppressedCount}).` : null,
    };
  }

  /**
   * Every region vacancies or candidates name, spellings that differ only in case or spacing
   * grouped under the most common one; counts below the privacy threshold are null.
   */
  async regions(): Promise<RegionCount[]> {
    const threshold = this.options.minGroupSize;
    const groups = new Map<string, RegionRow[]>();
    for (const row of await this.repository.regions()) {
      const key = regionKey(row.name);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return [...groups.values()]
      .map((rows) => {
        const total = (f: (r: RegionRow) => number) => rows.reduce((sum, r) => sum + f(r), 0);
        const shown = (n: number) => (n >= threshold ? n : null);
        const main = [...rows].sort(
          (a, b) =>
            b.openVacancies + b.candidates - (a.openVacancies + a.candidates) || a.name.localeCompare(b.name),
        )[0];
        return {
          name: main?.name ?? '',
          spellings: rows.map((r) => r.name).sort(),
          openVacancies: shown(total((r) => r.openVacancies)),
          candidates: shown(total((r) => r.candidates)),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
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

  private async requireIscoGroup(code: string): Promise<void> {
    if (!(await this.repository.iscoGroupKnown(code))) throw new NotFoundError('ISCO group', code);
  }

  /** The stored spellings of a region, matched case-insensitively; NOT_FOUND when none. */
  private async regionSpellings(region: string): Promise<string[]> {
    const found = matchRegions(
      region,
      (await this.repository.regions()).map((r) => r.name),
    );
    if (found.length === 0) throw new NotFoundError('Region', region);
    return found;
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

function toDemandItem(r: DemandRow, rows: DemandRows, threshold: number): DemandItem {
  const weightedDemand = r.essentialDemand + OPTIONAL_DEMAND_WEIGHT * (r.demand - r.essentialDemand);
  const suppressed = r.supply < threshold;
  const supplyShare = rows.candidates > 0 ? r.supply / rows.candidates : 0;
  const demandShare = rows.vacancies > 0 ? weightedDemand / rows.vacancies : 0;
  return {
    skillUri: r.uri,
    label: r.label,
    demand: r.demand,
    essentialDemand: r.essentialDemand,
    weightedDemand,
    supply: suppressed ? null : r.supply,
    supplyRatio: suppressed || demandShare === 0 ? null : supplyShare / demandShare,
    candidatesPerOpening: suppressed || weightedDemand === 0 ? null : r.supply / weightedDemand,
    ratio: suppressed ? null : r.demand / r.supply,
    suppressed,
  };
}

type DemandOrder = (a: DemandItem, b: DemandItem) => number;
const byVolume: DemandOrder = (a, b) =>
  b.weightedDemand - a.weightedDemand || b.demand - a.demand || a.skillUri.localeCompare(b.skillUri);
/** Suppressed supplies (fewer holders than the threshold) order by demand only, never by their value. */
const DEMAND_ORDER: Readonly<Record<DemandSort, DemandOrder>> = {
  VOLUME: byVolume,
  SHORTAGE: (a, b) =>
    Number(b.suppressed) - Number(a.suppressed) ||
    (a.supplyRatio ?? 0) - (b.supplyRatio ?? 0) ||
    byVolume(a, b),
  SURPLUS: (a, b) =>
    Number(a.suppressed) - Number(b.suppressed) ||
    (b.supplyRatio ?? 0) - (a.supplyRatio ?? 0) ||
    byVolume(a, b),
};

/** What a skillDemand cursor is bound to: the facet (as matched) and the order. */
function demandQueryKey(query: {
  occupationUri: string | null;
  iscoGroup: string | null;
  regions: readonly string[] | null;
  since: string | null;
  sort: DemandSort;
}): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}

function demandCursor(bound: string, position: number): string {
  return Buffer.from(`sd1:${bound}:${position}`, 'utf8').toString('base64url');
}

/** Position after the cursor's item; a cursor of another filter or sort is refused. */
function demandOffsetAfter(after: string | null, bound: string): number {
  if (after === null) return 0;
  const match = /^sd1:([A-Za-z0-9_-]{16}):(\d{1,9})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match || demandCursor(match[1] ?? '', Number(match[2])) !== after) {
    throw new BadUserInputError(
      'after is not a skillDemand cursor: pass a pageInfo.endCursor from a previous page of the same query',
      { argument: 'after' },
    );
  }
  if (match[1] !== bound) {
    throw new BadUserInputError(
      'after is a cursor of another skillDemand query (other filter or sort): page with the same arguments',
      { argument: 'after' },
    );
  }
  return Number(match[2]) + 1;
}
