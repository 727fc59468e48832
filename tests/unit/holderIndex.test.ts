/**
 * The projection's graph recall (src/graph/ranking/holderIndex.ts) against a direct reference of
 * what `ranking/graph-recall-candidates` computes: for each candidate, the weights of the listed
 * skills it holds summed in list order (a repeated skill counted each time), best sum first, ties
 * by id, at most n. Random stores with few distinct weights (many ties at the cut-off), a skill
 * nobody holds, skills interned after the build, and candidates edited, added and erased after
 * it. The match with Neo4j itself is checked by the candidate-projection e2e.
 */
import { describe, expect, test } from 'vitest';
import { HolderIndex, type RecallSkill, type Reloaded } from '../../src/graph/ranking/holderIndex.js';
import { Random } from '../../src/demo/random.js';

function reference(store: Map<string, Int32Array>, skills: readonly RecallSkill[], n: number): string[] {
  const scored: { id: string; weight: number }[] = [];
  for (const [id, held] of store) {
    let weight = 0;
    let hit = false;
    for (const s of skills) {
      if (s.id !== undefined && held.includes(s.id)) {
        weight += s.weight;
        hit = true;
      }
    }
    if (hit) scored.push({ id, weight });
  }
  scored.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return scored.slice(0, n).map((s) => s.id);
}

function randomSkills(random: Random, skillCount: number): Int32Array {
  const set = new Set<number>();
  const k = random.int(6);
  for (let i = 0; i < k; i += 1) set.add(random.int(skillCount));
  return Int32Array.from(set).sort();
}

/**
 * A store of `size` candidates in id order and its index, with the mask and overlay its owner
 * keeps (as `CandidateTable` does): `replace` records a candidate reloaded after the build
 * (`skills` null: erased) and `top` recalls over both.
 */
function build(random: Random, size: number, skillCount: number) {
  const store = new Map<string, Int32Array>();
  for (let i = 0; i < size; i += 1)
    store.set(`c${String(i).padStart(5, '0')}`, randomSkills(random, skillCount));
  const ids = [...store.keys()];
  const ordinals = new Map(ids.map((id, o) => [id, o]));
  const masked = new Uint8Array(ids.length);
  const overlay = new Map<string, Reloaded>();
  const index = new HolderIndex(ids, (o) => store.get(ids[o]!)!, masked);
  return {
    store,
    overlay,
    top: (skills: readonly RecallSkill[], n: number) => index.top(skills, n, overlay),
    replace: (id: string, skills: Int32Array | null) => {
      const o = ordinals.get(id);
      if (o !== undefined) masked[o] = 1;
      if (skills) overlay.set(id, { skills });
      else overlay.delete(id);
    },
  };
}

function randomQuery(random: Random, skillCount: number): RecallSkill[] {
  const weights = [1, 1.5, 2.25, 0.1 + 0.2];
  const out: RecallSkill[] = [];
  const k = 1 + random.int(5);
  for (let i = 0; i < k; i += 1) {
    // Now and then a skill the projection never interned (nobody holds it) or one added after the build.
    const id = random.chance(0.1) ? undefined : random.int(skillCount + 3);
    out.push({ id, weight: weights[random.int(weights.length)]! });
  }
  if (random.chance(0.2) && out.length > 0) out.push(out[0]!);
  return out;
}

describe('HolderIndex', () => {
  test('a built index gives the reference recall: sums in list order, ties by id, at most n', () => {
    const random = new Random(7);
    const { store, top } = build(random, 2000, 40);
    for (let q = 0; q < 300; q += 1) {
      const skills = randomQuery(random, 40);
      const n = [1, 5, 50, 500, 5000][q % 5]!;
      expect(top(skills, n), JSON.stringify({ skills, n })).toEqual(reference(store, skills, n));
    }
  });

  test('candidates edited, added and erased after the build are recalled as they are now', () => {
    const random = new Random(11);
    const skillCount = 30;
    const { store, overlay, top, replace } = build(random, 1500, skillCount);
    for (let round = 0; round < 20; round += 1) {
      for (let w = 0; w < 25; w += 1) {
        const kind = random.int(3);
        const existing = [...store.keys()];
        if (kind === 0) {
          // An edit, sometimes to skills interned after the build (ids >= skillCount).
          const id = existing[random.int(existing.length)]!;
          const skills = randomSkills(random, skillCount + 3);
          store.set(id, skills);
          replace(id, skills);
        } else if (kind === 1) {
          const id = `n${round}-${w}`;
          const skills = randomSkills(random, skillCount + 3);
          store.set(id, skills);
          replace(id, skills);
        } else {
          const id = existing[random.int(existing.length)]!;
          store.delete(id);
          replace(id, null);
        }
      }
      for (let q = 0; q < 15; q += 1) {
        const skills = randomQuery(random, skillCount);
        const n = [3, 40, 400][q % 3]!;
        expect(top(skills, n), `round ${round}`).toEqual(reference(store, skills, n));
      }
    }
    expect(overlay.size).toBeGreaterThan(0);
  });

  test('nothing to recall: no skills, n = 0, or skills nobody holds', () => {
    const { top } = build(new Random(3), 100, 10);
    expect(top([], 10)).toEqual([]);
    expect(top([{ id: 1, weight: 1 }], 0)).toEqual([]);
    expect(top([{ id: undefined, weight: 1 }], 10)).toEqual([]);
    expect(top([{ id: 99, weight: 1 }], 10)).toEqual([]);
  });
});
