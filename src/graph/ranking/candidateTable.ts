/**
 * Storage of the candidate projection: what it holds per candidate in columns instead of one
 * object per candidate, so that 1M candidates fit in the service's memory budget. A full load
 * appends candidates in id order to a `TableBuilder`; the built `CandidateTable` keeps
 *   - codes of region, gender and age band (one shared string table),
 *   - held skills as compressed rows (offsets + interned skill ids, ascending),
 *   - the occupation set as an index into interned frozen lists (candidates share a few),
 *   - applications only for the candidates that have any (sparse),
 *   - embeddings, when held, in one float32 matrix,
 * and the inverted skill → holder index of stage-1 recall over the same rows (`HolderIndex`).
 * Candidates reloaded after the build (new, edited, erased) are kept as entries beside it with
 * their built rows masked, until the next full load folds them in.
 */
import { HolderIndex, type RecallSkill } from './holderIndex.js';
import type { ApplicationRef, OccupationRefRecord } from './records.js';

/** One candidate as the projection answers with it. */
export interface Entry {
  readonly region: string | null;
  /** Interned skill ids, ascending. */
  readonly skills: Int32Array;
  /** Sorted by label, as `ranking/candidate-features` is decoded. */
  readonly occupations: readonly OccupationRefRecord[];
  readonly applications: readonly ApplicationRef[];
  /** Normalized like the database; null: not held (cosines are read). */
  readonly vector: Float32Array | null;
  readonly gender: string | null;
  readonly ageBand: string | null;
}

const NO_APPLICATIONS: readonly ApplicationRef[] = Object.freeze([]);
const NO_OCCUPATIONS: readonly OccupationRefRecord[] = Object.freeze([]);

/** A growable typed array (doubling), trimmed once at the end of a load. */
class Grow<T extends Int32Array | Uint32Array | Float32Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length] = value;
    this.length += 1;
  }

  append(values: ArrayLike<number>): void {
    this.reserve(this.length + values.length);
    this.data.set(values, this.length);
    this.length += values.length;
  }

  private reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = this.make(Math.max(n, this.data.length * 2, 16));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  done(): T {
    return this.data.length === this.length ? this.data : (this.data.slice(0, this.length) as T);
  }
}

/** Interned strings as codes (0: null), shared by every column that holds one. */
export class Codes {
  private readonly values: (string | null)[] = [null];
  private readonly index = new Map<string, number>();

  code(value: string | null): number {
    if (value === null) return 0;
    let c = this.index.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(value);
      this.index.set(value, c);
    }
    return c;
  }

  /** The code of `value` if it was interned, without interning it. */
  find(value: string): number | undefined {
    return this.index.get(value);
  }

  value(code: number): string | null {
    return this.values[code] ?? null;
  }
}

/** Appends candidates of a full load in id order. */
export class TableBuilder {
  private readonly ids: string[] = [];
  private readonly codes = new Codes();
  private readonly region: Grow<Uint32Array>;
  private readonly gender: Grow<Uint32Array>;
  private readonly ageBand: Grow<Uint32Array>;
  private readonly occupationSet: Grow<Uint32Array>;
  private readonly skillEnds: Grow<Int32Array>;
  private readonly skillData = new Grow(new Int32Array(0), (n) => new Int32Array(n));
  private readonly hasVector: Grow<Uint32Array>;
  private readonly vectorData: Grow<Float32Array>;
  private readonly applications = new Map<number, readonly ApplicationRef[]>();
  private readonly occupationSets: (readonly OccupationRefRecord[])[] = [NO_OCCUPATIONS];
  private readonly occupationSetIndex = new Map<string, number>();
  private dimension = 0;

  /** `expected`: about how many candidates (sizes the columns; they grow past it). */
  constructor(
    expected: number,
    private readonly holdVectors: boolean,
  ) {
    const u32 = () => new Grow(new Uint32Array(expected), (n) => new Uint32Array(n));
    this.region = u32();
    this.gender = u32();
    this.ageBand = u32();
    this.occupationSet = u32();
    this.hasVector = u32();
    this.skillEnds = new Grow(new Int32Array(expected), (n) => new Int32Array(n));
    this.vectorData = new Grow(new Float32Array(0), (n) => new Float32Array(n));
  }

  get size(): number {
    return this.ids.length;
  }

  /** Appends a candidate (ids ascending; `entry.occupations` already interned and frozen). */
  add(id: string, entry: Entry): void {
    const o = this.ids.length;
    this.ids.push(id);
    this.region.push(this.codes.code(entry.region));
    this.gender.push(this.codes.code(entry.gender));
    this.ageBand.push(this.codes.code(entry.ageBand));
    this.occupationSet.push(this.occupationSetOf(entry.occupations));
    this.skillData.append(entry.skills);
    this.skillEnds.push(this.skillData.length);
    if (entry.applications.length > 0) this.applications.set(o, entry.applications);
    const v = this.holdVectors ? entry.vector : null;
    if (v && (this.dimension === 0 || v.length === this.dimension)) {
      this.dimension = v.length;
      this.hasVector.push(this.vectorData.length / this.dimension + 1);
      this.vectorData.append(v);
    } else {
      this.hasVector.push(0);
    }
  }

  private occupationSetOf(list: readonly OccupationRefRecord[]): number {
    if (list.length === 0) return 0;
    const key = list.map((o) => `${o.uri}\u0000${o.iscoGroup ?? ''}\u0000${o.label}`).join('\u0001');
    let i = this.occupationSetIndex.get(key);
    if (i === undefined) {
      i = this.occupationSets.length;
      this.occupationSets.push(Object.freeze([...list]));
      this.occupationSetIndex.set(key, i);
    }
    return i;
  }

  /** The table; `withVectors` false drops the embeddings (cosines are then read from the database). */
  build(withVectors: boolean): CandidateTable {
    return new CandidateTable({
      ids: this.ids,
      codes: this.codes,
      region: this.region.done(),
      gender: this.gender.done(),
      ageBand: this.ageBand.done(),
      occupationSet: this.occupationSet.done(),
      occupationSets: this.occupationSets,
      skillEnds: this.skillEnds.done(),
      skillData: this.skillData.done(),
      applications: this.applications,
      vectorRow: withVectors ? this.hasVector.done() : null,
      vectorData: withVectors ? this.vectorData.done() : null,
      dimension: this.dimension,
    });
  }
}

interface Columns {
  readonly ids: readonly string[];
  readonly codes: Codes;
  readonly region: Uint32Array;
  readonly gender: Uint32Array;
  readonly ageBand: Uint32Array;
  readonly occupationSet: Uint32Array;
  readonly occupationSets: readonly (readonly OccupationRefRecord[])[];
  /** Skills of ordinal o: skillData[skillEnds[o - 1] ?? 0 .. skillEnds[o]). */
  readonly skillEnds: Int32Array;
  readonly skillData: Int32Array;
  readonly applications: ReadonlyMap<number, readonly ApplicationRef[]>;
  /** Row + 1 of each ordinal's vector in `vectorData` (0: none); null: vectors not held. */
  readonly vectorRow: Uint32Array | null;
  readonly vectorData: Float32Array | null;
  readonly dimension: number;
}

export class CandidateTable {
  private readonly ordinals = new Map<string, number>();
  private readonly masked: Uint8Array;
  private readonly changed = new Map<string, Entry>();
  private readonly holders: HolderIndex;
  private count: number;

  constructor(private readonly c: Columns) {
    c.ids.forEach((id, o) => this.ordinals.set(id, o));
    this.masked = new Uint8Array(c.ids.length);
    this.holders = new HolderIndex(c.ids, (o) => this.skillsAt(o), this.masked);
    this.count = c.ids.length;
  }

  /** Candidates held (built and reloaded, erased ones not counted). */
  get size(): number {
    return this.count;
  }

  /** Whether embeddings are held in process. */
  get vectors(): boolean {
    return this.c.vectorRow !== null;
  }

  has(id: string): boolean {
    return this.changed.has(id) || this.builtOrdinal(id) !== undefined;
  }

  get(id: string): Entry | undefined {
    const changed = this.changed.get(id);
    if (changed) return changed;
    const o = this.builtOrdinal(id);
    return o === undefined ? undefined : this.at(o);
  }

  /** The candidate now is `entry` (null: it no longer exists). */
  put(id: string, entry: Entry | null): void {
    const existed = this.has(id);
    const o = this.ordinals.get(id);
    if (o !== undefined) this.masked[o] = 1;
    if (entry) this.changed.set(id, entry);
    else this.changed.delete(id);
    this.count += (entry ? 1 : 0) - (existed ? 1 : 0);
  }

  /** Candidates held beside the built columns (reloaded since the build). */
  get overlay(): number {
    return this.changed.size;
  }

  /** Stage-1 graph recall over the held candidates (`HolderIndex.top`). */
  top(skills: readonly RecallSkill[], n: number): string[] {
    return this.holders.top(skills, n, this.changed);
  }

  /** The first `n` candidates holding a vector, in id order (for the cosine calibration). */
  withVectors(n: number): string[] {
    const out: string[] = [];
    for (let o = 0; o < this.c.ids.length && out.length < n; o += 1) {
      if (this.masked[o] === 0 && this.c.vectorRow && this.c.vectorRow[o]! > 0) out.push(this.c.ids[o]!);
    }
    return out;
  }

  /** Bytes held by the columns, the index and the reloaded entries (object overhead not counted). */
  get bytes(): number {
    const c = this.c;
    let bytes =
      this.holders.bytes +
      c.region.byteLength * 4 +
      c.skillEnds.byteLength +
      c.skillData.byteLength +
      (c.vectorRow?.byteLength ?? 0) +
      (c.vectorData?.byteLength ?? 0) +
      this.masked.byteLength;
    for (const id of c.ids) bytes += id.length + 40; // the id and its ordinal map entry
    for (const apps of c.applications.values()) bytes += apps.length * 24;
    for (const [id, e] of this.changed) {
      bytes += id.length + e.skills.byteLength + (e.vector?.byteLength ?? 0) + e.applications.length * 24;
    }
    return bytes;
  }

  private builtOrdinal(id: string): number | undefined {
    const o = this.ordinals.get(id);
    return o === undefined || this.masked[o] === 1 ? undefined : o;
  }

  private skillsAt(o: number): Int32Array {
    return this.c.skillData.subarray(o === 0 ? 0 : this.c.skillEnds[o - 1]!, this.c.skillEnds[o]);
  }

  private at(o: number): Entry {
    const c = this.c;
    const row = c.vectorRow ? c.vectorRow[o]! : 0;
    return {
      region: c.codes.value(c.region[o]!),
      skills: this.skillsAt(o),
      occupations: c.occupationSets[c.occupationSet[o]!]!,
      applications: c.applications.get(o) ?? NO_APPLICATIONS,
      vector:
        row > 0 && c.vectorData ? c.vectorData.subarray((row - 1) * c.dimension, row * c.dimension) : null,
      gender: c.codes.value(c.gender[o]!),
      ageBand: c.codes.value(c.ageBand[o]!),
    };
  }
}
