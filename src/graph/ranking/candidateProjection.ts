/**
 * The in-process candidate projection: what stage 2 of `rankCandidates` reads per candidate
 * (region, held skills, occupations, applications with their vacancy's organization, the stored
 * embedding, the audit groups), held in memory so that the features of a pool of ~800 candidates
 * cost no database round trip. The Neo4j graph stays the source of truth and the skill-overlap
 * logic stays one definition (`matchEvidence`, `matchSkills`; the projection's `EvidencePlan` gives
 * `matchEvidence`'s rows, a unit test draws cases against it): a view answers exactly the reads of
 * `RankingRepository` (`CandidatePoolReads`) with exactly the values they return, cosines
 * included (`vectorArithmetic.ts`, checked against the database after each full load). Stage 1's
 * graph recall reads it too: an inverted skill → holder index (`holderIndex.ts`) gives the ids of
 * `ranking/graph-recall-candidates` without expanding every holder in the database.
 *
 * Kept in step by the data version: every people-data write transaction, by any process, creates
 * a change record naming the candidates and vacancies it touched (`people/record-change`). A
 * request for version V is answered from the projection only once the projection has applied
 * every record up to V: a moved version makes it read the records it has not seen and reload just
 * those candidates (and the applicants of touched vacancies); when it cannot tell what changed
 * (records folded into the base by another process, a write that bypassed the records, a bulk
 * import touching many candidates) it reloads everything in the background, and until then the
 * ranking reads the graph as before (`source: GRAPH` in the ranking's meta).
 */
import type { Logger } from 'pino';
import type { EvidenceRow, GapRepository } from '../gap/gapRepository.js';
import { int, type Neo4jGateway, type Row } from '../gateway.js';
import { list, maps, num, str, strings, text, vector } from '../rowDecoders.js';
import { byLabel, toApplicationRef, toOccupationRef } from './decoders.js';
import type {
  ApplicationRef,
  CandidateFeatureRecord,
  OccupationRefRecord,
  PoolGroupRecord,
} from './records.js';
import type { CandidateTable } from './candidateTable.js';
import { Codes, TableBuilder, type Entry } from './candidateTable.js';
import { databaseCosine, normalizeLikeDatabase, type MultiplyAdd } from './vectorArithmetic.js';

/** A skill of a recall: its uri and the weight the graph gives it (its specificity). */
export interface WeightedSkill {
  readonly uri: string;
  readonly weight: number;
}

/** Stage-2 reads of a candidate pool; answered by the graph or by the projection. */
export interface CandidatePoolReads {
  /** Where the answers come from (a ranking's `meta.featureSource`). */
  readonly source: 'GRAPH' | 'PROJECTION';
  candidateFeatures(
    ids: readonly string[],
    query: Float32Array | null,
    ideal: Float32Array | null,
  ): Promise<CandidateFeatureRecord[]>;
  skillEvidence(
    candidateIds: readonly string[],
    skillUris: readonly string[],
  ): Promise<Map<string, EvidenceRow>>;
  poolGroups(ids: readonly string[], attribute: string): Promise<PoolGroupRecord[]>;
  /**
   * Stage-1 graph recall: at most `n` candidates holding any of `skills`, by the summed weight of
   * those they hold (in list order), then by id (`ranking/graph-recall-candidates`).
   */
  holders(skills: readonly WeightedSkill[], n: number): Promise<string[]>;
}

export const PROJECTION_STATEMENTS = [
  'ranking/projection-state',
  'ranking/projection-changes',
  'ranking/projection-candidates',
  'ranking/projection-calibration',
  'ranking/candidate-features',
];

export interface ProjectionOptions {
  /** Hold embeddings in process only up to this many candidates (memory); above, cosines are read. */
  readonly maxVectors: number;
  /** Candidates per page of a full load. */
  readonly pageSize?: number;
  /** A refresh touching more candidates than this (or than 5 % of them) reloads everything instead. */
  readonly incrementalLimit?: number;
  /** Wait before a failed full load is tried again. */
  readonly retryMs?: number;
  readonly log?: Pick<Logger, 'info' | 'warn'>;
}

export interface ProjectionStatus {
  readonly state: 'loading' | 'ready' | 'failed' | 'off';
  readonly candidates: number;
  /** The data version the projection reflects (null before the first load). */
  readonly dataVersion: number | null;
  readonly vectors: 'in-process' | 'database';
  readonly loadMs: number | null;
  readonly fullLoads: number;
  readonly incrementalRefreshes: number;
  readonly candidatesReloaded: number;
  /** Estimated bytes held (typed arrays and strings; object overhead not counted). */
  readonly approxBytes: number;
}

interface Snapshot {
  version: number;
  base: number;
  readonly seen: Set<string>;
  readonly table: CandidateTable;
  /** The multiply-add form that reproduced the database's cosines; null: cosines are read. */
  readonly arithmetic: MultiplyAdd | null;
}

interface StateRow {
  readonly version: number;
  readonly base: number;
  readonly changes: readonly string[];
  readonly candidates: number;
}

const EMPTY_APPLICATIONS: readonly ApplicationRef[] = Object.freeze([]);
const CALIBRATION_PAIRS = 64;

export class CandidateProjection {
  private snapshot: Snapshot | null = null;
  private fullLoad: Promise<void> | null = null;
  private refresh: Promise<Snapshot | null> | null = null;
  private failedAt = 0;
  private lastLoadMs: number | null = null;
  private fullLoads = 0;
  private incremental = 0;
  private reloaded = 0;
  private stopped = false;
  /** Interned skill uris. */
  private readonly skillIds = new Codes();
  private readonly occupationRefs = new Map<string, OccupationRefRecord>();
  private readonly strings = new Map<string, string>();
  private readonly pageSize: number;
  private readonly incrementalLimit: number;
  private readonly retryMs: number;

  constructor(
    private readonly gateway: Neo4jGateway,
    private readonly gaps: GapRepository,
    private readonly options: ProjectionOptions,
  ) {
    gateway.registry.require(PROJECTION_STATEMENTS);
    this.pageSize = options.pageSize ?? 5000;
    this.incrementalLimit = options.incrementalLimit ?? 1000;
    this.retryMs = options.retryMs ?? 30_000;
  }

  /** Starts the first full load in the background (rankings read the graph until it is done). */
  start(): void {
    this.ensureFullLoad();
  }

  stop(): void {
    this.stopped = true;
  }

  status(): ProjectionStatus {
    const s = this.snapshot;
    return {
      state: s ? 'ready' : this.fullLoad ? 'loading' : this.failedAt > 0 ? 'failed' : 'loading',
      candidates: s?.table.size ?? 0,
      dataVersion: s?.version ?? null,
      vectors: s?.arithmetic ? 'in-process' : 'database',
      loadMs: this.lastLoadMs,
      fullLoads: this.fullLoads,
      incrementalRefreshes: this.incremental,
      candidatesReloaded: this.reloaded,
      approxBytes: s ? this.approxBytes(s) : 0,
    };
  }

  /** Summed over the table once per data version (not on each `/ready` call). */
  private bytesOf: { snapshot: Snapshot; version: number; bytes: number } | null = null;

  private approxBytes(s: Snapshot): number {
    const known = this.bytesOf;
    if (known && known.snapshot === s && known.version === s.version) return known.bytes;
    const bytes = s.table.bytes;
    this.bytesOf = { snapshot: s, version: s.version, bytes };
    return bytes;
  }

  /**
   * Reads for a request that saw data version `version`: the projection once it has applied every
   * change up to it (catching up first when only a few candidates changed), else null (read the graph).
   */
  async at(version: number): Promise<CandidatePoolReads | null> {
    const current = this.snapshot;
    if (!current) {
      this.ensureFullLoad();
      return null;
    }
    // Only an equal version answers at once. An older request version (a write landed since the
    // request began) still goes through the catch-up: a store that was wiped or restored can
    // show a lower version than the projection's, and only the state read tells the two apart.
    if (current.version === version) return this.view(current);
    this.refresh ??= this.catchUp(current).finally(() => {
      this.refresh = null;
    });
    const caughtUp = await this.refresh;
    return caughtUp && caughtUp.version >= version ? this.view(caughtUp) : null;
  }

  // ---- loading -------------------------------------------------------------------------------

  private ensureFullLoad(): void {
    if (this.fullLoad || this.stopped) return;
    if (this.failedAt > 0 && Date.now() - this.failedAt < this.retryMs) return;
    this.fullLoad = this.loadAll()
      .then((snapshot) => {
        if (!this.stopped) this.snapshot = snapshot;
        this.failedAt = 0;
      })
      .catch((error: unknown) => {
        this.failedAt = Date.now();
        this.options.log?.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'candidate projection: full load failed; rankings read the graph (retried later)',
        );
      })
      .finally(() => {
        this.fullLoad = null;
      });
  }

  private async state(): Promise<StateRow> {
    const [row] = await this.gateway.read('ranking/projection-state', {}, { operation: 'projection' });
    return {
      version: Number(row?.version ?? 0),
      base: Number(row?.base ?? 0),
      changes: strings(row?.changes),
      candidates: Number(row?.candidates ?? 0),
    };
  }

  /** Every candidate, page by page; the change records seen before the first page are applied by it. */
  private async loadAll(): Promise<Snapshot> {
    const started = performance.now();
    const state = await this.state();
    const holdVectors = state.candidates <= this.options.maxVectors;
    const builder = new TableBuilder(state.candidates, holdVectors);
    let after = '';
    for (;;) {
      if (this.stopped) throw new Error('stopped');
      const rows = await this.gateway.read(
        'ranking/projection-candidates',
        { ids: null, after, n: int(this.pageSize) },
        { operation: 'projection' },
      );
      for (const row of rows) builder.add(text(row.id), this.entry(row, holdVectors));
      if (rows.length < this.pageSize) break;
      after = text(rows[rows.length - 1]!.id);
    }
    // Pages come in id order, so the table's ordinals follow ids.
    let table = builder.build(holdVectors);
    const arithmetic = holdVectors ? await this.calibrate(table) : null;
    if (holdVectors && !arithmetic) table = builder.build(false);
    this.lastLoadMs = performance.now() - started;
    this.fullLoads += 1;
    this.options.log?.info(
      {
        candidates: table.size,
        dataVersion: state.version,
        vectors: arithmetic ? `in process (${arithmetic})` : 'read from the database',
        ms: Math.round(this.lastLoadMs),
      },
      'candidate projection loaded',
    );
    return {
      version: state.version,
      base: state.base,
      seen: new Set(state.changes),
      table,
      arithmetic,
    };
  }

  /**
   * Which multiply-add form reproduces the database's cosine on pairs of stored vectors; null
   * (cosines read from the database) when neither matches every pair.
   */
  private async calibrate(table: CandidateTable): Promise<MultiplyAdd | null> {
    const withVectors = table.withVectors(CALIBRATION_PAIRS + 1);
    if (withVectors.length < 2) return 'fma';
    const pairs = withVectors.slice(1).map((id, i) => [withVectors[i]!, id]);
    const rows = await this.gateway.read(
      'ranking/projection-calibration',
      { pairs },
      { operation: 'projection' },
    );
    for (const mode of ['fma', 'plain'] as const) {
      const exact = rows.every((r) => {
        const a = table.get(text(r.a))?.vector;
        const b = table.get(text(r.b))?.vector;
        return a && b && databaseCosine(a, b, mode) === num(r.similarity);
      });
      if (exact && rows.length > 0) return mode;
    }
    this.options.log?.warn(
      { pairs: rows.length },
      'candidate projection: in-process cosines differ from the database; cosines are read from it',
    );
    return null;
  }

  /** Applies the change records not seen yet; null when a full reload is needed instead. */
  private async catchUp(current: Snapshot): Promise<Snapshot | null> {
    const state = await this.state();
    const unseen = state.changes.filter((id) => !current.seen.has(id));
    if (state.base !== current.base || state.version < current.version)
      return this.reloadAll('records folded or reset');
    if (unseen.length > 0) {
      const [row] = await this.gateway.read(
        'ranking/projection-changes',
        { ids: unseen },
        { operation: 'projection' },
      );
      const touched = [...new Set(strings(row?.candidates))];
      const limit = Math.max(this.incrementalLimit, Math.floor(current.table.size * 0.05));
      if (row?.all === true || touched.length > limit)
        return this.reloadAll(`${touched.length} candidates changed`);
      const holdVectors = current.arithmetic !== null;
      for (let i = 0; i < touched.length; i += 1000) {
        const batch = touched.slice(i, i + 1000);
        const rows = await this.gateway.read(
          'ranking/projection-candidates',
          { ids: batch, after: '', n: int(batch.length) },
          { operation: 'projection' },
        );
        const found = new Set<string>();
        for (const r of rows) {
          const id = text(r.id);
          found.add(id);
          current.table.put(id, this.entry(r, holdVectors));
        }
        for (const id of batch) if (!found.has(id)) current.table.put(id, null);
      }
      for (const id of unseen) current.seen.add(id);
      this.incremental += 1;
      this.reloaded += touched.length;
    }
    // A write that bypassed the change records (or one recorded after the state read) shows in the count.
    if (current.table.size !== state.candidates) return this.reloadAll('candidate count differs');
    // Reloaded candidates accumulate beside the built columns (each recall scans them): past the
    // same bound as one large change, a full load folds them in.
    const overlayLimit = Math.max(this.incrementalLimit, Math.floor(current.table.size * 0.05));
    if (current.table.overlay > overlayLimit)
      return this.reloadAll(`${current.table.overlay} candidates reloaded since the full load`);
    current.version = Math.max(current.version, state.version);
    return current;
  }

  private reloadAll(reason: string): null {
    this.options.log?.info({ reason }, 'candidate projection: reloading in the background');
    this.snapshot = null;
    this.ensureFullLoad();
    return null;
  }

  private entry(row: Row, holdVectors: boolean): Entry {
    const skills = Int32Array.from(new Set(strings(row.skills).map((uri) => this.skillIds.code(uri)))).sort();
    const occupations = maps(row.occupations)
      .map((o) => this.occupation(toOccupationRef(o, 'uri')))
      .sort(byLabel);
    const applied = list(row.applied);
    const applications =
      applied.length === 0
        ? EMPTY_APPLICATIONS
        : applied.map((a) => {
            const { vacancyId, status, organizationId } = toApplicationRef(a);
            return {
              vacancyId: this.intern(vacancyId),
              status: this.intern(status),
              organizationId: this.intern(organizationId),
            };
          });
    const embedding = holdVectors ? vector(row.embedding) : null;
    return {
      region: this.intern(str(row.region)),
      skills,
      occupations,
      applications,
      vector: embedding ? normalizeLikeDatabase(embedding) : null,
      gender: this.intern(str(row.gender)),
      ageBand: this.intern(str(row.ageBand)),
    };
  }

  /** One shared frozen record per distinct occupation (thousands of candidates name the same few). */
  private occupation(decoded: OccupationRefRecord): OccupationRefRecord {
    const key = `${decoded.uri}\u0000${decoded.iscoGroup ?? ''}\u0000${decoded.label}`;
    let ref = this.occupationRefs.get(key);
    if (!ref) {
      ref = Object.freeze(decoded);
      this.occupationRefs.set(key, ref);
    }
    return ref;
  }

  private intern(value: string | null): string | null {
    if (value === null) return null;
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  // ---- answering ----------------------------------------------------------------------------

  /**
   * The reads of one request. Its pool's three reads (features, evidence, groups) name the same
   * ids array: they share one lookup of those ids in the table, made by whichever runs first, so
   * all three see the same entries even when a catch-up replaces some while one of them waits.
   */
  private view(snapshot: Snapshot): CandidatePoolReads {
    let resolved: { ids: readonly string[]; entries: (Entry | undefined)[] } | null = null;
    const entriesOf = (ids: readonly string[]): (Entry | undefined)[] => {
      if (resolved?.ids !== ids) resolved = { ids, entries: ids.map((id) => snapshot.table.get(id)) };
      return resolved.entries;
    };
    return {
      source: 'PROJECTION',
      candidateFeatures: (ids, query, ideal) => this.features(snapshot, ids, entriesOf(ids), query, ideal),
      skillEvidence: (candidateIds, skillUris) =>
        this.evidence(candidateIds, entriesOf(candidateIds), skillUris),
      poolGroups: (ids, attribute) => Promise.resolve(this.groups(ids, entriesOf(ids), attribute)),
      holders: (skills, n) => Promise.resolve(this.recall(snapshot, skills, n)),
    };
  }

  private recall(snapshot: Snapshot, skills: readonly WeightedSkill[], n: number): string[] {
    // Charged against the request's retrieve budget as the statement it stands in for is.
    this.gateway.chargeRetrieval(n);
    return snapshot.table.top(
      skills.map((s) => ({ id: this.skillIds.find(s.uri), weight: s.weight })),
      n,
    );
  }

  private async features(
    snapshot: Snapshot,
    ids: readonly string[],
    entries: readonly (Entry | undefined)[],
    query: Float32Array | null,
    ideal: Float32Array | null,
  ): Promise<CandidateFeatureRecord[]> {
    const mode = snapshot.arithmetic;
    const q = query && mode ? normalizeLikeDatabase(query) : null;
    const g = ideal && mode ? normalizeLikeDatabase(ideal) : null;
    const out: CandidateFeatureRecord[] = [];
    const unheld: string[] = [];
    for (let i = 0; i < ids.length; i += 1) {
      const id = ids[i]!;
      const e = entries[i];
      if (!e) continue;
      const inProcess = mode !== null && e.vector !== null;
      if (!inProcess && (query || ideal)) unheld.push(id);
      out.push({
        id,
        region: e.region,
        occupations: e.occupations,
        applications: e.applications,
        cosine: inProcess && query ? (q ? databaseCosine(e.vector, q, mode) : null) : null,
        idealCosine: inProcess && ideal ? (g ? databaseCosine(e.vector, g, mode) : null) : null,
      });
    }
    if (unheld.length === 0) return out;
    // Vectors the projection does not hold (not kept at this size, or stored after the candidate
    // was loaded by background embedding): the database's own cosines.
    const rows = await this.gateway.read('ranking/candidate-features', {
      ids: unheld,
      query: query ? Array.from(query) : null,
      ideal: ideal ? Array.from(ideal) : null,
      cosinesOnly: true,
    });
    const cosines = new Map(rows.map((r) => [text(r.id), r]));
    return out.map((record) => {
      const r = cosines.get(record.id);
      return r ? { ...record, cosine: num(r.cosine), idealCosine: num(r.idealCosine) } : record;
    });
  }

  /**
   * `matchEvidence` of every present candidate, the same rows (see `EvidencePlan`): what the
   * requirement set and its near skills are, per skill a candidate may hold, is worked out once
   * for the pool instead of filtering both lists per candidate.
   */
  private async evidence(
    candidateIds: readonly string[],
    entries: readonly (Entry | undefined)[],
    skillUris: readonly string[],
  ): Promise<Map<string, EvidenceRow>> {
    const near = skillUris.length > 0 ? await this.gaps.nearSkills(skillUris) : [];
    const plan = new EvidencePlan(skillUris, near, (uri) => this.skillIds.find(uri));
    const out = new Map<string, EvidenceRow>();
    candidateIds.forEach((id, i) => {
      const e = entries[i];
      if (e) out.set(id, plan.evidence(id, e.skills));
    });
    return out;
  }

  private groups(
    ids: readonly string[],
    entries: readonly (Entry | undefined)[],
    attribute: string,
  ): PoolGroupRecord[] {
    const out: PoolGroupRecord[] = [];
    ids.forEach((id, i) => {
      const e = entries[i];
      if (e)
        out.push({
          id,
          group: attribute === 'gender' ? e.gender : attribute === 'ageBand' ? e.ageBand : null,
        });
    });
    return out;
  }
}

/**
 * `matchEvidence(id, held, required, near)` for candidates given as interned skill ids: per skill
 * id, where it stands in `required` and in `near` (a skill can be required twice and be the held
 * side of many near entries). A candidate's evidence is then the positions of the skills it holds,
 * ascending, which is exactly what filtering both lists by its held set keeps, in their order.
 * Skills no candidate holds (not interned) are left out: they can match nobody.
 */
export class EvidencePlan {
  private readonly at = new Map<number, { required: number[]; near: number[] }>();

  constructor(
    private readonly required: readonly string[],
    private readonly near: EvidenceRow['near'],
    skillId: (uri: string) => number | undefined,
  ) {
    const slot = (uri: string) => {
      const id = skillId(uri);
      if (id === undefined) return null;
      let s = this.at.get(id);
      if (!s) {
        s = { required: [], near: [] };
        this.at.set(id, s);
      }
      return s;
    };
    required.forEach((uri, i) => slot(uri)?.required.push(i));
    near.forEach((n, j) => slot(n.held)?.near.push(j));
  }

  evidence(candidateId: string, skills: ArrayLike<number>): EvidenceRow {
    let required: number[] | null = null;
    let near: number[] | null = null;
    for (let k = 0; k < skills.length; k += 1) {
      const s = this.at.get(skills[k]!);
      if (!s) continue;
      if (s.required.length > 0) (required ??= []).push(...s.required);
      if (s.near.length > 0) (near ??= []).push(...s.near);
    }
    return {
      candidateId,
      held: required ? required.sort(ascending).map((i) => this.required[i]!) : [],
      near: near ? near.sort(ascending).map((j) => this.near[j]!) : [],
    };
  }
}

const ascending = (a: number, b: number) => a - b;
