/**
 * The request shapes of the outside probe of issue #15 ("Why", items 1-10) and a few cheap ones of
 * the bad-input corpus (tests/e2e/badInput.e2e.test.ts), each replayed and judged attempt by
 * attempt (see `Outcome`). A shape judges what an attacker would read from the answers (a leak is
 * "accepted wrongly" even when every request was answered with 200), not what the code intends.
 *
 * Phases: `reads` shapes must leave the graph as it was (refused writes included; the runner
 * compares snapshots around them); `writes` shapes make data of their own on the write target
 * (races, erasure); `last` throttles the probe's (forwarded) address, so it runs at the end.
 */
import { createHash } from 'node:crypto';
import { verdict, type Answer, type Attempt, type ProbeHttp, type ProbeKeys } from './probeClient.js';

export interface ProbeFixture {
  /** A vacancy of `organization` with applicants. */
  readonly vacancy: string;
  readonly organization: string;
  /** Up to three vacancies of `organization` with applicants (the first is `vacancy`). */
  readonly vacanciesOfOrganization: readonly string[];
  /** A vacancy of another organization. */
  readonly otherVacancy: string;
  /** A candidate who applied to `vacancy`. */
  readonly applicant: string;
  /** A candidate who applied to no vacancy of `organization`. */
  readonly outsider: string;
  readonly occupationUri: string;
}

export interface ProbeContext {
  /** The server with the people data (every shape but the writes). */
  readonly http: ProbeHttp;
  /** Where the `writes` shapes make their own data (the same server, or a scratch one). */
  readonly writes: ProbeHttp;
  readonly keys: ProbeKeys;
  /** The RECRUITER and PARTNER keys of `fixture.organization`. */
  readonly recruiter: string;
  readonly partner: string;
  readonly fixture: ProbeFixture;
  readonly repetitions: number;
  readonly hangMs: number;
  /** Unique per run, so the ids a run creates are fresh. */
  readonly runId: string;
}

export interface ProbeShape {
  readonly name: string;
  /** The item of #15's "Why" it replays, or `corpus`. */
  readonly item: string;
  readonly phase: 'reads' | 'writes' | 'last';
  readonly what: string;
  run(ctx: ProbeContext): Promise<Attempt[]>;
}

const times = (n: number) => Array.from({ length: n }, (_, i) => i);
const gql = (query: string, variables: Record<string, unknown> = {}) => ({ query, variables });
const judgeWith = (ctx: ProbeContext, expect: readonly string[], judge?: Parameters<typeof verdict>[3]) => {
  return (a: Answer) => verdict(a, expect, ctx.hangMs, judge);
};

/** F`n` spreads F`n-1` twice: the probe's 977-byte document at 24 levels (2^25 spreads expanded). */
export function doublingChain(levels: number): string {
  const parts = [`{ ...F${levels} }`, 'fragment F0 on Query { __typename }'];
  for (let i = 1; i <= levels; i += 1) parts.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  return parts.join(' ');
}

/** The same doubling through inline fragments: F`n` holds two inline fragments, each spreading F`n-1`. */
function doublingInlineChain(levels: number): string {
  const parts = [`{ ...F${levels} }`, 'fragment F0 on Query { __typename }'];
  for (let i = 1; i <= levels; i += 1)
    parts.push(`fragment F${i} on Query { ... on Query { ...F${i - 1} } ... on Query { ...F${i - 1} } }`);
  return parts.join(' ');
}

const NO_CE = { useReranker: false };
const FAIRNESS_QUERY = `query($v: ID!, $k: Int, $o: RankingOptions) {
  rankCandidates(vacancyId: $v, first: $k, options: $o) { fairness { k groups { group topKCount } } }
}`;

interface FairnessSeen {
  k: number;
  groups: Array<{ group: string; topKCount: number }>;
}

/**
 * The ranks whose group the figures seen so far pin down: a top-k cut whose members all belong to
 * one group, or two cuts whose difference lies in one group only (then every rank between them is
 * in it). This is the k = n vs n + 1 walk of #15 item 2, applied to whatever cuts the role sees.
 */
function determinedRanks(seen: readonly FairnessSeen[]): Set<number> {
  const known = new Set<number>();
  const cuts = [{ k: 0, counts: new Map<string, number>() }];
  for (const f of seen) {
    if (f.groups.length === 0) continue;
    cuts.push({ k: f.k, counts: new Map(f.groups.map((g) => [g.group, g.topKCount])) });
  }
  for (const a of cuts) {
    for (const b of cuts) {
      if (b.k <= a.k) continue;
      const groups = new Set([...a.counts.keys(), ...b.counts.keys()]);
      const grown = [...groups].filter((g) => (b.counts.get(g) ?? 0) !== (a.counts.get(g) ?? 0));
      const [only] = grown;
      if (
        grown.length === 1 &&
        only !== undefined &&
        (b.counts.get(only) ?? 0) - (a.counts.get(only) ?? 0) === b.k - a.k
      )
        for (let r = a.k + 1; r <= b.k; r += 1) known.add(r);
    }
  }
  return known;
}

type RankedItems = {
  rankCandidates: {
    nodes: Array<{
      breakdown: Array<{ feature: string; value: number | null }>;
      candidate: { id: string; applications?: Array<{ status: string }> | null };
    }>;
  } | null;
};

const history = (item: NonNullable<RankedItems['rankCandidates']>['nodes'][number]) =>
  item.breakdown.find((b) => b.feature === 'OUTCOME_HISTORY')?.value ?? null;

async function seedVacancy(ctx: ProbeContext, id: string): Promise<void> {
  const seed = await ctx.writes.post(
    gql(
      `mutation { upsertVacancy(input: { id: "${id}", title: "Python developer", skills: [{ label: "Python", relation: ESSENTIAL }] }) { id } }`,
    ),
    ctx.keys.admin,
  );
  if (seed.codes.length > 0 || seed.status !== 200)
    throw new Error(`the probe could not seed ${id}: ${seed.status} ${seed.messages.join('; ')}`);
}

async function seedCandidates(ctx: ProbeContext, ids: readonly string[]): Promise<void> {
  const seed = await ctx.writes.post(
    gql(
      `mutation { ${ids
        .map(
          (id, i) =>
            `c${i}: upsertCandidate(input: { id: "${id}", displayName: "Probe ${i}", skills: [{ label: "Python" }] }) { id }`,
        )
        .join(' ')} }`,
    ),
    ctx.keys.admin,
  );
  if (seed.codes.length > 0 || seed.status !== 200)
    throw new Error(`the probe could not seed candidates: ${seed.status} ${seed.messages.join('; ')}`);
}

async function applicationsOf(ctx: ProbeContext, candidate: string) {
  const res = await ctx.writes.post(
    gql('query($c: ID!) { candidate(id: $c) { applications { status updatedAt } } }', { c: candidate }),
    ctx.keys.admin,
  );
  const c = res.data?.candidate as { applications: Array<{ status: string; updatedAt: string }> } | null;
  return c?.applications ?? [];
}

/** Winners beyond the first of a race are accepted wrongly; losers told CONFLICT / BAD_USER_INPUT are refused. */
function judgeRace(ctx: ProbeContext, answers: Answer[], expect: readonly string[]): Attempt[] {
  let winners = 0;
  return answers.map((a) =>
    verdict(a, expect, ctx.hangMs, () => {
      winners += 1;
      return winners === 1
        ? 'harmless'
        : { outcome: 'acceptedWrongly', note: `winner ${winners} of one race` };
    }),
  );
}

export const PROBE_SHAPES: readonly ProbeShape[] = [
  {
    name: 'fragmentBomb',
    item: '1',
    phase: 'reads',
    what: 'anonymous fragment chains doubling per level (24 and 26 levels, through inline fragments, across two operations), while /health is asked',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const _ of times(ctx.repetitions)) {
        const chain = doublingChain(24);
        for (const body of [
          gql(chain),
          gql(doublingChain(26)),
          gql(doublingInlineChain(24)),
          // Two operations over one chain; the second one is asked for.
          {
            query: `query A { ...F24 } query B { ...F24 } ${chain.slice(chain.indexOf('fragment'))}`,
            operationName: 'B',
          },
        ]) {
          const [answer, healthMs] = await Promise.all([ctx.http.post(body, null), ctx.http.health()]);
          const attempt = verdict(answer, ['QUERY_TOO_COMPLEX'], ctx.hangMs);
          out.push(
            healthMs >= ctx.hangMs
              ? { outcome: 'hang', ms: healthMs, note: `/health took ${healthMs.toFixed(0)} ms` }
              : attempt,
          );
        }
      }
      return out;
    },
  },
  {
    name: 'singleGroupConstraint',
    item: '2',
    phase: 'reads',
    what: 'RECRUITER and PARTNER ask a top k of one group (group nonbinary, minGroupShare 1.0, and the two alone)',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const _ of times(ctx.repetitions))
        for (const key of [ctx.recruiter, ctx.partner])
          for (const fairness of [
            { group: 'nonbinary', minGroupShare: 1.0 },
            { minGroupShare: 0.5 },
            { group: 'female' },
          ])
            out.push(
              judgeWith(ctx, ['FORBIDDEN'])(
                await ctx.http.post(
                  gql(FAIRNESS_QUERY, { v: ctx.fixture.vacancy, k: 9, o: { ...NO_CE, fairness } }),
                  key,
                ),
              ),
            );
      return out;
    },
  },
  {
    name: 'fairnessDifferencing',
    item: '2',
    phase: 'reads',
    what: 'RECRUITER and PARTNER walk k = 1..16 (GENDER, AGE_BAND): does any k, or any two, pin down one rank’s group?',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const key of [ctx.recruiter, ctx.partner]) {
        for (const attribute of ['GENDER', 'AGE_BAND']) {
          const seen: FairnessSeen[] = [];
          let known = new Set<number>();
          for (let k = 1; k <= 16; k += 1) {
            const answer = await ctx.http.post(
              gql(FAIRNESS_QUERY, { v: ctx.fixture.vacancy, k, o: { ...NO_CE, fairness: { attribute } } }),
              key,
            );
            out.push(
              verdict(answer, [], ctx.hangMs, (a) => {
                const f = (a.data?.rankCandidates as { fairness: FairnessSeen | null } | null)?.fairness;
                if (f) seen.push(f);
                const now = determinedRanks(seen);
                const fresh = [...now].filter((r) => !known.has(r));
                known = now;
                return fresh.length === 0
                  ? 'harmless'
                  : {
                      outcome: 'acceptedWrongly',
                      note: `${attribute} at k = ${k}: the figures seen so far give the group of rank${fresh.length > 1 ? 's' : ''} ${fresh.join(', ')}`,
                    };
              }),
            );
          }
        }
      }
      return out;
    },
  },
  {
    name: 'outcomeHistoryScope',
    item: '3',
    phase: 'reads',
    what: "OUTCOME_HISTORY of a ranking's top 50: for a RECRUITER the smoothed share of the applications it may see, for a PARTNER none",
    async run(ctx) {
      const out: Attempt[] = [];
      const query = (withApplications: boolean) =>
        `query($v: ID!) { rankCandidates(vacancyId: $v, first: 50, options: { useReranker: false }) { nodes { breakdown { feature value } candidate { id ${withApplications ? 'applications { status }' : ''} } } } }`;
      for (const _ of times(ctx.repetitions)) {
        for (const v of ctx.fixture.vacanciesOfOrganization) {
          const mine = await ctx.http.post(gql(query(true), { v }), ctx.recruiter);
          out.push(
            verdict(mine, [], ctx.hangMs, (a) => {
              const items = (a.data as RankedItems | undefined)?.rankCandidates?.nodes ?? [];
              const wrong = items.filter((item) => {
                const apps = item.candidate.applications ?? [];
                const progressed = apps.filter(
                  (x) => x.status === 'INTERVIEW' || x.status === 'HIRED',
                ).length;
                return history(item) !== (progressed + 1) / (apps.length + 2);
              });
              return wrong.length === 0
                ? 'harmless'
                : {
                    outcome: 'acceptedWrongly',
                    note: `${wrong.length} of ${items.length} OUTCOME_HISTORY values count applications the recruiter cannot see`,
                  };
            }),
          );
          const theirs = await ctx.http.post(gql(query(false), { v }), ctx.partner);
          out.push(
            verdict(theirs, [], ctx.hangMs, (a) => {
              const items = (a.data as RankedItems | undefined)?.rankCandidates?.nodes ?? [];
              const shown = items.filter((item) => history(item) !== null).length;
              return shown === 0
                ? 'harmless'
                : { outcome: 'acceptedWrongly', note: `${shown} OUTCOME_HISTORY values shown to a partner` };
            }),
          );
        }
      }
      return out;
    },
  },
  {
    name: 'gapSubjectAccess',
    item: '4',
    phase: 'reads',
    what: "RECRUITER reads a non-applicant's name and summary through skillGap (vacancy, occupation), threeWayGap, careerPaths",
    async run(ctx) {
      const person = 'candidate { id displayName summary }';
      const queries = [
        `query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { ${person} } }`,
        `query($c: ID!, $o: ID!) { skillGap(candidateId: $c, target: { occupationUri: $o }) { ${person} } }`,
        `query($c: ID!, $v: ID!) { threeWayGap(candidateId: $c, vacancyId: $v) { ${person} } }`,
        `query($c: ID!) { careerPaths(candidateId: $c, k: 3) { ${person} } }`,
        'query($c: ID!) { candidate(id: $c) { id displayName summary } }',
      ];
      const out: Attempt[] = [];
      for (const _ of times(ctx.repetitions))
        for (const q of queries) {
          const answer = await ctx.http.post(
            gql(q, { c: ctx.fixture.outsider, v: ctx.fixture.vacancy, o: ctx.fixture.occupationUri }),
            ctx.recruiter,
          );
          out.push(
            /"displayName"\s*:\s*"/.test(JSON.stringify(answer.body ?? null))
              ? { outcome: 'acceptedWrongly', ms: answer.ms, note: `a name came back: ${q.slice(0, 60)}` }
              : verdict(answer, ['FORBIDDEN'], ctx.hangMs),
          );
        }
      return out;
    },
  },
  {
    name: 'excludeAppliedDifferencing',
    item: '5',
    phase: 'reads',
    what: 'PARTNER compares excludeApplied true and false (who applied?)',
    async run(ctx) {
      const out: Attempt[] = [];
      const q =
        'query($v: ID!, $x: Boolean) { rankCandidates(vacancyId: $v, first: 50, options: { useReranker: false, excludeApplied: $x }) { nodes { candidate { id } } } }';
      const ids = (a: Answer) =>
        ((a.data as RankedItems | undefined)?.rankCandidates?.nodes ?? [])
          .map((n) => n.candidate.id)
          .join(',');
      for (const _ of times(ctx.repetitions)) {
        const all = await ctx.http.post(gql(q, { v: ctx.fixture.vacancy, x: false }), ctx.partner);
        out.push(verdict(all, [], ctx.hangMs));
        const without = await ctx.http.post(gql(q, { v: ctx.fixture.vacancy, x: true }), ctx.partner);
        out.push(
          verdict(without, ['FORBIDDEN'], ctx.hangMs, (a) =>
            ids(a) === ids(all)
              ? 'harmless'
              : {
                  outcome: 'acceptedWrongly',
                  note: 'excludeApplied answered a partner: the difference names who applied',
                },
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'crossOrganisation',
    item: 'corpus',
    phase: 'reads',
    what: "RECRUITER and PARTNER ask another organization's vacancy and ranking; ANALYST and PARTNER ask names; anonymous asks people",
    async run(ctx) {
      const out: Attempt[] = [];
      const other = { v: ctx.fixture.otherVacancy };
      for (const _ of times(ctx.repetitions)) {
        for (const key of [ctx.recruiter, ctx.partner]) {
          out.push(
            judgeWith(ctx, ['FORBIDDEN'])(
              await ctx.http.post(gql('query($v: ID!) { vacancy(id: $v) { id title } }', other), key),
            ),
            judgeWith(ctx, ['FORBIDDEN'])(
              await ctx.http.post(
                gql('query($v: ID!) { rankCandidates(vacancyId: $v, first: 5) { totalCount } }', other),
                key,
              ),
            ),
          );
        }
        out.push(
          judgeWith(ctx, ['FORBIDDEN'])(
            await ctx.http.post(
              gql('query($c: ID!) { candidate(id: $c) { displayName } }', { c: ctx.fixture.applicant }),
              ctx.keys.analyst,
            ),
          ),
          judgeWith(ctx, ['FORBIDDEN'])(
            await ctx.http.post(
              gql(
                'query($v: ID!) { rankCandidates(vacancyId: $v, first: 5) { nodes { candidate { displayName } } } }',
                { v: ctx.fixture.vacancy },
              ),
              ctx.partner,
            ),
          ),
          judgeWith(ctx, ['UNAUTHENTICATED', 'FORBIDDEN'])(
            await ctx.http.post(gql('{ vacancies(first: 5) { nodes { id } } }'), null),
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'extractSkillsFlood',
    item: '8',
    phase: 'reads',
    what: '30 aliased extractSkills(mode: HYBRID_RERANK); then: is cross-encoder work still queued, and how fast is a taxonomy read?',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const r of times(ctx.repetitions)) {
        const aliases = times(30)
          .map(
            (i) =>
              `a${i}: extractSkills(text: "Probe ${ctx.runId} ${r} engineer ${i}: data pipelines in Python, Kafka and SQL", mode: HYBRID_RERANK) { skills { skill { uri } } }`,
          )
          .join(' ');
        const answer = await ctx.http.post(gql(`{ ${aliases} }`), ctx.keys.admin);
        // Answered or refused in time, either is harmless; what the probe saw was the work afterwards.
        out.push(
          verdict(
            answer,
            ['TIMEOUT', 'QUERY_TOO_COMPLEX', 'SERVICE_OVERLOADED'],
            ctx.hangMs,
            () => 'harmless',
          ),
        );
        // Work that outlives its request shows as cross-encoder runs still waiting after the answer.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const described = (await ctx.http.ready())?.['crossEncoderQueue'];
        const queue = typeof described === 'string' ? described : '';
        const waiting = Number(/waiting (\d+)/.exec(queue)?.[1] ?? 0);
        const read = await ctx.http.post(
          gql('{ occupation(code: "2511.4") { preferredLabel } }'),
          ctx.keys.analyst,
        );
        out.push(
          waiting > 0
            ? {
                outcome: 'acceptedWrongly',
                ms: read.ms,
                note: `2 s after the answer: cross-encoder ${queue}`,
              }
            : verdict(read, [], ctx.hangMs),
        );
      }
      return out;
    },
  },
  {
    name: 'rankingPoolFlood',
    item: '9',
    phase: 'reads',
    what: "RECRUITER batch of 5 x 30 aliased rankCandidates(first: 1, retrieveN: 2000, rerankM: 0), with an analyst's occupation(code) beside it",
    async run(ctx) {
      const out: Attempt[] = [];
      const op = (n: number) => ({
        query: `{ ${times(30)
          .map(
            (i) =>
              `r${i}: rankCandidates(vacancyId: "${ctx.fixture.vacanciesOfOrganization[(n + i) % ctx.fixture.vacanciesOfOrganization.length]}", first: 1, options: { retrieveN: 2000, rerankM: 0 }) { totalCount }`,
          )
          .join(' ')} }`,
      });
      for (const _ of times(ctx.repetitions)) {
        const [batch, read] = await Promise.all([
          ctx.http.post(times(5).map(op), ctx.recruiter),
          new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
            ctx.http.post(gql('{ occupation(code: "2511.4") { preferredLabel } }'), ctx.keys.analyst),
          ),
        ]);
        out.push(verdict(batch, ['QUERY_TOO_COMPLEX'], ctx.hangMs), verdict(read, [], ctx.hangMs));
      }
      return out;
    },
  },
  {
    name: 'overflowingWeights',
    item: '10',
    phase: 'reads',
    what: 'weights { regionMatch: 1e308, essentialCoverage: 1e308 } as ADMIN and RECRUITER',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const _ of times(ctx.repetitions))
        for (const key of [ctx.keys.admin, ctx.recruiter])
          out.push(
            judgeWith(ctx, ['BAD_USER_INPUT'])(
              await ctx.http.post(
                gql(FAIRNESS_QUERY, {
                  v: ctx.fixture.vacancy,
                  k: 5,
                  o: { ...NO_CE, weights: { regionMatch: 1e308, essentialCoverage: 1e308 } },
                }),
                key,
              ),
            ),
          );
      return out;
    },
  },
  {
    name: 'persistedQueryMismatch',
    item: '10',
    phase: 'reads',
    what: 'a persisted-query hash sent with a query it is not the SHA-256 of (POST, GET, in a batch)',
    async run(ctx) {
      const wrong = {
        persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(ctx.runId).digest('hex') },
      };
      const out: Attempt[] = [];
      const refused = judgeWith(ctx, ['BAD_REQUEST']);
      for (const _ of times(ctx.repetitions))
        out.push(
          refused(await ctx.http.post({ query: '{ __typename }', extensions: wrong }, ctx.keys.admin)),
          refused(
            await ctx.http.get(
              { query: '{ __typename }', extensions: JSON.stringify(wrong) },
              ctx.keys.admin,
            ),
          ),
          refused(
            await ctx.http.post(
              [
                { query: '{ __typename }', extensions: wrong },
                { query: '{ escoDataset { version } }', extensions: wrong },
              ],
              ctx.keys.admin,
            ),
          ),
        );
      return out;
    },
  },
  {
    name: 'invisibleDisplayName',
    item: '10',
    phase: 'reads',
    what: 'upsertCandidate with a display name of only NUL / zero-width / control characters',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const r of times(ctx.repetitions))
        for (const [i, name] of [
          '\u0000',
          '\u200b\u200b',
          '\u0000\u200b\u200b',
          '\u200b\ufeff\u2060',
          '\u0007 ',
        ].entries())
          out.push(
            judgeWith(ctx, ['BAD_USER_INPUT'])(
              await ctx.http.post(
                gql('mutation($c: CandidateInput!) { upsertCandidate(input: $c) { id } }', {
                  c: { id: `probe-${ctx.runId}-name-${r}-${i}`, displayName: name },
                }),
                ctx.keys.admin,
              ),
            ),
          );
      return out;
    },
  },
  {
    name: 'farFutureDates',
    item: '10',
    phase: 'reads',
    what: 'recordApplication dated 9999-12-31 (and 1899-12-31); upsertVacancy posted 9999-12-31',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const r of times(ctx.repetitions)) {
        for (const at of ['9999-12-31T00:00:00Z', '1899-12-31T00:00:00Z'])
          out.push(
            judgeWith(ctx, ['BAD_USER_INPUT'])(
              await ctx.http.post(
                gql(
                  'mutation($c: ID!, $v: ID!, $at: DateTime) { recordApplication(candidateId: $c, vacancyId: $v, at: $at) { status } }',
                  {
                    c: ctx.fixture.outsider,
                    v: ctx.fixture.vacancy,
                    at,
                  },
                ),
                ctx.keys.admin,
              ),
            ),
          );
        out.push(
          judgeWith(ctx, ['BAD_USER_INPUT'])(
            await ctx.http.post(
              gql('mutation($i: VacancyInput!) { upsertVacancy(input: $i) { id } }', {
                i: {
                  id: `probe-${ctx.runId}-vac-${r}`,
                  title: 'Far future',
                  postedAt: '9999-12-31T00:00:00Z',
                },
              }),
              ctx.keys.admin,
            ),
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'badEncoding',
    item: '10',
    phase: 'reads',
    what: 'lone surrogates on GET (variables, extensions) and POST, percent-escapes that are not UTF-8, invalid UTF-8 bytes',
    async run(ctx) {
      const q = 'query($t: String!) { search(text: $t, first: 1) { score } }';
      const out: Attempt[] = [];
      const refused = judgeWith(ctx, ['BAD_USER_INPUT', 'BAD_REQUEST']);
      for (const _ of times(ctx.repetitions))
        out.push(
          refused(await ctx.http.get({ query: q, variables: '{"t":"data\\ud800"}' }, ctx.keys.admin)),
          refused(await ctx.http.get({ query: q, variables: '{"t":"x\\udc00y"}' }, ctx.keys.admin)),
          refused(await ctx.http.get('query=%7B__typename%7D%ED%A0%80', ctx.keys.admin)),
          refused(
            await ctx.http.post(
              `{"query":${JSON.stringify(q)},"variables":{"t":"data\\ud800"}}`,
              ctx.keys.admin,
            ),
          ),
          refused(
            await ctx.http.post(
              Buffer.concat([
                Buffer.from('{"query":"{ search(text: \\"'),
                Buffer.from([0xff, 0xfe]),
                Buffer.from('\\") { score } }"}'),
              ]),
              ctx.keys.admin,
            ),
          ),
        );
      return out;
    },
  },
  {
    name: 'corpusLimits',
    item: 'corpus',
    phase: 'reads',
    what: 'depth, aliases, tokens, batch size, body size, wrong types, unknown enums, Cypher-injection strings',
    async run(ctx) {
      const out: Attempt[] = [];
      const a = ctx.keys.admin;
      const injections = [
        "' OR 1=1 //",
        '"}) MATCH (n) DETACH DELETE n //',
        '`; CALL dbms.killQueries([]) //',
        '*:*~ AND NOT title:(x) OR "',
      ];
      for (const _ of times(ctx.repetitions)) {
        const p = (body: unknown, expect: readonly string[], key: string | null = a) =>
          ctx.http.post(body, key).then(judgeWith(ctx, expect));
        // A read that answers an injection string with search results is harmless: the snapshot
        // around the reads phase shows that nothing was written.
        const read = (body: unknown, expect: readonly string[]) =>
          ctx.http.post(body, a).then(judgeWith(ctx, expect, () => 'harmless'));
        out.push(
          await p(gql(`{ occupation(code: "2511.4") { ${'broader { '.repeat(14)}uri${' }'.repeat(14)} } }`), [
            'QUERY_TOO_DEEP',
          ]),
          await p(
            gql(
              `{ ${times(31)
                .map((i) => `a${i}: __typename`)
                .join(' ')} }`,
            ),
            ['TOO_MANY_ALIASES'],
          ),
          await p(
            gql(
              `{ ${times(6000)
                .map(() => '__typename')
                .join(' ')} }`,
            ),
            ['QUERY_TOO_LARGE'],
          ),
          await p(
            times(6).map(() => gql('{ __typename }')),
            ['BATCH_TOO_LARGE'],
          ),
          await p(gql(`{ search(text: "${'x'.repeat(1_100_000)}") { score } }`), ['PAYLOAD_TOO_LARGE']),
          await p(gql('{ rankCandidates(vacancyId: 7, first: "x") { totalCount } }'), [
            'GRAPHQL_VALIDATION_FAILED',
          ]),
          await p(gql('{ search(text: "data", lang: KLINGON) { score } }'), ['GRAPHQL_VALIDATION_FAILED']),
        );
        for (const s of injections) {
          out.push(
            await read(gql('query($t: String!) { search(text: $t, first: 3) { score } }', { t: s }), [
              'BAD_USER_INPUT',
            ]),
            await read(gql('query($c: String) { occupation(code: $c) { uri } }', { c: s }), [
              'BAD_USER_INPUT',
              'NOT_FOUND',
            ]),
            await read(gql('query($c: ID!) { candidate(id: $c) { id } }', { c: s }), [
              'BAD_USER_INPUT',
              'NOT_FOUND',
            ]),
            await read(gql('query($t: String) { skills(search: $t, first: 3) { totalCount } }', { t: s }), [
              'BAD_USER_INPUT',
            ]),
          );
        }
      }
      return out;
    },
  },
  {
    name: 'parallelApplications',
    item: '6',
    phase: 'writes',
    what: '10 parallel recordApplication for one pair; then the graph holds one application',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const r of times(ctx.repetitions)) {
        const v = `probe-${ctx.runId}-race-v${r}`;
        const c = `probe-${ctx.runId}-race-c${r}`;
        await seedVacancy(ctx, v);
        await seedCandidates(ctx, [c]);
        const answers = await Promise.all(
          times(10).map(() =>
            ctx.writes.post(
              gql(`mutation { recordApplication(candidateId: "${c}", vacancyId: "${v}") { status } }`),
              ctx.keys.admin,
            ),
          ),
        );
        const attempts = judgeRace(ctx, answers, ['CONFLICT']);
        const stored = (await applicationsOf(ctx, c)).length;
        out.push(
          ...(stored === 1
            ? attempts
            : attempts.map((a) => ({
                ...a,
                outcome: 'acceptedWrongly' as const,
                note: `${stored} applications stored for one pair`,
              }))),
        );
      }
      return out;
    },
  },
  {
    name: 'parallelFinalStatus',
    item: '6',
    phase: 'writes',
    what: '10 parallel INTERVIEW -> HIRED / REJECTED on one application; one winner, the graph agrees',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const r of times(ctx.repetitions)) {
        const v = `probe-${ctx.runId}-final-v${r}`;
        const c = `probe-${ctx.runId}-final-c${r}`;
        await seedVacancy(ctx, v);
        await seedCandidates(ctx, [c]);
        for (const step of [
          'recordApplication(candidateId: $c, vacancyId: $v) { status }',
          ...['SCREENED', 'INTERVIEW'].map(
            (s) => `updateApplicationStatus(candidateId: $c, vacancyId: $v, status: ${s}) { status }`,
          ),
        ])
          await ctx.writes.post(gql(`mutation($c: ID!, $v: ID!) { ${step} }`, { c, v }), ctx.keys.admin);
        const answers = await Promise.all(
          times(10).map((i) =>
            ctx.writes.post(
              gql(
                `mutation { updateApplicationStatus(candidateId: "${c}", vacancyId: "${v}", status: ${i % 2 ? 'REJECTED' : 'HIRED'}) { status } }`,
              ),
              ctx.keys.admin,
            ),
          ),
        );
        const attempts = judgeRace(ctx, answers, ['CONFLICT', 'BAD_USER_INPUT']);
        const told = answers
          .filter((a) => a.codes.length === 0)
          .map((a) => (a.data?.updateApplicationStatus as { status: string } | undefined)?.status);
        const stored = (await applicationsOf(ctx, c)).map((a) => a.status);
        const agrees = told.length === 1 && stored.length === 1 && stored[0] === told[0];
        out.push(
          ...(agrees
            ? attempts
            : attempts.map((a) => ({
                ...a,
                outcome: 'acceptedWrongly' as const,
                note: `callers told ${told.join(', ')}; stored ${stored.join(', ')}`,
              }))),
        );
      }
      return out;
    },
  },
  {
    name: 'sameStatusRewrite',
    item: '6',
    phase: 'writes',
    what: 'HIRED -> HIRED: refused as unchanged, updatedAt not rewritten',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const r of times(ctx.repetitions)) {
        const v = `probe-${ctx.runId}-same-v${r}`;
        const c = `probe-${ctx.runId}-same-c${r}`;
        await seedVacancy(ctx, v);
        await seedCandidates(ctx, [c]);
        for (const step of [
          'recordApplication(candidateId: $c, vacancyId: $v) { status }',
          ...['SCREENED', 'INTERVIEW', 'HIRED'].map(
            (s) => `updateApplicationStatus(candidateId: $c, vacancyId: $v, status: ${s}) { status }`,
          ),
        ])
          await ctx.writes.post(gql(`mutation($c: ID!, $v: ID!) { ${step} }`, { c, v }), ctx.keys.admin);
        const before = JSON.stringify(await applicationsOf(ctx, c));
        const answer = await ctx.writes.post(
          gql(
            `mutation { updateApplicationStatus(candidateId: "${c}", vacancyId: "${v}", status: HIRED) { status } }`,
          ),
          ctx.keys.admin,
        );
        const after = JSON.stringify(await applicationsOf(ctx, c));
        const attempt = verdict(answer, ['BAD_USER_INPUT'], ctx.hangMs);
        out.push(
          after === before
            ? attempt
            : { ...attempt, outcome: 'acceptedWrongly', note: `application rewritten: ${after}` },
        );
      }
      return out;
    },
  },
  {
    name: 'parallelErasure',
    item: '6',
    phase: 'writes',
    what: '6 parallel deleteCandidate of one person: exactly one says deleted',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const r of times(ctx.repetitions)) {
        const c = `probe-${ctx.runId}-erase-c${r}`;
        await seedCandidates(ctx, [c]);
        const answers = await Promise.all(
          times(6).map(() =>
            ctx.writes.post(gql(`mutation { deleteCandidate(id: "${c}") { deleted } }`), ctx.keys.admin),
          ),
        );
        let deleted = 0;
        out.push(
          ...answers.map((a) =>
            verdict(a, [], ctx.hangMs, (x) => {
              if ((x.data?.deleteCandidate as { deleted: boolean } | undefined)?.deleted !== true)
                return 'harmless';
              deleted += 1;
              return deleted === 1
                ? 'harmless'
                : { outcome: 'acceptedWrongly', note: `${deleted} callers told deleted: true` };
            }),
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'erasedCandidateCache',
    item: '5',
    phase: 'writes',
    what: 'rank (cached), erase a ranked candidate, rank again: answered without them, no error naming their id',
    async run(ctx) {
      const out: Attempt[] = [];
      for (const r of times(ctx.repetitions)) {
        const v = `probe-${ctx.runId}-cache-v${r}`;
        const [gone, kept] = [`probe-${ctx.runId}-cache-a${r}`, `probe-${ctx.runId}-cache-b${r}`];
        await seedVacancy(ctx, v);
        await seedCandidates(ctx, [gone, kept]);
        const rank = () =>
          ctx.writes.post(
            gql(`{ rankCandidates(vacancyId: "${v}", first: 10) { nodes { candidate { id } } } }`),
            ctx.keys.admin,
          );
        out.push(verdict(await rank(), [], ctx.hangMs));
        await ctx.writes.post(gql(`mutation { deleteCandidate(id: "${gone}") { deleted } }`), ctx.keys.admin);
        const after = await rank();
        out.push(
          JSON.stringify(after.body ?? null).includes(gone)
            ? {
                outcome: 'acceptedWrongly',
                ms: after.ms,
                note: `the erased candidate's id came back: ${after.codes.join(',') || 'in the data'}`,
              }
            : verdict(after, [], ctx.hangMs),
        );
      }
      return out;
    },
  },
  {
    name: 'failedLoginThrottle',
    item: '10',
    phase: 'last',
    what: '30 bad keys from one (forwarded) address: 401 for the first 10, then 429 RATE_LIMITED',
    async run(ctx) {
      const out: Attempt[] = [];
      const hash = createHash('sha256').update(ctx.runId).digest();
      for (const r of times(ctx.repetitions)) {
        const from = { 'x-forwarded-for': `198.51.100.${(((hash[0] ?? 0) + 37 * r) % 250) + 1}` };
        for (const i of times(30)) {
          const answer = await ctx.http.post(
            gql('{ escoDataset { version } }'),
            `tg_probe-guess-${ctx.runId}-${r}-${i}`,
            from,
          );
          out.push(
            i >= 10 && answer.codes.includes('UNAUTHENTICATED')
              ? {
                  outcome: 'acceptedWrongly',
                  ms: answer.ms,
                  note: `bad key ${i + 1} from one address checked, not throttled`,
                }
              : verdict(answer, i < 10 ? ['UNAUTHENTICATED', 'RATE_LIMITED'] : ['RATE_LIMITED'], ctx.hangMs),
          );
        }
      }
      return out;
    },
  },
];
