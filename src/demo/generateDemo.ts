/**
 * A deterministic, realistic demo dataset over an ESCO snapshot: candidates, vacancies and
 * application outcomes as `PeopleRecord`s, plus graded fit labels for ranking evaluation.
 * See `README.md` in this folder for the model; `hiddenFit.ts` for the ground truth.
 *
 * Pure: the same snapshot and options always give the same records, byte for byte. No clock, no
 * `Math.random`: every entity draws from its own seeded stream (`random.ts`).
 *
 * Memory: vacancies (M) are held; candidates (N) never are. A candidate is a pure function of
 * (seed, index), so each pass regenerates it. Output is produced by generators, so 100k+ candidates
 * stream in memory proportional to M, not N. Applications need one silent pass first (who gets
 * hired at each closed vacancy, and the best-fitting non-applicants per vacancy); it runs lazily,
 * once per `generateDemo` call, when applications or fit labels are first read.
 */
import type { ApplicationStatus, PeopleRecord } from '../domain/peopleInput.js';
import type { EscoSnapshot, SnapshotOccupation, SnapshotSkill } from './escoSnapshot.js';
import { Phrasebook } from './demoText.js';
import {
  combineFit,
  fitNoise,
  occupationCloseness,
  relevanceOf,
  type OccupationRef,
  type Relevance,
} from './hiddenFit.js';
import { type Random, WeightedTable, hashInts, itemAt, streamFor } from './random.js';
import {
  AGE_BANDS,
  DEFAULT_FEMALE_SHARE,
  DEFAULT_GROUP_WEIGHT,
  FEMALE_FIRST_NAMES,
  FEMALE_SHARE_BY_SUBMAJOR,
  ISCO_SUBMAJOR_WEIGHTS,
  MALE_FIRST_NAMES,
  NEUTRAL_FIRST_NAMES,
  NONBINARY_SHARE,
  ORGANIZATIONS,
  REGIONS,
  SURNAMES,
  UNDISCLOSED_SHARE,
} from './vocabulary.js';

export interface DemoOptions {
  /** Number of candidates (default 10,000). */
  readonly candidates?: number;
  /** Number of vacancies (default 1,000). */
  readonly vacancies?: number;
  /** Any non-negative safe integer (default 42). */
  readonly seed?: number;
  /**
   * 0..1 (default 0): a woman's chance to be hired is multiplied by (1 - outcomeBias), so a
   * fairness audit has a real disparity to find. 0 means outcomes ignore gender.
   */
  readonly outcomeBias?: number;
  /** The generated world's "now" (ISO date-time): postings fall in the 18 months before it. */
  readonly asOf?: string;
  /** Best-fitting non-applicants labelled per vacancy in the fit file (default 20). */
  readonly fitTopPerVacancy?: number;
  /** Random non-applicants labelled per vacancy in the fit file (default 20). */
  readonly fitRandomPerVacancy?: number;
}

export type ResolvedDemoOptions = Required<DemoOptions>;

/** Fixed, so that a seed reproduces the same files on any day; pass `asOf` to move the window. */
export const DEFAULT_AS_OF = '2026-11-01T00:00:00.000Z';

export const DEFAULT_DEMO_OPTIONS: ResolvedDemoOptions = {
  candidates: 10_000,
  vacancies: 1_000,
  seed: 42,
  outcomeBias: 0,
  asOf: DEFAULT_AS_OF,
  fitTopPerVacancy: 20,
  fitRandomPerVacancy: 20,
};

/** A graded label for one candidate–vacancy pair; kept out of the graph (it is the answer key). */
export interface FitRecord {
  readonly vacancyId: string;
  readonly candidateId: string;
  /** The hidden fit, 0..1, rounded to 4 decimals. */
  readonly fit: number;
  readonly relevance: Relevance;
}

export interface DemoData {
  readonly options: ResolvedDemoOptions;
  /** Candidates, then vacancies, then applications. Re-iterable; each iteration regenerates. */
  readonly records: Iterable<PeopleRecord>;
  /** Every application's pair first, then per vacancy its top and random non-applicant samples. */
  readonly fit: Iterable<FitRecord>;
}

type CandidateRecord = Extract<PeopleRecord, { type: 'candidate' }>;
type VacancyRecord = Extract<PeopleRecord, { type: 'vacancy' }>;
type ApplicationRecord = Extract<PeopleRecord, { type: 'application' }>;
type Gender = 'female' | 'male' | 'nonbinary' | 'undisclosed';
type AgeBand = (typeof AGE_BANDS)[number]['band'];

export function candidateId(index: number): string {
  return `cand-${String(index + 1).padStart(6, '0')}`;
}

export function vacancyId(index: number): string {
  return `vac-${String(index + 1).padStart(5, '0')}`;
}

export function organizationId(index: number): string {
  return `org-${String(index + 1).padStart(3, '0')}`;
}

export function generateDemo(snapshot: EscoSnapshot, options: DemoOptions = {}): DemoData {
  const resolved = resolveDemoOptions(options);
  const world = new DemoWorld(snapshot, resolved);
  return {
    options: resolved,
    records: { [Symbol.iterator]: () => world.records() },
    fit: { [Symbol.iterator]: () => world.fitRecords() },
  };
}

/** Fills in defaults and checks ranges; throws a `RangeError` naming the bad option. */
export function resolveDemoOptions(options: DemoOptions): ResolvedDemoOptions {
  const o = { ...DEFAULT_DEMO_OPTIONS, ...stripUndefined(options) };
  const checkInt = (name: string, value: number, max: number) => {
    if (!Number.isSafeInteger(value) || value < 0 || value > max) {
      throw new RangeError(`${name} must be an integer between 0 and ${max} (got ${value})`);
    }
  };
  checkInt('candidates', o.candidates, 99_999_999);
  checkInt('vacancies', o.vacancies, 9_999_999);
  checkInt('seed', o.seed, Number.MAX_SAFE_INTEGER);
  checkInt('fitTopPerVacancy', o.fitTopPerVacancy, 10_000);
  checkInt('fitRandomPerVacancy', o.fitRandomPerVacancy, 10_000);
  if (!(o.outcomeBias >= 0 && o.outcomeBias <= 1)) {
    throw new RangeError(`outcomeBias must be between 0 and 1 (got ${o.outcomeBias})`);
  }
  if (Number.isNaN(Date.parse(o.asOf)))
    throw new RangeError(`asOf must be an ISO date-time (got "${o.asOf}")`);
  return o;
}

/** `{ seed: undefined }` means "the default", as a CLI that did not get the flag passes it. */
function stripUndefined(options: DemoOptions): DemoOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

// ---------------------------------------------------------------------------------------------
// Tunables of the simulated world. Shares are probabilities; ranges are [min, max).

const DAY_MS = 86_400_000;
/** How many vacancies a candidate applies to: 0..6. Mean ≈ 2.3. */
const APPLICATION_COUNT_WEIGHTS = [15, 22, 20, 16, 12, 9, 6];
/**
 * Where an application goes, in percent: the same occupation, ISCO unit group, minor group or
 * sub-major group as one of the candidate's occupations, or anywhere. An empty pool falls back to
 * the next broader one.
 */
const APPLICATION_TARGET_WEIGHTS = [45, 25, 12, 5, 13];
/** Neighbour occupations (WORKED_AS besides the main one): 0, 1 or 2. */
const NEIGHBOUR_COUNT_WEIGHTS = [50, 33, 17];
/** Most candidates hold 60-95 % of their occupation's essential skills; some are career changers. */
const STRONG_PROFILE_SHARE = 0.9;
const MAX_EXTRACTED_SKILLS = 8;
const OPEN_VACANCY_SHARE = 0.85;
const POSTING_WINDOW_DAYS = 548;

/** A candidate as the simulation sees it: indices into the snapshot, no text. */
interface CandidateProfile {
  readonly index: number;
  /** Main occupation first. */
  readonly occupations: readonly { readonly occupation: number; readonly years: number }[];
  readonly skills: readonly {
    readonly skill: number;
    readonly extracted: boolean;
    readonly level?: number;
  }[];
  readonly gender: Gender;
  readonly ageBand: AgeBand;
  readonly yearsExperience: number;
  readonly region: string;
}

interface VacancyPlan {
  readonly index: number;
  readonly occupation: number;
  readonly open: boolean;
  readonly postedAtMs: number;
  readonly region: string;
  readonly organization: number;
  readonly essential: readonly number[];
  readonly optional: readonly number[];
}

/** One planned application: the pair, its hidden fit and the draws that decide its outcome. */
interface PlannedApplication {
  readonly vacancy: number;
  readonly fit: number;
  /** Passed the (possibly gender-biased) hiring bar; the best such applicant of a closed vacancy is hired. */
  readonly hireable: boolean;
  /** Uniform draws in [0, 1), all made whatever the outcome, so a candidate's stream never shifts. */
  readonly draws: {
    readonly withdraw: number;
    readonly progress: number;
    readonly branch: number;
    readonly at: number;
    readonly update: number;
  };
}

/** What the silent pass over all candidates learns. */
interface Prepared {
  /** Per vacancy: the hired candidate's index, or -1. */
  readonly hired: Int32Array;
  /** Per vacancy: labelled non-applicant pairs, best-fitting first, then random ones. */
  readonly samples: readonly (readonly { readonly candidate: number; readonly fit: number }[])[];
}

class DemoWorld {
  private readonly occupations: readonly SnapshotOccupation[];
  private readonly skills: readonly SnapshotSkill[];
  private readonly seed: number;
  private readonly asOfMs: number;
  /** Occupations with at least one essential skill (the others cannot anchor a profile or posting). */
  private readonly eligible: Int32Array;
  private readonly occupationTable: WeightedTable;
  private readonly regionTable: WeightedTable;
  private readonly occupationsByUnit = new Map<string, number[]>();
  private readonly occupationsByMinor = new Map<string, number[]>();
  private readonly vacancies: readonly VacancyPlan[];
  private readonly vacanciesByOccupation = new Map<number, number[]>();
  private readonly vacanciesByUnit = new Map<string, number[]>();
  private readonly vacanciesByMinor = new Map<string, number[]>();
  private readonly vacanciesBySubMajor = new Map<string, number[]>();
  /** Skill → vacancies listing it as essential / optional (postings for counting overlaps). */
  private readonly essentialPostings = new Map<number, number[]>();
  private readonly optionalPostings = new Map<number, number[]>();
  /** Per occupation index: itself as an `OccupationRef`, so closeness allocates nothing. */
  private readonly occupationRefs: readonly OccupationRef[];
  /** Scratch: 1 for the skills of the candidate being scored. Always cleared before returning. */
  private readonly skillMarks: Uint8Array;
  private readonly phrasebook: Phrasebook;
  private prepared: Prepared | undefined;

  constructor(
    snapshot: EscoSnapshot,
    private readonly options: ResolvedDemoOptions,
  ) {
    this.occupations = snapshot.occupations;
    this.skills = snapshot.skills;
    // Fold a seed of up to 53 bits into 32 without losing the high half.
    this.seed = hashInts(options.seed % 2 ** 32, Math.floor(options.seed / 2 ** 32));
    this.asOfMs = Date.parse(options.asOf);
    this.skillMarks = new Uint8Array(this.skills.length);
    this.phrasebook = new Phrasebook(this.skills);

    const eligible: number[] = [];
    this.occupationRefs = this.occupations.map((o, index) => ({ index, iscoGroup: o.iscoGroup }));
    this.occupations.forEach((o, i) => {
      if (o.essential.length > 0) eligible.push(i);
      pushTo(this.occupationsByUnit, o.iscoGroup, i);
      pushTo(this.occupationsByMinor, o.iscoGroup.slice(0, 3), i);
    });
    if (eligible.length === 0) throw new RangeError('the snapshot has no occupation with essential skills');
    this.eligible = Int32Array.from(eligible);
    this.occupationTable = new WeightedTable(this.occupationWeights());
    this.regionTable = new WeightedTable(REGIONS.map((r) => r.weight));

    const vacancies: VacancyPlan[] = [];
    for (let v = 0; v < options.vacancies; v++) vacancies.push(this.planVacancy(v));
    this.vacancies = vacancies;
    for (const vacancy of vacancies) {
      const o = this.occupation(vacancy.occupation);
      pushTo(this.vacanciesByOccupation, vacancy.occupation, vacancy.index);
      pushTo(this.vacanciesByUnit, o.iscoGroup, vacancy.index);
      pushTo(this.vacanciesByMinor, o.iscoGroup.slice(0, 3), vacancy.index);
      pushTo(this.vacanciesBySubMajor, o.iscoGroup.slice(0, 2), vacancy.index);
      for (const s of vacancy.essential) pushTo(this.essentialPostings, s, vacancy.index);
      for (const s of vacancy.optional) pushTo(this.optionalPostings, s, vacancy.index);
    }
  }

  // -- public passes ---------------------------------------------------------------------------

  *records(): Generator<PeopleRecord> {
    for (let i = 0; i < this.options.candidates; i++) yield this.candidateRecord(this.profile(i));
    for (const vacancy of this.vacancies) yield this.vacancyRecord(vacancy);
    const { hired } = this.prepare();
    for (let i = 0; i < this.options.candidates; i++) {
      for (const application of this.planApplications(this.profile(i))) {
        yield this.applicationRecord(i, application, hired[application.vacancy] === i);
      }
    }
  }

  *fitRecords(): Generator<FitRecord> {
    const { samples } = this.prepare();
    for (let i = 0; i < this.options.candidates; i++) {
      for (const application of this.planApplications(this.profile(i))) {
        yield toFitRecord(application.vacancy, i, application.fit);
      }
    }
    for (let v = 0; v < samples.length; v++) {
      for (const pair of samples[v] ?? []) yield toFitRecord(v, pair.candidate, pair.fit);
    }
  }

  // -- occupations -----------------------------------------------------------------------------

  /**
   * Popularity per eligible occupation: its ISCO sub-major group's weight, shared among the
   * group's occupations by a heavy-tailed (log-normal) draw, so a few occupations per group are
   * common and many candidates share them.
   */
  private occupationWeights(): Float64Array {
    const draws = new Float64Array(this.eligible.length);
    const groupTotals = new Map<string, number>();
    this.eligible.forEach((o, k) => {
      const rng = streamFor(this.seed, 'occupation-popularity', o);
      draws[k] = Math.exp(1.3 * rng.normal());
      const group = this.occupation(o).iscoGroup.slice(0, 2);
      groupTotals.set(group, (groupTotals.get(group) ?? 0) + (draws[k] ?? 0));
    });
    return draws.map((d, k) => {
      const group = this.occupation(itemAt(this.eligible, k)).iscoGroup.slice(0, 2);
      const weight = ISCO_SUBMAJOR_WEIGHTS[group] ?? DEFAULT_GROUP_WEIGHT;
      return (weight * d) / (groupTotals.get(group) ?? 1);
    });
  }

  private occupation(index: number): SnapshotOccupation {
    return itemAt(this.occupations, index);
  }

  private drawOccupation(rng: Random): number {
    return itemAt(this.eligible, this.occupationTable.draw(rng));
  }

  // -- candidates ------------------------------------------------------------------------------

  /** Candidate `index`, regenerated from its own stream (identical on every call). */
  private profile(index: number): CandidateProfile {
    const rng = streamFor(this.seed, 'candidate', index);
    const main = this.drawOccupation(rng);
    const mainOccupation = this.occupation(main);
    const age = itemAt(AGE_BANDS, rng.weightedIndex(AGE_BANDS.map((a) => a.weight)));
    const yearsExperience = rng.intBetween(age.minYears, age.maxYears);
    const gender = drawGender(rng, mainOccupation.iscoGroup.slice(0, 2));

    // Neighbours: mostly the same unit group, else the same minor group (related, not identical work).
    const neighbourCount = rng.weightedIndex(NEIGHBOUR_COUNT_WEIGHTS);
    const sameUnit = (this.occupationsByUnit.get(mainOccupation.iscoGroup) ?? []).filter((o) => o !== main);
    const sameMinor = (this.occupationsByMinor.get(mainOccupation.iscoGroup.slice(0, 3)) ?? []).filter(
      (o) => o !== main,
    );
    const pool = sameUnit.length > 0 && rng.chance(0.65) ? sameUnit : sameMinor;
    const neighbours = rng.sample(pool, neighbourCount);
    const mainYears =
      neighbours.length === 0 ? yearsExperience : Math.round(yearsExperience * rng.between(0.5, 0.85));
    const occupations = [{ occupation: main, years: mainYears }];
    let yearsLeft = yearsExperience - mainYears;
    for (const [k, n] of neighbours.entries()) {
      const years = k === neighbours.length - 1 ? yearsLeft : Math.round(yearsLeft * rng.between(0.3, 0.7));
      occupations.push({ occupation: n, years: Math.max(0, years) });
      yearsLeft -= years;
    }

    // Skills: most essential skills of the main occupation, a few of the neighbours', some optional
    // ones, and noise from anywhere in the taxonomy (people list odd things).
    const chosen = new Set<number>();
    const take = (from: ArrayLike<number>, k: number) => {
      for (const s of rng.sample(from, k)) chosen.add(s);
    };
    const essentialShare = rng.chance(STRONG_PROFILE_SHARE) ? rng.between(0.6, 0.95) : rng.between(0.3, 0.6);
    const { essential, optional } = mainOccupation;
    take(essential, Math.max(1, Math.round(essentialShare * essential.length)));
    for (const n of neighbours) {
      const e = this.occupation(n).essential;
      take(e, Math.min(8, Math.round(rng.between(0.15, 0.4) * e.length)));
    }
    take(optional, Math.min(12, Math.round(rng.between(0.05, 0.35) * optional.length)));
    const noise = rng.intBetween(1, 3);
    for (let k = 0; k < noise && this.skills.length > 0; k++) chosen.add(rng.int(this.skills.length));

    let extractedCount = 0;
    // Shuffled: a CV lists skills in no particular order, and list position must not leak which
    // skills are essential.
    const skills = rng.sample([...chosen], Infinity).map((skill) => {
      const extracted = extractedCount < MAX_EXTRACTED_SKILLS && rng.chance(0.2);
      if (extracted) extractedCount += 1;
      // Self-rated levels only on some declared skills; they grow with experience.
      const level =
        !extracted && rng.chance(0.5)
          ? clamp(Math.round(1 + yearsExperience / 8 + rng.normal() * 0.8), 1, 5)
          : undefined;
      return level === undefined ? { skill, extracted } : { skill, extracted, level };
    });
    const region = itemAt(REGIONS, this.regionTable.draw(rng)).name;
    return { index, occupations, skills, gender, ageBand: age.band, yearsExperience, region };
  }

  private candidateRecord(profile: CandidateProfile): CandidateRecord {
    // Text draws from a stream of its own, so the simulation never pays for writing prose.
    const rng = streamFor(this.seed, 'candidate-text', profile.index);
    const extracted = profile.skills.filter((s) => s.extracted).map((s) => s.skill);
    const declared = profile.skills.filter((s) => !s.extracted).map((s) => s.skill);
    // Extracted skills are, by definition, found in the text: the summary must mention them.
    const mentioned = rng.sample([...extracted, ...rng.sample(declared, rng.intBetween(2, 5))], Infinity);
    const [main, previous] = profile.occupations;
    const summary = this.phrasebook.summary(rng, {
      occupation: this.occupation(main?.occupation ?? 0),
      previous: previous ? this.occupation(previous.occupation) : undefined,
      yearsExperience: profile.yearsExperience,
      region: profile.region,
      mentioned: mentioned.map((s) => itemAt(this.skills, s)),
    });
    return {
      type: 'candidate',
      id: candidateId(profile.index),
      displayName: `${rng.pick(firstNamesFor(profile.gender, rng))} ${rng.pick(SURNAMES)}`,
      region: profile.region,
      yearsExperience: profile.yearsExperience,
      summary,
      skills: profile.skills.map((s) => ({
        uri: itemAt(this.skills, s.skill).uri,
        source: s.extracted ? 'extracted' : 'declared',
        ...(s.level === undefined ? {} : { level: s.level }),
      })),
      occupations: profile.occupations.map((o) => ({
        uri: this.occupation(o.occupation).uri,
        years: o.years,
      })),
      sensitive: { gender: profile.gender, ageBand: profile.ageBand },
    };
  }

  // -- vacancies -------------------------------------------------------------------------------

  private planVacancy(index: number): VacancyPlan {
    const rng = streamFor(this.seed, 'vacancy', index);
    const occupation = this.drawOccupation(rng);
    const o = this.occupation(occupation);
    const open = rng.chance(OPEN_VACANCY_SHARE);
    // Open postings skew recent; closed ones are older and had time to run their course.
    const ageDays = open
      ? 2 + (POSTING_WINDOW_DAYS - 2) * rng.next() ** 1.6
      : 21 + (POSTING_WINDOW_DAYS - 21) * rng.next() ** 0.8;
    const postedAtMs = roundTo(this.asOfMs - ageDays * DAY_MS, 60_000);
    const focused = ORGANIZATIONS.flatMap((org, k) =>
      org.focus.some((prefix) => o.iscoGroup.startsWith(prefix)) ? [k] : [],
    );
    const organization =
      focused.length > 0 && rng.chance(0.75) ? rng.pick(focused) : rng.int(ORGANIZATIONS.length);
    const region = rng.chance(0.7)
      ? itemAt(ORGANIZATIONS, organization).region
      : itemAt(REGIONS, this.regionTable.draw(rng)).name;
    const essentialCount = Math.min(20, Math.max(1, Math.round(rng.between(0.5, 0.9) * o.essential.length)));
    const optionalCount = Math.min(8, Math.round(rng.between(0, 0.35) * o.optional.length));
    return {
      index,
      occupation,
      open,
      postedAtMs,
      region,
      organization,
      essential: rng.sample(o.essential, essentialCount).sort((a, b) => a - b),
      optional: rng.sample(o.optional, optionalCount).sort((a, b) => a - b),
    };
  }

  private vacancyRecord(vacancy: VacancyPlan): VacancyRecord {
    const rng = streamFor(this.seed, 'vacancy-text', vacancy.index);
    const occupation = this.occupation(vacancy.occupation);
    const organization = itemAt(ORGANIZATIONS, vacancy.organization);
    const title = this.phrasebook.vacancyTitle(rng, occupation);
    // The prose names only part of the structured skills, as real postings do.
    const essential = rng.sample(
      vacancy.essential,
      Math.min(8, Math.ceil(vacancy.essential.length * rng.between(0.5, 1))),
    );
    const optional = rng.sample(vacancy.optional, Math.min(3, vacancy.optional.length));
    const description = this.phrasebook.vacancyDescription(rng, title, {
      organization: organization.name,
      region: vacancy.region,
      essential: essential.map((s) => itemAt(this.skills, s)),
      optional: optional.map((s) => itemAt(this.skills, s)),
    });
    return {
      type: 'vacancy',
      id: vacancyId(vacancy.index),
      title,
      description,
      region: vacancy.region,
      status: vacancy.open ? 'OPEN' : 'CLOSED',
      organization: { id: organizationId(vacancy.organization), name: organization.name },
      occupation: { uri: occupation.uri },
      skills: [
        ...vacancy.essential.map((s) => ({
          uri: itemAt(this.skills, s).uri,
          relation: 'essential' as const,
        })),
        ...vacancy.optional.map((s) => ({ uri: itemAt(this.skills, s).uri, relation: 'optional' as const })),
      ],
      postedAt: new Date(vacancy.postedAtMs).toISOString(),
    };
  }

  private vacancy(index: number): VacancyPlan {
    return itemAt(this.vacancies, index);
  }

  // -- applications ----------------------------------------------------------------------------

  /** The candidate's applications with fits and outcome draws (identical on every call). */
  private planApplications(profile: CandidateProfile): PlannedApplication[] {
    if (this.vacancies.length === 0) return [];
    const rng = streamFor(this.seed, 'applications', profile.index);
    const count = rng.weightedIndex(APPLICATION_COUNT_WEIGHTS);
    const chosen: number[] = [];
    for (let attempt = 0; chosen.length < count && attempt < count * 4; attempt++) {
      const v = this.pickVacancyNear(rng, profile);
      if (!chosen.includes(v)) chosen.push(v);
    }
    const biasFactor = profile.gender === 'female' ? 1 - this.options.outcomeBias : 1;
    return this.withSkillMarks(profile, () =>
      chosen.map((v) => {
        const fit = this.fitOf(profile, v);
        const draws = {
          withdraw: rng.next(),
          progress: rng.next(),
          branch: rng.next(),
          at: rng.next(),
          update: rng.next(),
        };
        const hireable = rng.next() < hireProbability(fit) * biasFactor;
        return { vacancy: v, fit, hireable, draws };
      }),
    );
  }

  /**
   * Mostly vacancies near the candidate's own work (mostly their main occupation, sometimes a
   * neighbour), falling back to broader pools when a pool is empty; some anywhere.
   */
  private pickVacancyNear(rng: Random, profile: CandidateProfile): number {
    const held = rng.chance(0.8) ? itemAt(profile.occupations, 0) : rng.pick(profile.occupations);
    const group = this.occupation(held.occupation).iscoGroup;
    const pools = [
      this.vacanciesByOccupation.get(held.occupation),
      this.vacanciesByUnit.get(group),
      this.vacanciesByMinor.get(group.slice(0, 3)),
      this.vacanciesBySubMajor.get(group.slice(0, 2)),
    ];
    for (let level = rng.weightedIndex(APPLICATION_TARGET_WEIGHTS); level < pools.length; level++) {
      const pool = pools[level];
      if (pool && pool.length > 0) return rng.pick(pool);
    }
    return rng.int(this.vacancies.length);
  }

  /** Runs `work` with the candidate's skills marked in `skillMarks`, clearing them afterwards. */
  private withSkillMarks<T>(profile: CandidateProfile, work: () => T): T {
    for (const s of profile.skills) this.skillMarks[s.skill] = 1;
    try {
      return work();
    } finally {
      for (const s of profile.skills) this.skillMarks[s.skill] = 0;
    }
  }

  /** The hidden fit (see hiddenFit.ts); call inside `withSkillMarks` for this profile. */
  private fitOf(profile: CandidateProfile, vacancyIndex: number): number {
    const vacancy = this.vacancy(vacancyIndex);
    const marks = this.skillMarks;
    let essentialHits = 0;
    for (const s of vacancy.essential) essentialHits += marks[s] ?? 0;
    let optionalHits = 0;
    for (const s of vacancy.optional) optionalHits += marks[s] ?? 0;
    return this.fitFromHits(profile, vacancyIndex, essentialHits, optionalHits);
  }

  /**
   * The hidden fit from the numbers of the vacancy's essential and optional skills the candidate
   * holds. The one place the formula is applied, so every path gives bit-identical fits.
   */
  private fitFromHits(
    profile: CandidateProfile,
    vacancyIndex: number,
    essentialHits: number,
    optionalHits: number,
  ): number {
    const vacancy = this.vacancy(vacancyIndex);
    const essentialCoverage = vacancy.essential.length > 0 ? essentialHits / vacancy.essential.length : 0;
    const optionalCoverage =
      vacancy.optional.length > 0 ? optionalHits / vacancy.optional.length : essentialCoverage;
    const target = itemAt(this.occupationRefs, vacancy.occupation);
    let closeness = 0;
    for (const o of profile.occupations) {
      closeness = Math.max(closeness, occupationCloseness(itemAt(this.occupationRefs, o.occupation), target));
    }
    return combineFit(
      essentialCoverage,
      optionalCoverage,
      closeness,
      fitNoise(this.seed, profile.index, vacancyIndex),
    );
  }

  private applicationRecord(
    candidate: number,
    application: PlannedApplication,
    hired: boolean,
  ): ApplicationRecord {
    const vacancy = this.vacancy(application.vacancy);
    const status = decideStatus(application, vacancy.open, hired);
    const { at: atDraw, update: updateDraw } = application.draws;
    // Applications arrive 10 minutes to 45 days after posting (and before "now"); updates follow
    // by a stage-dependent delay.
    const lastMs = this.asOfMs - 3_600_000;
    const firstMs = vacancy.postedAtMs + 600_000;
    const atMs = roundTo(firstMs + atDraw * Math.max(0, Math.min(45 * DAY_MS, lastMs - firstMs)), 1000);
    const delayMs = STATUS_DELAY_DAYS[status] * DAY_MS * (0.3 + 0.7 * updateDraw);
    const updatedMs = roundTo(Math.min(atMs + delayMs, Math.max(atMs, lastMs)), 1000);
    return {
      type: 'application',
      candidateId: candidateId(candidate),
      vacancyId: vacancyId(application.vacancy),
      status,
      at: new Date(atMs).toISOString(),
      updatedAt: new Date(updatedMs).toISOString(),
    };
  }

  // -- the silent pass -------------------------------------------------------------------------

  /**
   * One pass over all candidates, keeping only O(vacancies) state: the hired applicant of each
   * closed vacancy (the best-fitting applicant who cleared the hiring bar), and per vacancy the
   * best-fitting non-applicants (among candidates sharing a skill or an ISCO minor group with it;
   * the rest have no signal, only noise) and a fixed random sample of non-applicants.
   */
  private prepare(): Prepared {
    if (this.prepared) return this.prepared;
    const m = this.vacancies.length;
    const n = this.options.candidates;
    const hired = new Int32Array(m).fill(-1);
    const hiredFit = new Float64Array(m).fill(-1);
    const top = Array.from({ length: m }, () => new TopK(this.options.fitTopPerVacancy));
    const randomPairs: { candidate: number; fit: number }[][] = Array.from({ length: m }, () => []);
    const randomTargets = this.randomSampleTargets(n);
    // Per vacancy, the candidate's essential / optional skill hits; touched lists the non-zero ones.
    const essentialHits = new Uint16Array(m);
    const optionalHits = new Uint16Array(m);
    const touched = new Uint8Array(m);
    const touchedList: number[] = [];

    for (let i = 0; i < n; i++) {
      const profile = this.profile(i);
      const applications = this.planApplications(profile);
      const applied = new Set<number>();
      for (const a of applications) {
        applied.add(a.vacancy);
        if (!this.vacancy(a.vacancy).open && a.hireable && a.fit > (hiredFit[a.vacancy] ?? 0)) {
          hired[a.vacancy] = i;
          hiredFit[a.vacancy] = a.fit;
        }
      }
      const touch = (v: number) => {
        if (touched[v] === 0) {
          touched[v] = 1;
          touchedList.push(v);
        }
      };
      // Walking the postings of the candidate's skills counts every overlap at once, instead of
      // scoring all M vacancies; vacancies in a shared minor group count even without overlap.
      for (const { skill } of profile.skills) {
        for (const v of this.essentialPostings.get(skill) ?? []) {
          essentialHits[v] = (essentialHits[v] ?? 0) + 1;
          touch(v);
        }
        for (const v of this.optionalPostings.get(skill) ?? []) {
          optionalHits[v] = (optionalHits[v] ?? 0) + 1;
          touch(v);
        }
      }
      for (const o of profile.occupations) {
        const minor = this.occupation(o.occupation).iscoGroup.slice(0, 3);
        for (const v of this.vacanciesByMinor.get(minor) ?? []) touch(v);
      }
      for (const v of touchedList) {
        if (!applied.has(v)) {
          top[v]?.offer(this.fitFromHits(profile, v, essentialHits[v] ?? 0, optionalHits[v] ?? 0), i);
        }
        essentialHits[v] = 0;
        optionalHits[v] = 0;
        touched[v] = 0;
      }
      touchedList.length = 0;
      this.withSkillMarks(profile, () => {
        for (const v of randomTargets.get(i) ?? []) {
          if (!applied.has(v)) randomPairs[v]?.push({ candidate: i, fit: this.fitOf(profile, v) });
        }
      });
    }

    const samples = top.map((best, v) => {
      const ranked = best.sorted();
      const inTop = new Set(ranked.map((p) => p.candidate));
      return [...ranked, ...(randomPairs[v] ?? []).filter((p) => !inTop.has(p.candidate))];
    });
    this.prepared = { hired, samples };
    return this.prepared;
  }

  /** Candidate → the vacancies that drew it for their random sample (each vacancy draws up to K). */
  private randomSampleTargets(n: number): Map<number, number[]> {
    const targets = new Map<number, number[]>();
    const k = Math.min(this.options.fitRandomPerVacancy, n);
    for (let v = 0; v < this.vacancies.length; v++) {
      const rng = streamFor(this.seed, 'fit-sample', v);
      const picked = new Set<number>();
      while (picked.size < k) picked.add(rng.int(n));
      for (const c of [...picked].sort((a, b) => a - b)) pushTo(targets, c, v);
    }
    return targets;
  }
}

// ---------------------------------------------------------------------------------------------

/** Days from application to its last update, per final status (scaled by a draw in 0.3..1). */
const STATUS_DELAY_DAYS: Readonly<Record<ApplicationStatus, number>> = {
  APPLIED: 0,
  SCREENED: 10,
  INTERVIEW: 25,
  HIRED: 40,
  REJECTED: 20,
  TALENT_POOL: 30,
  WITHDRAWN: 15,
};

/** Chance that an applicant clears the hiring bar: a steep logistic around fit 0.6. */
export function hireProbability(fit: number): number {
  return 1 / (1 + Math.exp(-(fit - 0.6) / 0.06));
}

/** Chance that an application progresses past screening: a softer logistic around fit 0.5. */
function progressProbability(fit: number): number {
  return 1 / (1 + Math.exp(-(fit - 0.5) / 0.08));
}

type StatusShares = readonly (readonly [ApplicationStatus, number])[];

/** Closed vacancy, applicant got far (interviewed): kept on file or turned down. */
const SETTLED_PROGRESSED: StatusShares = [
  ['TALENT_POOL', 0.45],
  ['REJECTED', 0.55],
];
const SETTLED_STALLED: StatusShares = [
  ['TALENT_POOL', 0.08],
  ['REJECTED', 0.92],
];
/** Open vacancy: strong applicants are mostly interviewing; some are not yet looked at. */
const OPEN_PROGRESSED: StatusShares = [
  ['INTERVIEW', 0.55],
  ['SCREENED', 0.25],
  ['APPLIED', 0.1],
  ['TALENT_POOL', 0.1],
];
const OPEN_STALLED: StatusShares = [
  ['REJECTED', 0.65],
  ['APPLIED', 0.2],
  ['SCREENED', 0.15],
];

/**
 * The status an application ends in. Closed vacancies are settled (one hire at most, everyone
 * else rejected, pooled or withdrawn); open ones are still in flight.
 */
function decideStatus(application: PlannedApplication, open: boolean, hired: boolean): ApplicationStatus {
  const d = application.draws;
  if (hired && !open) return 'HIRED';
  if (d.withdraw < (open ? 0.05 : 0.07)) return 'WITHDRAWN';
  const progressed = d.progress < progressProbability(application.fit);
  if (open) return byShare(d.branch, progressed ? OPEN_PROGRESSED : OPEN_STALLED);
  return byShare(d.branch, progressed ? SETTLED_PROGRESSED : SETTLED_STALLED);
}

/** The status whose cumulative share first exceeds `draw` (shares sum to 1). */
function byShare(draw: number, shares: StatusShares): ApplicationStatus {
  let cumulative = 0;
  for (const [status, share] of shares) {
    cumulative += share;
    if (draw < cumulative) return status;
  }
  return itemAt(shares, shares.length - 1)[0];
}

function drawGender(rng: Random, subMajorGroup: string): Gender {
  const r = rng.next();
  if (r < NONBINARY_SHARE) return 'nonbinary';
  if (r < NONBINARY_SHARE + UNDISCLOSED_SHARE) return 'undisclosed';
  const femaleShare = FEMALE_SHARE_BY_SUBMAJOR[subMajorGroup] ?? DEFAULT_FEMALE_SHARE;
  return rng.chance(femaleShare) ? 'female' : 'male';
}

function firstNamesFor(gender: Gender, rng: Random): readonly string[] {
  if (gender === 'female') return FEMALE_FIRST_NAMES;
  if (gender === 'male') return MALE_FIRST_NAMES;
  if (gender === 'nonbinary') return NEUTRAL_FIRST_NAMES;
  return rng.pick([FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, NEUTRAL_FIRST_NAMES]);
}

function toFitRecord(vacancy: number, candidate: number, fit: number): FitRecord {
  // Grade the rounded value, so a reader re-deriving grades from the file gets the same ones.
  const rounded = Math.round(fit * 10_000) / 10_000;
  return {
    vacancyId: vacancyId(vacancy),
    candidateId: candidateId(candidate),
    fit: rounded,
    relevance: relevanceOf(rounded),
  };
}

/** The K highest (fit, candidate) pairs seen, as a min-heap; ties keep the earlier candidate. */
class TopK {
  private readonly fits: Float64Array;
  private readonly candidates: Int32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.fits = new Float64Array(k);
    this.candidates = new Int32Array(k);
  }

  offer(fit: number, candidate: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      this.fits[this.size] = fit;
      this.candidates[this.size] = candidate;
      this.size += 1;
      this.siftUp(this.size - 1);
    } else if (fit > (this.fits[0] ?? Infinity)) {
      this.fits[0] = fit;
      this.candidates[0] = candidate;
      this.siftDown(0);
    }
  }

  /** Best first; equal fits by candidate index. */
  sorted(): { candidate: number; fit: number }[] {
    const out: { candidate: number; fit: number }[] = [];
    for (let i = 0; i < this.size; i++)
      out.push({ candidate: this.candidates[i] ?? 0, fit: this.fits[i] ?? 0 });
    return out.sort((a, b) => b.fit - a.fit || a.candidate - b.candidate);
  }

  private less(i: number, j: number): boolean {
    const fi = this.fits[i] ?? 0;
    const fj = this.fits[j] ?? 0;
    // On equal fits the later candidate counts as smaller, so it is the one evicted.
    return fi < fj || (fi === fj && (this.candidates[i] ?? 0) > (this.candidates[j] ?? 0));
  }

  private swap(i: number, j: number): void {
    const f = this.fits[i] ?? 0;
    this.fits[i] = this.fits[j] ?? 0;
    this.fits[j] = f;
    const c = this.candidates[i] ?? 0;
    this.candidates[i] = this.candidates[j] ?? 0;
    this.candidates[j] = c;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.size && this.less(left, smallest)) smallest = left;
      if (right < this.size && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}

function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}
