/**
 * The projection's columnar storage (src/graph/ranking/candidateTable.ts) returns each candidate
 * exactly as it was added or last put (region, skills, occupations, applications, vector, audit
 * groups), counts what it holds, and recalls over built and reloaded candidates alike. The
 * projection's agreement with Neo4j is the candidate-projection e2e's; this checks the storage.
 */
import { describe, expect, test } from 'vitest';
import { TableBuilder, type Entry } from '../../src/graph/ranking/candidateTable.js';
import { Random } from '../../src/demo/random.js';

const OCCUPATIONS = [
  { uri: 'o:1', iscoGroup: '2511', label: 'analyst' },
  { uri: 'o:2', iscoGroup: null, label: 'baker' },
  { uri: 'o:3', iscoGroup: '7512', label: 'confectioner' },
].map((o) => Object.freeze(o));

function randomEntry(random: Random, dimension: number): Entry {
  const skills = new Set<number>();
  for (let i = random.int(5); i > 0; i -= 1) skills.add(random.int(20));
  const vector = random.chance(0.8)
    ? Float32Array.from({ length: dimension }, () => random.between(-1, 1))
    : null;
  return {
    region: random.chance(0.2) ? null : `region-${random.int(3)}`,
    skills: Int32Array.from(skills).sort(),
    occupations: OCCUPATIONS.filter(() => random.chance(0.4)),
    applications: random.chance(0.3)
      ? [
          {
            vacancyId: `v${random.int(9)}`,
            status: 'HIRED',
            organizationId: random.chance(0.5) ? 'org' : null,
          },
        ]
      : [],
    vector,
    gender: random.chance(0.3) ? null : random.chance(0.5) ? 'F' : 'M',
    ageBand: random.chance(0.3) ? null : '25-34',
  };
}

/** What a stored entry must read back as (vectors dropped when not held). */
function expected(entry: Entry, vectors: boolean): Entry {
  return { ...entry, vector: vectors ? entry.vector : null };
}

describe('CandidateTable', () => {
  for (const vectors of [true, false]) {
    test(`reads back every candidate as added and as put since (vectors ${vectors ? 'held' : 'dropped'})`, () => {
      const random = new Random(vectors ? 5 : 6);
      const model = new Map<string, Entry>();
      const builder = new TableBuilder(10, vectors);
      for (let i = 0; i < 300; i += 1) {
        const id = `c${String(i).padStart(4, '0')}`;
        const entry = randomEntry(random, 4);
        model.set(id, entry);
        builder.add(id, entry);
      }
      const table = builder.build(vectors);
      expect(table.vectors).toBe(vectors);
      const check = () => {
        expect(table.size).toBe(model.size);
        for (const [id, entry] of model) expect(table.get(id), id).toEqual(expected(entry, vectors));
      };
      check();
      expect(table.overlay).toBe(0);
      const touched = new Set<string>();
      for (let i = 0; i < 200; i += 1) {
        const ids = [...model.keys()];
        const kind = random.int(3);
        const id = kind === 1 ? `n${i}` : ids[random.int(ids.length)]!;
        touched.add(id);
        if (kind === 2) {
          model.delete(id);
          table.put(id, null);
          expect(table.has(id)).toBe(false);
          expect(table.get(id)).toBeUndefined();
        } else {
          const entry = randomEntry(random, 4);
          model.set(id, vectors ? entry : { ...entry, vector: null });
          table.put(id, vectors ? entry : { ...entry, vector: null });
        }
      }
      check();
      expect(table.overlay).toBe(
        [...model.keys()].filter((id) => id.startsWith('n') || touched.has(id)).length,
      );
      // Erasing what is already gone changes nothing.
      table.put('never-there', null);
      expect(table.size).toBe(model.size);
      // Recall covers built and reloaded candidates: every holder of skill 3 (weight 1 each).
      const holders = [...model].filter(([, e]) => e.skills.includes(3)).map(([id]) => id);
      expect(table.top([{ id: 3, weight: 1 }], 10_000)).toEqual(holders.sort());
    });
  }

  test('candidates share occupation lists; vectors of another dimension are not held', () => {
    const builder = new TableBuilder(0, true);
    const base = { region: null, skills: new Int32Array(), applications: [], gender: null, ageBand: null };
    builder.add('a', { ...base, occupations: [OCCUPATIONS[0]!], vector: new Float32Array([1, 0]) });
    builder.add('b', { ...base, occupations: [OCCUPATIONS[0]!], vector: new Float32Array([0, 1, 0]) });
    const table = builder.build(true);
    expect(table.get('a')!.occupations).toBe(table.get('b')!.occupations);
    expect(table.get('b')!.vector).toBeNull();
    expect(table.withVectors(10)).toEqual(['a']);
  });
});
