/**
 * skillDemand's arithmetic and paging against an in-memory repository: the documented formula
 * (supplyRatio = (supply / candidates) / (weightedDemand / vacancies), optional asks at half
 * weight), the three orders (suppressed supplies sort by demand only: scarcest under SHORTAGE,
 * last under SURPLUS), cursors bound to the filter and sort, case-insensitive regions and
 * NOT_FOUND for unknown facets.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { AppError } from '../../src/errors.js';
import { matchRegions, regionKey } from '../../src/domain/region.js';
import type { DemandRows, GapRepository, RegionRow } from '../../src/graph/gap/gapRepository.js';
import { SkillGapService, type DemandSort } from '../../src/services/skillGapService.js';

const ROWS: DemandRows = {
  vacancies: 20,
  candidates: 400,
  skills: [
    // uri, demand, essential, supply
    { uri: 's:a', label: 'a', demand: 10, essentialDemand: 10, supply: 100 },
    { uri: 's:b', label: 'b', demand: 8, essentialDemand: 4, supply: 12 },
    { uri: 's:c', label: 'c', demand: 6, essentialDemand: 6, supply: 2 }, // supply suppressed
    { uri: 's:d', label: 'd', demand: 4, essentialDemand: 0, supply: 80 },
    { uri: 's:e', label: 'e', demand: 2, essentialDemand: 2, supply: 50 }, // demand below threshold
  ],
};
const REGIONS: RegionRow[] = [
  { name: 'Île-de-France', openVacancies: 10, candidates: 100 },
  { name: 'île-de-france ', openVacancies: 1, candidates: 2 },
  { name: 'Bavaria', openVacancies: 4, candidates: 2 },
];

function service() {
  const calls: unknown[] = [];
  const repository = {
    skillDemand: (filter: unknown) => {
      calls.push(filter);
      return Promise.resolve(ROWS);
    },
    regions: () => Promise.resolve(REGIONS),
    iscoGroupKnown: (code: string) => Promise.resolve(code === '25'),
    occupationRequirements: (uris: string[]) =>
      Promise.resolve(
        new Map(
          uris
            .filter((u) => u.endsWith('/known'))
            .map((u) => [u, { uri: u, label: u, code: null, iscoGroup: null, requirements: [] }]),
        ),
      ),
  } as unknown as GapRepository;
  return {
    calls,
    gaps: new SkillGapService(repository, { minGroupSize: 3 }, { candidate: () => Promise.resolve(true) }),
  };
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof AppError);
    return `${e.code}: ${e.message}`;
  }
};

describe('skillDemand', () => {
  test('the documented formula, with pool sizes cancelling out', async () => {
    const { gaps } = service();
    const d = await gaps.skillDemand({ sort: 'VOLUME', first: 10 });
    const a = d.items.find((i) => i.skillUri === 's:a');
    // (100 / 400) / (10 / 20) = 0.5: a quarter of the candidates hold it, half the vacancies ask it.
    assert.equal(a?.supplyRatio, 0.5);
    assert.equal(a?.candidatesPerOpening, 10);
    const b = d.items.find((i) => i.skillUri === 's:b');
    assert.equal(b?.weightedDemand, 4 + 0.5 * 4);
    assert.equal(b?.supplyRatio, 12 / 400 / (6 / 20));
    const c = d.items.find((i) => i.skillUri === 's:c');
    assert.deepEqual([c?.supply, c?.supplyRatio, c?.suppressed], [null, null, true]);
    assert.equal(d.totalCount, 4, 's:e (2 vacancies) is below the threshold');
    assert.equal(d.suppressedCount, 2);
    assert.equal(d.candidates, 400);
  });

  test('orders: SHORTAGE, SURPLUS, VOLUME', async () => {
    const { gaps } = service();
    const order = async (sort: DemandSort) =>
      (await gaps.skillDemand({ sort, first: 10 })).items.map((i) => i.skillUri);
    // ratios: a 0.5, b 0.1, d 2/3 (80/400 / (2/20)) = 2; c suppressed.
    assert.deepEqual(await order('SHORTAGE'), ['s:c', 's:b', 's:a', 's:d']);
    assert.deepEqual(await order('SURPLUS'), ['s:d', 's:a', 's:b', 's:c']);
    assert.deepEqual(await order('VOLUME'), ['s:a', 's:b', 's:c', 's:d']);
  });

  test('pages follow each other; a cursor of another filter or sort is BAD_USER_INPUT', async () => {
    const { gaps } = service();
    const one = await gaps.skillDemand({ sort: 'SHORTAGE', first: 2 });
    const end = one.cursorAt(one.offset + one.items.length - 1);
    const two = await gaps.skillDemand({ sort: 'SHORTAGE', first: 2, after: end });
    assert.deepEqual(
      [...one.items, ...two.items].map((i) => i.skillUri),
      ['s:c', 's:b', 's:a', 's:d'],
    );
    assert.equal(two.offset, 2);
    assert.match(
      await codeOf(gaps.skillDemand({ sort: 'VOLUME', first: 2, after: end })),
      /^BAD_USER_INPUT: .*another skillDemand query/,
    );
    assert.match(
      await codeOf(gaps.skillDemand({ sort: 'SHORTAGE', first: 2, region: 'bavaria', after: end })),
      /another skillDemand query/,
    );
    assert.match(
      await codeOf(gaps.skillDemand({ sort: 'SHORTAGE', first: 2, after: 'dGcxOjE' })),
      /^BAD_USER_INPUT: after is not a skillDemand cursor/,
    );
  });

  test('regions match case-insensitively (every stored spelling); unknown facets are NOT_FOUND', async () => {
    const { gaps, calls } = service();
    await gaps.skillDemand({ sort: 'VOLUME', first: 5, region: '  ÎLE-DE-FRANCE' });
    assert.deepEqual((calls[0] as { regions: string[] }).regions, ['Île-de-France', 'île-de-france ']);
    assert.equal(
      await codeOf(gaps.skillDemand({ sort: 'VOLUME', first: 5, region: 'Atlantis' })),
      'NOT_FOUND: Region not found: Atlantis',
    );
    assert.equal(
      await codeOf(gaps.skillDemand({ sort: 'VOLUME', first: 5, iscoGroup: '99' })),
      'NOT_FOUND: ISCO group not found: 99',
    );
    assert.equal(await codeOf(gaps.skillDemand({ sort: 'VOLUME', first: 5, iscoGroup: '25' })), 'ok');
    const unknown = 'http://data.europa.eu/esco/occupation/none';
    assert.match(
      await codeOf(gaps.skillDemand({ sort: 'VOLUME', first: 5, occupationUri: unknown })),
      /^NOT_FOUND/,
    );
    assert.equal(calls.length, 2, 'nothing counted for an unknown facet');
  });

  test('regions: spellings grouped, small counts withheld', async () => {
    const { gaps } = service();
    assert.deepEqual(await gaps.regions(), [
      { name: 'Bavaria', spellings: ['Bavaria'], openVacancies: 4, candidates: null },
      {
        name: 'Île-de-France',
        spellings: ['Île-de-France', 'île-de-france '],
        openVacancies: 11,
        candidates: 102,
      },
    ]);
  });
});

test('regionKey folds case, width and spacing but keeps accents', () => {
  assert.equal(regionKey(' North\u00a0 HOLLAND '), 'north holland');
  assert.notEqual(regionKey('Île-de-France'), regionKey('Ile-de-France'));
  assert.deepEqual(matchRegions('dublin region', ['Dublin Region', 'Dublin']), ['Dublin Region']);
});
