/**
 * The demo generator on a tiny hand-made ESCO snapshot (no database): determinism, the input
 * contract, realistic profiles and text, outcomes that follow the hidden fit, the outcome bias,
 * and the fit labels.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'vitest';
import { PeopleRecord } from '../../src/domain/peopleInput.js';
import { createEscoSnapshot, EscoSnapshotError, type EscoSnapshot } from '../../src/demo/escoSnapshot.js';
import { generateDemo, type DemoOptions, type FitRecord } from '../../src/demo/generateDemo.js';
import { joinList, stripQualifier, toGerundPhrase } from '../../src/demo/demoText.js';
import { relevanceOf, RELEVANCE_THRESHOLDS } from '../../src/demo/hiddenFit.js';
import { Random, WeightedTable, streamFor } from '../../src/demo/random.js';
import { FIT_FILE, MANIFEST_FILE, PEOPLE_FILE, writeDemoFiles } from '../../src/demo/writeDemoFiles.js';

// --- a tiny ESCO: 14 occupations in 6 sub-major groups, 60 skills with alternative labels -------

type SkillRow = readonly [
  slug: string,
  kind: 'competence' | 'knowledge',
  preferred: string,
  ...alts: string[],
];

const SKILLS: readonly SkillRow[] = [
  ['debug', 'competence', 'debug software', 'fix software bugs', 'troubleshoot code'],
  ['prototype', 'competence', 'develop software prototype', 'build software prototypes'],
  ['patterns', 'competence', 'use software design patterns', 'apply design patterns'],
  ['libraries', 'competence', 'use software libraries', 'utilise code libraries'],
  ['requirements', 'competence', 'identify customer requirements', 'gather user requirements'],
  ['flowchart', 'competence', 'create flowchart diagram', 'draw flowcharts'],
  ['sql', 'knowledge', 'SQL', 'structured query language'],
  ['python', 'knowledge', 'Python (computer programming)', 'Python'],
  ['javascript', 'knowledge', 'JavaScript', 'JS', 'ECMAScript'],
  ['markup', 'competence', 'use markup languages', 'write HTML'],
  ['webstandards', 'competence', 'apply web standards', 'follow W3C standards'],
  ['ux', 'competence', 'design user interface', 'design UIs'],
  ['testing', 'competence', 'execute software tests', 'run software tests', 'perform software testing'],
  ['testplan', 'competence', 'plan software testing', 'prepare test plans'],
  ['analysis', 'competence', 'analyse business requirements', 'study business requirements'],
  ['modelling', 'knowledge', 'business process modelling', 'BPMN'],
  ['medication', 'competence', 'administer medication', 'give medicines to patients'],
  ['vitals', 'competence', 'monitor vital signs', 'check patient vital signs'],
  ['careplan', 'competence', 'plan nursing care', 'draw up care plans'],
  ['hygiene', 'competence', 'apply infection control', 'follow hygiene protocols'],
  ['anatomy', 'knowledge', 'human anatomy', 'anatomy of the human body'],
  ['patients', 'competence', 'communicate with patients', 'talk to patients'],
  ['wounds', 'competence', 'dress wounds', 'apply wound dressings'],
  ['mobility', 'competence', 'assist patients with mobility', 'help patients move'],
  ['pipes', 'competence', 'install pipes', 'fit pipework'],
  ['leaks', 'competence', 'repair leaks', 'fix water leaks'],
  ['sanitary', 'competence', 'install sanitary equipment', 'fit bathroom fixtures'],
  ['blueprints', 'competence', 'read standard blueprints', 'interpret technical drawings'],
  ['plumbingcode', 'knowledge', 'plumbing regulations', 'plumbing codes'],
  ['wiring', 'competence', 'install electrical wiring', 'lay electric cables'],
  ['circuits', 'competence', 'test electrical circuits', 'check circuits'],
  ['electricsafety', 'knowledge', 'electrical safety regulations', 'electrical safety rules'],
  ['tools', 'competence', 'use hand tools', 'operate hand tools'],
  ['ppe', 'competence', 'wear protective gear', 'use personal protective equipment'],
  ['sell', 'competence', 'carry out active selling', 'sell actively'],
  ['till', 'competence', 'operate cash register', 'work the till'],
  ['shelves', 'competence', 'stock shelves', 'replenish shelves'],
  ['customers', 'competence', "identify customer's needs", 'understand what customers want'],
  ['products', 'knowledge', 'product comprehension', 'product knowledge'],
  ['complaints', 'competence', 'handle customer complaints', 'deal with complaints'],
  ['ledger', 'competence', 'maintain financial records', 'keep the books'],
  ['tax', 'knowledge', 'tax legislation', 'tax law'],
  ['statements', 'competence', 'prepare financial statements', 'draw up annual accounts'],
  ['audit', 'competence', 'perform financial audits', 'audit accounts'],
  ['accounting', 'knowledge', 'accounting techniques', 'bookkeeping methods'],
  ['invoices', 'competence', 'issue sales invoices', 'send invoices'],
  ['payroll', 'competence', 'manage payroll', 'run payroll'],
  ['drive', 'competence', 'drive heavy trucks', 'operate lorries'],
  ['cargo', 'competence', 'secure cargo', 'fasten loads'],
  ['traffic', 'knowledge', 'road traffic laws', 'highway code'],
  ['tachograph', 'competence', 'use a tachograph', 'operate tachographs'],
  ['routes', 'competence', 'plan transport routes', 'plan delivery routes'],
  ['teamwork', 'competence', 'work in a team', 'cooperate with colleagues'],
  ['manage', 'competence', 'manage staff', 'lead a team', 'supervise employees'],
  ['computer', 'competence', 'have computer literacy', 'use computers'],
  ['quality', 'knowledge', 'quality standards', 'quality norms'],
  ['problems', 'competence', 'create solutions to problems', 'solve problems'],
  ['budget', 'competence', 'manage budgets', 'control budgets'],
  ['english', 'competence', 'communicate in English', 'speak English'],
  ['safety', 'knowledge', 'health and safety in the workplace', 'workplace safety'],
];

type OccupationRow = readonly [
  slug: string,
  iscoGroup: string,
  preferred: string,
  alts: readonly string[],
  essential: readonly string[],
  optional: readonly string[],
];

const OCCUPATIONS: readonly OccupationRow[] = [
  [
    'software-developer',
    '2512',
    'software developer',
    ['software engineer', 'programmer', 'application developer'],
    [
      'debug',
      'prototype',
      'patterns',
      'libraries',
      'requirements',
      'flowchart',
      'sql',
      'computer',
      'problems',
    ],
    ['python', 'javascript', 'ux', 'testing', 'teamwork', 'english'],
  ],
  [
    'web-developer',
    '2513',
    'web developer',
    ['front-end developer', 'web programmer'],
    ['debug', 'markup', 'webstandards', 'javascript', 'ux', 'computer'],
    ['sql', 'python', 'libraries', 'testing', 'teamwork'],
  ],
  [
    'systems-analyst',
    '2511',
    'ICT systems analyst',
    ['systems analyst', 'IT analyst'],
    ['analysis', 'modelling', 'requirements', 'flowchart', 'computer', 'problems'],
    ['sql', 'manage', 'english', 'quality'],
  ],
  [
    'test-engineer',
    '2519',
    'ICT test engineer',
    ['software tester', 'QA engineer'],
    ['testing', 'testplan', 'debug', 'quality', 'computer'],
    ['python', 'sql', 'requirements', 'teamwork'],
  ],
  [
    'ict-support',
    '3512',
    'ICT help desk agent',
    ['IT support technician', 'help desk technician'],
    ['computer', 'problems', 'customers', 'complaints', 'english'],
    ['sql', 'teamwork', 'debug'],
  ],
  [
    'nurse',
    '2221',
    'nurse responsible for general care',
    ['registered nurse', 'general nurse', 'staff nurse'],
    ['medication', 'vitals', 'careplan', 'hygiene', 'anatomy', 'patients', 'wounds'],
    ['mobility', 'manage', 'computer', 'teamwork', 'safety'],
  ],
  [
    'specialist-nurse',
    '2221',
    'specialist nurse',
    ['clinical nurse specialist', 'nurse specialist'],
    ['medication', 'vitals', 'careplan', 'hygiene', 'anatomy', 'patients'],
    ['manage', 'budget', 'english'],
  ],
  [
    'care-assistant',
    '5321',
    'healthcare assistant',
    ['nursing assistant', 'care assistant', 'nurse aide'],
    ['vitals', 'hygiene', 'patients', 'mobility', 'teamwork'],
    ['wounds', 'safety'],
  ],
  [
    'plumber',
    '7126',
    'plumber',
    ['pipe fitter', 'plumbing technician'],
    ['pipes', 'leaks', 'sanitary', 'blueprints', 'plumbingcode', 'tools', 'ppe'],
    ['customers', 'safety', 'budget'],
  ],
  [
    'electrician',
    '7411',
    'building electrician',
    ['electrician', 'electrical installer'],
    ['wiring', 'circuits', 'electricsafety', 'blueprints', 'tools', 'ppe'],
    ['customers', 'safety', 'teamwork'],
  ],
  [
    'shop-assistant',
    '5223',
    'shop assistant',
    ['sales assistant', 'retail assistant', 'shop worker'],
    ['sell', 'till', 'shelves', 'customers', 'products', 'complaints'],
    ['teamwork', 'english', 'computer'],
  ],
  [
    'accountant',
    '2411',
    'accountant',
    ['chartered accountant', 'financial accountant'],
    ['ledger', 'tax', 'statements', 'audit', 'accounting', 'computer'],
    ['payroll', 'budget', 'manage', 'english'],
  ],
  [
    'bookkeeper',
    '4311',
    'bookkeeper',
    ['accounts clerk', 'bookkeeping clerk'],
    ['ledger', 'accounting', 'invoices', 'payroll', 'computer'],
    ['tax', 'statements'],
  ],
  [
    'truck-driver',
    '8332',
    'heavy truck driver',
    ['lorry driver', 'HGV driver', 'truck driver'],
    ['drive', 'cargo', 'traffic', 'tachograph', 'safety'],
    ['routes', 'customers', 'english'],
  ],
];

const skillUri = (slug: string) => `http://data.europa.eu/esco/skill/test-${slug}`;
const occupationUri = (slug: string) => `http://data.europa.eu/esco/occupation/test-${slug}`;

function tinySnapshot(): EscoSnapshot {
  return createEscoSnapshot({
    skills: SKILLS.map(([slug, kind, preferredLabel, ...altLabels]) => ({
      uri: skillUri(slug),
      preferredLabel,
      altLabels,
      skillType: kind === 'knowledge' ? 'knowledge' : 'skill/competence',
    })),
    occupations: OCCUPATIONS.map(([slug, iscoGroup, preferredLabel, altLabels, essential, optional], i) => ({
      uri: occupationUri(slug),
      code: `${iscoGroup}.${i + 1}`,
      iscoGroup,
      preferredLabel,
      altLabels: [preferredLabel, ...altLabels],
      description: `${preferredLabel} description`,
      essential: essential.map(skillUri),
      optional: optional.map(skillUri),
    })),
  });
}

const snapshot = tinySnapshot();
const SMALL: DemoOptions = { candidates: 300, vacancies: 40, seed: 7 };

type Candidate = Extract<PeopleRecord, { type: 'candidate' }>;
type Vacancy = Extract<PeopleRecord, { type: 'vacancy' }>;
type Application = Extract<PeopleRecord, { type: 'application' }>;

interface Generated {
  readonly records: PeopleRecord[];
  readonly candidates: Candidate[];
  readonly vacancies: Vacancy[];
  readonly applications: Application[];
  readonly fit: FitRecord[];
}

function generate(options: DemoOptions): Generated {
  const demo = generateDemo(snapshot, options);
  const records = [...demo.records];
  return {
    records,
    candidates: records.filter((r): r is Candidate => r.type === 'candidate'),
    vacancies: records.filter((r): r is Vacancy => r.type === 'vacancy'),
    applications: records.filter((r): r is Application => r.type === 'application'),
    fit: [...demo.fit],
  };
}

const small = generate(SMALL);
const occupationsByUri = new Map(snapshot.occupations.map((o) => [o.uri, o]));
const skillsByUri = new Map(snapshot.skills.map((s) => [s.uri, s]));
const pairKey = (vacancyId: string, candidateId: string) => `${vacancyId}|${candidateId}`;

describe('determinism', () => {
  test('the same seed gives identical records and fit labels', () => {
    const again = generate(SMALL);
    assert.deepEqual(again.records, small.records);
    assert.deepEqual(again.fit, small.fit);
  });

  test('iterating the same result twice gives the same sequence', () => {
    const demo = generateDemo(snapshot, { ...SMALL, candidates: 50 });
    assert.deepEqual([...demo.records], [...demo.records]);
    assert.deepEqual([...demo.fit], [...demo.fit]);
  });

  test('a different seed gives different data', () => {
    const other = generate({ ...SMALL, seed: 8 });
    assert.notDeepEqual(other.candidates, small.candidates);
    assert.notDeepEqual(other.vacancies, small.vacancies);
  });

  test('candidate i does not depend on how many candidates are generated', () => {
    const fewer = generate({ ...SMALL, candidates: 100 });
    assert.deepEqual(fewer.candidates, small.candidates.slice(0, 100));
    assert.deepEqual(fewer.vacancies, small.vacancies);
  });

  test('the snapshot order of its sources does not matter', () => {
    const shuffled = createEscoSnapshot({
      skills: [...snapshot.skills]
        .reverse()
        .map((s) => ({ ...s, skillType: s.kind === 'knowledge' ? 'knowledge' : null })),
      occupations: [...snapshot.occupations].reverse().map((o) => ({
        ...o,
        essential: [...o.essential].reverse().map((i) => snapshot.skills[i]?.uri ?? ''),
        optional: [...o.optional].map((i) => snapshot.skills[i]?.uri ?? ''),
      })),
    });
    assert.deepEqual(
      [...generateDemo(shuffled, { ...SMALL, candidates: 60 }).records],
      [...generateDemo(snapshot, { ...SMALL, candidates: 60 }).records],
    );
  });
});

describe('the input contract', () => {
  test('every record validates against PeopleRecord and survives a JSON round trip', () => {
    for (const record of small.records) {
      const line = JSON.stringify(record);
      const parsed = PeopleRecord.safeParse(JSON.parse(line));
      assert.ok(parsed.success, `${line.slice(0, 120)}…: ${parsed.success ? '' : parsed.error.message}`);
    }
  });

  test('candidates, then vacancies, then applications, with the requested counts and stable ids', () => {
    const order = small.records.map((r) => r.type);
    const firstVacancy = order.indexOf('vacancy');
    const firstApplication = order.indexOf('application');
    assert.equal(firstVacancy, 300);
    assert.equal(firstApplication, 340);
    assert.ok(order.slice(firstApplication).every((t) => t === 'application'));
    assert.equal(small.candidates[0]?.id, 'cand-000001');
    assert.equal(small.candidates.at(-1)?.id, 'cand-000300');
    assert.equal(small.vacancies[0]?.id, 'vac-00001');
    assert.equal(small.vacancies.at(-1)?.id, 'vac-00040');
    assert.equal(new Set(small.candidates.map((c) => c.id)).size, 300);
  });

  test('references point at generated records and snapshot concepts', () => {
    const candidateIds = new Set(small.candidates.map((c) => c.id));
    const vacancyIds = new Set(small.vacancies.map((v) => v.id));
    for (const a of small.applications) {
      assert.ok(candidateIds.has(a.candidateId) && vacancyIds.has(a.vacancyId));
    }
    for (const c of small.candidates) {
      for (const s of c.skills) assert.ok(skillsByUri.has(s.uri ?? ''), s.uri);
      for (const o of c.occupations) assert.ok(occupationsByUri.has(o.uri ?? ''), o.uri);
    }
    for (const v of small.vacancies) {
      assert.ok(occupationsByUri.has(v.occupation?.uri ?? ''));
      for (const s of v.skills) assert.ok(skillsByUri.has(s.uri ?? ''), s.uri);
      assert.match(v.organization?.id ?? '', /^org-\d{3}$/);
    }
  });

  test('rejects options out of range', () => {
    assert.throws(() => generateDemo(snapshot, { candidates: -1 }), RangeError);
    assert.throws(() => generateDemo(snapshot, { vacancies: 1.5 }), RangeError);
    assert.throws(() => generateDemo(snapshot, { outcomeBias: 1.2 }), RangeError);
    assert.throws(() => generateDemo(snapshot, { asOf: 'yesterday' }), RangeError);
  });

  test('a snapshot refuses occupations that require unknown skills or lack an ISCO unit group', () => {
    const base = { uri: 'o:1', code: '1', preferredLabel: 'x', essential: [], optional: [] };
    assert.throws(
      () =>
        createEscoSnapshot({
          skills: [],
          occupations: [{ ...base, iscoGroup: '2512', essential: ['s:missing'] }],
        }),
      EscoSnapshotError,
    );
    assert.throws(
      () => createEscoSnapshot({ skills: [], occupations: [{ ...base, iscoGroup: '25' }] }),
      EscoSnapshotError,
    );
  });

  test('snapshot alternative labels exclude the preferred label and duplicates', () => {
    const developer = occupationsByUri.get(occupationUri('software-developer'));
    assert.deepEqual(developer?.altLabels, ['software engineer', 'programmer', 'application developer']);
  });
});

describe('candidates', () => {
  test('mostly hold the essential skills of their main occupation', () => {
    const shares = small.candidates.map((c) => {
      const main = occupationsByUri.get(c.occupations[0]?.uri ?? '');
      assert.ok(main, 'every candidate has a main occupation');
      const held = new Set(c.skills.map((s) => s.uri));
      const essential = [...main.essential].map((i) => snapshot.skills[i]?.uri);
      return essential.filter((uri) => held.has(uri)).length / essential.length;
    });
    assert.ok(
      shares.every((s) => s > 0),
      'everyone holds some essential skill of their occupation',
    );
    const strong = shares.filter((s) => s >= 0.5).length / shares.length;
    assert.ok(strong >= 0.85, `share holding half or more: ${strong}`);
    assert.ok(
      shares.some((s) => s < 1),
      'not everyone holds all of them',
    );
  });

  test('have 1-3 occupations within one ISCO minor group, years that add up, skills with sources', () => {
    let extracted = 0;
    let total = 0;
    for (const c of small.candidates) {
      assert.ok(c.occupations.length >= 1 && c.occupations.length <= 3);
      const groups = c.occupations.map((o) => occupationsByUri.get(o.uri ?? '')?.iscoGroup.slice(0, 3));
      assert.equal(new Set(groups).size, 1, `${c.id}: neighbours share the main occupation's minor group`);
      const years = c.occupations.reduce((sum, o) => sum + (o.years ?? 0), 0);
      assert.equal(years, c.yearsExperience);
      for (const s of c.skills) {
        total += 1;
        if (s.source === 'extracted') extracted += 1;
      }
    }
    const share = extracted / total;
    assert.ok(share > 0.05 && share < 0.35, `extracted share ${share}`);
  });

  test('many candidates share occupations, and sensitive attributes are roughly balanced', () => {
    const mains = new Map<string, number>();
    for (const c of small.candidates)
      mains.set(c.occupations[0]?.uri ?? '', (mains.get(c.occupations[0]?.uri ?? '') ?? 0) + 1);
    assert.ok(Math.max(...mains.values()) >= 30, 'some occupations are common');
    const female = small.candidates.filter((c) => c.sensitive?.gender === 'female').length / 300;
    assert.ok(female > 0.3 && female < 0.7, `female share ${female}`);
    assert.ok(small.candidates.every((c) => c.sensitive?.gender && c.sensitive.ageBand));
  });

  test('summaries are prose in their own words, not label lists', () => {
    for (const c of small.candidates) {
      const summary = c.summary ?? '';
      const text = summary.toLowerCase();
      assert.ok(
        (summary.match(/\.(\s|$)/g) ?? []).length >= 2,
        `${c.id}: at least two sentences: ${summary}`,
      );
      const main = occupationsByUri.get(c.occupations[0]?.uri ?? '');
      assert.ok(main);
      // The job title is one of the occupation's alternative labels, never its preferred label alone.
      assert.ok(
        main.altLabels.some((alt) => text.includes(stripQualifier(alt).toLowerCase())),
        `${c.id}: an alternative occupation label in "${summary}"`,
      );
      const labels = c.skills.map((s) => skillsByUri.get(s.uri ?? '')?.preferredLabel ?? '');
      assert.notEqual(text, joinList(labels).toLowerCase());
    }
    // Across summaries, skills are mostly named through alternative labels or paraphrases.
    let mentions = 0;
    let paraphrased = 0;
    for (const c of small.candidates) {
      const text = (c.summary ?? '').toLowerCase();
      for (const s of c.skills) {
        const skill = skillsByUri.get(s.uri ?? '');
        if (!skill) continue;
        const preferred = stripQualifier(skill.preferredLabel).toLowerCase();
        const forms = skill.altLabels.flatMap((l) => [stripQualifier(l), toGerundPhrase(stripQualifier(l))]);
        const asPreferred = text.includes(preferred);
        const asOther =
          forms.some((f) => text.includes(f.toLowerCase())) ||
          text.includes(toGerundPhrase(preferred).toLowerCase());
        if (asPreferred || asOther) mentions += 1;
        if (asOther && !asPreferred) paraphrased += 1;
      }
    }
    assert.ok(paraphrased / mentions > 0.5, `paraphrased ${paraphrased} of ${mentions} mentions`);
  });

  test('extracted skills are mentioned in the summary', () => {
    for (const c of small.candidates) {
      const text = (c.summary ?? '').toLowerCase();
      for (const s of c.skills.filter((k) => k.source === 'extracted')) {
        const skill = skillsByUri.get(s.uri ?? '');
        assert.ok(skill);
        const forms = [skill.preferredLabel, ...skill.altLabels].flatMap((l) => [
          stripQualifier(l),
          toGerundPhrase(stripQualifier(l)),
        ]);
        assert.ok(
          forms.some((f) => text.includes(f.toLowerCase())),
          `${c.id}: "${skill.preferredLabel}" in "${c.summary}"`,
        );
      }
    }
  });
});

describe('vacancies', () => {
  test('are titled from occupation labels, list a subset of its skills, and are mostly open', () => {
    for (const v of small.vacancies) {
      const occupation = occupationsByUri.get(v.occupation?.uri ?? '');
      assert.ok(occupation);
      const base = v.title.replace(/^(Senior|Junior|Lead) /, '').toLowerCase();
      assert.ok(
        [occupation.preferredLabel, ...occupation.altLabels].some(
          (l) => stripQualifier(l).toLowerCase() === base,
        ),
        v.title,
      );
      const essential = new Set([...occupation.essential].map((i) => snapshot.skills[i]?.uri));
      const optional = new Set([...occupation.optional].map((i) => snapshot.skills[i]?.uri));
      for (const s of v.skills) assert.ok((s.relation === 'essential' ? essential : optional).has(s.uri));
      assert.ok(v.skills.some((s) => s.relation === 'essential'));
      assert.ok((v.description ?? '').length > 80);
    }
    const generated = generate({ candidates: 0, vacancies: 400, seed: 3 });
    const open = generated.vacancies.filter((v) => v.status === 'OPEN').length / 400;
    assert.ok(open > 0.78 && open < 0.92, `open share ${open}`);
  });

  test('were posted within the 18 months before asOf', () => {
    const asOf = Date.parse('2026-11-01T00:00:00Z');
    for (const v of small.vacancies) {
      const posted = Date.parse(v.postedAt ?? '');
      assert.ok(posted < asOf && posted > asOf - 549 * 86_400_000, v.postedAt);
    }
  });
});

describe('applications and outcomes', () => {
  const vacancyById = new Map(small.vacancies.map((v) => [v.id, v]));
  const candidateById = new Map(small.candidates.map((c) => [c.id, c]));
  const fitByPair = new Map(small.fit.map((f) => [pairKey(f.vacancyId, f.candidateId), f]));

  test('0-6 per candidate, never twice to one vacancy, mostly near the profile', () => {
    const perCandidate = new Map<string, Set<string>>();
    let near = 0;
    for (const a of small.applications) {
      const seen = perCandidate.get(a.candidateId) ?? new Set<string>();
      assert.ok(!seen.has(a.vacancyId), `${a.candidateId} applied twice to ${a.vacancyId}`);
      seen.add(a.vacancyId);
      perCandidate.set(a.candidateId, seen);
      const vacancyGroup = occupationsByUri.get(
        vacancyById.get(a.vacancyId)?.occupation?.uri ?? '',
      )?.iscoGroup;
      const groups = (candidateById.get(a.candidateId)?.occupations ?? []).map((o) =>
        occupationsByUri.get(o.uri ?? '')?.iscoGroup.slice(0, 3),
      );
      if (groups.includes(vacancyGroup?.slice(0, 3))) near += 1;
    }
    assert.ok([...perCandidate.values()].every((s) => s.size <= 6));
    assert.ok(perCandidate.size < 300, 'some candidates apply nowhere');
    assert.ok(near / small.applications.length > 0.7, `near share ${near / small.applications.length}`);
  });

  test('at most one hire per vacancy, only on closed ones; open ones still have applications in flight', () => {
    const hires = new Map<string, number>();
    for (const a of small.applications.filter((x) => x.status === 'HIRED')) {
      assert.equal(vacancyById.get(a.vacancyId)?.status, 'CLOSED');
      hires.set(a.vacancyId, (hires.get(a.vacancyId) ?? 0) + 1);
    }
    assert.ok([...hires.values()].every((n) => n === 1));
    for (const a of small.applications) {
      if (vacancyById.get(a.vacancyId)?.status === 'CLOSED') {
        assert.ok(
          !['APPLIED', 'SCREENED', 'INTERVIEW'].includes(a.status ?? 'APPLIED'),
          `settled on a closed vacancy: ${a.status}`,
        );
      }
    }
    const statuses = new Set(small.applications.map((a) => a.status));
    for (const s of ['APPLIED', 'SCREENED', 'INTERVIEW', 'REJECTED', 'WITHDRAWN'])
      assert.ok(statuses.has(s as Application['status']), s);
  });

  test('timestamps follow the posting and each other', () => {
    for (const a of small.applications) {
      const posted = Date.parse(vacancyById.get(a.vacancyId)?.postedAt ?? '');
      const at = Date.parse(a.at ?? '');
      const updated = Date.parse(a.updatedAt ?? '');
      assert.ok(
        posted < at && at <= updated && updated < Date.parse('2026-11-01T00:00:00Z'),
        JSON.stringify(a),
      );
    }
  });

  test('outcomes follow the hidden fit', () => {
    const meanFit = (status: string) => {
      const fits = small.applications
        .filter((a) => a.status === status)
        .map((a) => fitByPair.get(pairKey(a.vacancyId, a.candidateId))?.fit ?? NaN);
      return fits.reduce((x, y) => x + y, 0) / fits.length;
    };
    assert.ok(meanFit('INTERVIEW') > meanFit('SCREENED'));
    assert.ok(meanFit('SCREENED') > meanFit('REJECTED'));
    const large = generate({ candidates: 2000, vacancies: 200, seed: 11 });
    const largeFit = new Map(large.fit.map((f) => [pairKey(f.vacancyId, f.candidateId), f.fit]));
    const fitsOf = (status: string) =>
      large.applications
        .filter((a) => a.status === status)
        .map((a) => largeFit.get(pairKey(a.vacancyId, a.candidateId)) ?? NaN);
    const hired = fitsOf('HIRED');
    const rejected = fitsOf('REJECTED');
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    assert.ok(hired.length >= 10, `hires: ${hired.length}`);
    assert.ok(mean(hired) > mean(rejected) + 0.2, `hired ${mean(hired)} vs rejected ${mean(rejected)}`);
  });

  test('outcome bias 0.9 lowers the female hire rate', () => {
    const femaleHireRate = (outcomeBias: number) => {
      const g = generate({ candidates: 4000, vacancies: 300, seed: 5, outcomeBias });
      const gender = new Map(g.candidates.map((c) => [c.id, c.sensitive?.gender]));
      const closed = new Set(g.vacancies.filter((v) => v.status === 'CLOSED').map((v) => v.id));
      const female = g.applications.filter(
        (a) => closed.has(a.vacancyId) && gender.get(a.candidateId) === 'female',
      );
      const male = g.applications.filter(
        (a) => closed.has(a.vacancyId) && gender.get(a.candidateId) === 'male',
      );
      const rate = (apps: Application[]) => apps.filter((a) => a.status === 'HIRED').length / apps.length;
      return { female: rate(female), male: rate(male), applications: g.applications };
    };
    const fair = femaleHireRate(0);
    const biased = femaleHireRate(0.9);
    assert.ok(fair.female > 0, 'women are hired without bias');
    assert.ok(biased.female < fair.female * 0.5, `female hire rate ${biased.female} vs ${fair.female}`);
    assert.ok(biased.male >= fair.male, `male hire rate ${biased.male} vs ${fair.male}`);
    // The bias changes outcomes only: who applies where is the same.
    assert.deepEqual(
      biased.applications.map((a) => pairKey(a.vacancyId, a.candidateId)),
      fair.applications.map((a) => pairKey(a.vacancyId, a.candidateId)),
    );
  });
});

describe('fit labels', () => {
  test('cover every application, with no pair twice', () => {
    const pairs = small.fit.map((f) => pairKey(f.vacancyId, f.candidateId));
    assert.equal(new Set(pairs).size, pairs.length);
    const labelled = new Set(pairs);
    for (const a of small.applications) assert.ok(labelled.has(pairKey(a.vacancyId, a.candidateId)));
    // The application pairs come first, in record order.
    assert.deepEqual(
      pairs.slice(0, small.applications.length),
      small.applications.map((a) => pairKey(a.vacancyId, a.candidateId)),
    );
  });

  test('add top-fitting and random non-applicants per vacancy, with grades from the fit', () => {
    const applied = new Set(small.applications.map((a) => pairKey(a.vacancyId, a.candidateId)));
    const samples = small.fit.slice(small.applications.length);
    assert.ok(samples.every((f) => !applied.has(pairKey(f.vacancyId, f.candidateId))));
    const perVacancy = new Map<string, number>();
    for (const f of samples) perVacancy.set(f.vacancyId, (perVacancy.get(f.vacancyId) ?? 0) + 1);
    assert.equal(perVacancy.size, 40);
    assert.ok([...perVacancy.values()].every((n) => n >= 20 && n <= 40));
    for (const f of small.fit) {
      assert.ok(f.fit >= 0 && f.fit <= 1);
      assert.equal(f.relevance, relevanceOf(f.fit));
    }
    // The samples are graded, not all zero: relevant and irrelevant pairs for ranking metrics.
    const grades = new Set(samples.map((f) => f.relevance));
    assert.ok(grades.has(0) && grades.has(3), [...grades].join(','));
    assert.deepEqual(RELEVANCE_THRESHOLDS, [0.3, 0.5, 0.7]);
  });

  test('the top samples are the best-fitting non-applicants', () => {
    // A random sample as large as the population labels every non-applicant pair: brute force.
    const all = generate({ ...SMALL, fitRandomPerVacancy: 300 });
    const byVacancy = new Map<string, FitRecord[]>();
    for (const f of all.fit.slice(all.applications.length)) {
      byVacancy.set(f.vacancyId, [...(byVacancy.get(f.vacancyId) ?? []), f]);
    }
    for (const [vacancyId, records] of byVacancy) {
      const applicants = all.applications.filter((a) => a.vacancyId === vacancyId).length;
      assert.equal(records.length, 300 - applicants, `${vacancyId}: every non-applicant labelled once`);
      const top = records.slice(0, 20);
      const best = [...records].sort((a, b) => b.fit - a.fit).slice(0, 20);
      assert.deepEqual(
        top.map((r) => r.fit),
        best.map((r) => r.fit),
        vacancyId,
      );
    }
    // And the usual samples are those top pairs plus random ones.
    assert.deepEqual(
      small.fit
        .slice(small.applications.length)
        .filter((f) => f.vacancyId === 'vac-00001')
        .slice(0, 20),
      all.fit
        .slice(all.applications.length)
        .filter((f) => f.vacancyId === 'vac-00001')
        .slice(0, 20),
    );
  });
});

describe('writeDemoFiles', () => {
  test('writes people, fit and manifest files that match the generator', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-files-'));
    try {
      const report = await writeDemoFiles(snapshot, { ...SMALL, candidates: 80 }, dir);
      const people = fs.readFileSync(path.join(dir, PEOPLE_FILE), 'utf8').trimEnd().split('\n');
      const fit = fs.readFileSync(path.join(dir, FIT_FILE), 'utf8').trimEnd().split('\n');
      const demo = generateDemo(snapshot, { ...SMALL, candidates: 80 });
      assert.deepEqual(
        people,
        [...demo.records].map((r) => JSON.stringify(r)),
      );
      assert.deepEqual(
        fit,
        [...demo.fit].map((r) => JSON.stringify(r)),
      );
      assert.equal(report.counts.candidates, 80);
      assert.equal(report.counts.vacancies, 40);
      assert.equal(
        report.counts.candidates + report.counts.vacancies + report.counts.applications,
        people.length,
      );
      assert.equal(report.counts.fitRecords, fit.length);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as {
        options: { seed: number };
      };
      assert.equal(manifest.options.seed, 7);
      assert.deepEqual(
        fs.readdirSync(dir).sort(),
        [FIT_FILE, MANIFEST_FILE, PEOPLE_FILE].sort(),
        'no temporary files left',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('text and randomness helpers', () => {
  test('verb phrases become gerunds', () => {
    assert.equal(toGerundPhrase('manage staff'), 'managing staff');
    assert.equal(toGerundPhrase('plan transport routes'), 'planning transport routes');
    assert.equal(toGerundPhrase('tie knots'), 'tying knots');
    assert.equal(toGerundPhrase('see patients'), 'seeing patients');
    assert.equal(toGerundPhrase('pre-blend tobacco'), 'pre-blending tobacco');
    assert.equal(toGerundPhrase('handling cargo'), 'handling cargo');
    assert.equal(stripQualifier('Chef (tools for software configuration management)'), 'Chef');
    assert.equal(joinList(['a', 'b', 'c']), 'a, b and c');
  });

  test('streams are reproducible and independent; weighted draws follow their weights', () => {
    const a = streamFor(1, 'x', 5);
    const b = streamFor(1, 'x', 5);
    const seqA = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      seqA,
      Array.from({ length: 5 }, () => b.next()),
    );
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 5 }, () => streamFor(1, 'x', 6).next()),
    );
    const table = new WeightedTable([1, 0, 3]);
    const rng = new Random(99);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      const k = table.draw(rng);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    assert.equal(counts[1], 0);
    assert.ok(Math.abs((counts[2] ?? 0) / 20_000 - 0.75) < 0.02, counts.join(','));
  });
});
