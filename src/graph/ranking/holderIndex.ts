/**
 * Stage-1 graph recall from the candidate projection: the candidates holding any of a vacancy's
 * essential skills, by the specificity-weighted count of those they hold, with exactly the values
 * and order of `ranking/graph-recall-candidates` (weights summed in the order of the skill list,
 * ties by candidate id), read from an inverted skill → holder index instead of the graph.
 *
 * The statement's cost grows with the number of holders it expands (about 200k rows at 1M
 * candidates: the largest part of stage 1 there); here each holder costs one array read and one
 * addition, and the top `n` are kept in a bounded heap instead of sorting every holder.
 *
 * Built once per full load of the projection in compressed rows: each skill's holders as
 * candidate ordinals in one `Int32Array`. Candidates reloaded since (new, edited, erased) are the
 * owner's (`CandidateTable`): it masks their built rows in the mask it hands over, and passes
 * their current skills (the overlay) to each `top`, until the next full load folds them in.
 */

/** A skill of the request: its interned id in the projection (undefined: nobody holds it) and weight. */
export interface RecallSkill {
  readonly id: number | undefined;
  readonly weight: number;
}

/** A candidate reloaded after the build, as the overlay holds it. */
export interface Reloaded {
  /** Interned skill ids, ascending. */
  readonly skills: Int32Array;
}

interface Scored {
  readonly id: string;
  readonly weight: number;
}

export class HolderIndex {
  /** Holders of skill `s` are `holders[offsets[s] .. offsets[s + 1])`, ascending ordinals. */
  private readonly offsets: Int32Array;
  private readonly holders: Int32Array;
  /** Per-ordinal scratch of one `top` call (calls are synchronous, so one buffer serves all). */
  private readonly sums: Float64Array;
  private readonly seen: Uint32Array;
  private pass = 0;

  /**
   * @param ids candidate id per ordinal
   * @param skillsOf the interned skill ids each ordinal holds (ascending, no repeats)
   * @param masked per ordinal, 1 once its row no longer describes the candidate (the owner's)
   */
  constructor(
    private readonly ids: readonly string[],
    skillsOf: (ordinal: number) => Int32Array,
    private readonly masked: Uint8Array,
  ) {
    let skillCount = 0;
    let postings = 0;
    for (let o = 0; o < ids.length; o += 1) {
      const skills = skillsOf(o);
      postings += skills.length;
      if (skills.length > 0) skillCount = Math.max(skillCount, skills[skills.length - 1]! + 1);
    }
    this.offsets = new Int32Array(skillCount + 1);
    for (let o = 0; o < ids.length; o += 1) for (const s of skillsOf(o)) this.offsets[s + 1]! += 1;
    for (let s = 0; s < skillCount; s += 1) this.offsets[s + 1]! += this.offsets[s]!;
    this.holders = new Int32Array(postings);
    const fill = this.offsets.slice(0, skillCount);
    // Ordinals in ascending order, so each skill's row is ascending too.
    for (let o = 0; o < ids.length; o += 1) {
      for (const s of skillsOf(o)) {
        this.holders[fill[s]!] = o;
        fill[s]! += 1;
      }
    }
    this.sums = new Float64Array(ids.length);
    this.seen = new Uint32Array(ids.length);
  }

  /** Bytes held by the index (typed arrays; the ids and the mask are the owner's). */
  get bytes(): number {
    return this.offsets.byteLength + this.holders.byteLength + this.sums.byteLength + this.seen.byteLength;
  }

  /**
   * Ids of at most `n` candidates holding any of `skills`, by the sum of the weights of the skills
   * they hold (summed in list order, a repeated skill counted each time), then by id: the built
   * rows not masked, and `overlay` (the candidates reloaded since the build).
   */
  top(skills: readonly RecallSkill[], n: number, overlay: ReadonlyMap<string, Reloaded>): string[] {
    if (n <= 0 || skills.length === 0) return [];
    const heap = new BoundedHeap(n);
    this.pass += 1;
    if (this.pass === 0xffffffff) {
      this.seen.fill(0);
      this.pass = 1;
    }
    const pass = this.pass;
    const touched: number[] = [];
    const skillCount = this.offsets.length - 1;
    for (const { id: s, weight } of skills) {
      if (s === undefined || s >= skillCount) continue;
      const end = this.offsets[s + 1]!;
      for (let i = this.offsets[s]!; i < end; i += 1) {
        const o = this.holders[i]!;
        if (this.masked[o] === 1) continue;
        if (this.seen[o] === pass) {
          this.sums[o]! += weight;
        } else {
          this.seen[o] = pass;
          // As the statement's sum(): 0 + w, then the next weights in list order.
          this.sums[o] = 0 + weight;
          touched.push(o);
        }
      }
    }
    for (const o of touched) heap.offer(this.ids[o]!, this.sums[o]!);
    for (const [id, { skills: held }] of overlay) {
      let sum = 0;
      let hit = false;
      for (const { id: s, weight } of skills) {
        if (s === undefined || !includes(held, s)) continue;
        sum += weight;
        hit = true;
      }
      if (hit) heap.offer(id, sum);
    }
    return heap.drain();
  }
}

function includes(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** `a` ranks before `b`: higher weight, then the smaller id (ids are ASCII: code-unit order is Neo4j's). */
function before(a: Scored, b: Scored): boolean {
  return a.weight > b.weight || (a.weight === b.weight && a.id < b.id);
}

/** The best `capacity` items offered, worst at the root. */
class BoundedHeap {
  private readonly items: Scored[] = [];

  constructor(private readonly capacity: number) {}

  offer(id: string, weight: number): void {
    const items = this.items;
    if (items.length < this.capacity) {
      items.push({ id, weight });
      this.up(items.length - 1);
      return;
    }
    const worst = items[0]!;
    if (weight < worst.weight || (weight === worst.weight && id > worst.id)) return;
    items[0] = { id, weight };
    this.down(0);
  }

  /** Best first. */
  drain(): string[] {
    return this.items.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0)).map((x) => x.id);
  }

  private up(i: number): void {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[parent]!, items[i]!)) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const items = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < items.length && before(items[worst]!, items[l]!)) worst = l;
      if (r < items.length && before(items[worst]!, items[r]!)) worst = r;
      if (worst === i) return;
      [items[worst], items[i]] = [items[i]!, items[worst]!];
      i = worst;
    }
  }
}
