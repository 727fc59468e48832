/**
 * A bounded load run over a mixed workload: `connections` loops, each sending one request after
 * another over keep-alive connections for `durationMs`. Every response is classified: ok,
 * expected refusal (the workload includes requests that must be refused, with their code), or
 * unexpected (anything else: a 5xx, a masked error, a network error, a wrong code). It reports
 * requests/s, latency percentiles, counts per class and the server's RSS over time.
 *
 * Used by `npm run load` (scripts/load.ts) and, for a few seconds, by the e2e tier.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';

export interface LoadKeys {
  /** A key that may run every operation of the workload (ADMIN). */
  readonly admin: string;
  /** An ANALYST key, for refusals that must be FORBIDDEN; those requests are skipped without it. */
  readonly analyst?: string;
}

export interface LoadOptions {
  readonly url: string;
  readonly keys: LoadKeys;
  readonly connections: number;
  readonly durationMs: number;
  /** Reads the server's resident set size in bytes (e.g. from /proc/PID/status). */
  readonly rss?: () => number | undefined;
  readonly onProgress?: (line: string) => void;
}

export interface LoadReport {
  readonly requests: number;
  readonly durationS: number;
  readonly requestsPerS: number;
  readonly latencyMs: { p50: number; p95: number; p99: number; max: number };
  readonly ok: number;
  readonly expectedRefusals: number;
  readonly unexpected: number;
  readonly unexpectedSamples: readonly string[];
  readonly byKind: Readonly<Record<string, { count: number; p99: number }>>;
  /** RSS in MiB at half time and at the end, and growth between them (percent). */
  readonly rss: { halfMiB: number; endMiB: number; growthPct: number } | undefined;
}

interface Fixture {
  vacancies: string[];
  candidates: string[];
  occupationCodes: string[];
  skillUris: string[];
}

interface Job {
  readonly kind: string;
  readonly weight: number;
  /** The JSON body: one operation, or an array of them (a batch). */
  readonly body: (f: Fixture, i: number) => Record<string, unknown> | unknown[] | undefined;
  readonly key: 'admin' | 'analyst' | 'anonymous';
  /** Error codes this request must be refused with (empty: it must succeed). */
  readonly expect: readonly string[];
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

const PERSISTED = '{ escoDataset { version occupationCount skillCount } }';
const PERSISTED_HASH = createHash('sha256').update(PERSISTED).digest('hex');
const DEEP = `{ occupation(code: "2511.4") { ${'broader { '.repeat(14)}uri${' }'.repeat(14)} } }`;
/** The outside probe's fragment bomb (#15): 25 fragments, each spreading the previous one twice. */
const FRAGMENT_BOMB = `{ ...F24 } fragment F0 on Query { __typename } ${Array.from(
  { length: 24 },
  (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`,
).join(' ')}`;
/** The probe's 30 aliased rankings of 2,000 items each: past MAX_REQUEST_RETRIEVE before any work. */
const RETRIEVE_FLOOD = (vacancy: string): string =>
  `{ ${Array.from(
    { length: 30 },
    (_, i) =>
      `r${i}: rankCandidates(vacancyId: "${vacancy}", k: 1, options: { retrieveN: 2000, rerankM: 0 }) { totalCount }`,
  ).join(' ')} }`;

/** The mixed workload: mostly reads of every kind, some model work, some refusals. */
export const WORKLOAD: readonly Job[] = [
  {
    kind: 'occupation',
    weight: 14,
    key: 'anonymous',
    expect: [],
    body: (f, i) => ({
      query:
        'query($c: String) { occupation(code: $c) { preferredLabel essentialSkills(first: 10) { totalCount nodes { preferredLabel } } } }',
      variables: { c: pick(f.occupationCodes, i) },
    }),
  },
  {
    kind: 'skillSearch',
    weight: 10,
    key: 'admin',
    expect: [],
    body: (_, i) => ({
      query:
        'query($t: String) { skills(search: $t, first: 10) { totalCount nodes { uri preferredLabel } } }',
      variables: { t: pick(['python', 'welding', 'accounting', 'nursing', 'sales', 'java'], i) },
    }),
  },
  {
    kind: 'search',
    weight: 6,
    key: 'admin',
    expect: [],
    body: (_, i) => ({
      query: 'query($t: String!) { search(text: $t, first: 5) { score concept { uri preferredLabel } } }',
      variables: { t: pick(['data', 'teacher', 'driver', 'cook'], i) },
    }),
  },
  {
    kind: 'vacancies',
    weight: 8,
    key: 'admin',
    expect: [],
    body: () => ({
      query:
        '{ vacancies(first: 20) { totalCount nodes { id title organization { name } occupation { code } } } }',
    }),
  },
  {
    kind: 'vacancy',
    weight: 8,
    key: 'admin',
    expect: [],
    body: (f, i) => ({
      query:
        'query($v: ID!) { vacancy(id: $v) { title essentialSkills { preferredLabel } applications { status } } }',
      variables: { v: pick(f.vacancies, i) },
    }),
  },
  {
    kind: 'candidate',
    weight: 10,
    key: 'admin',
    expect: [],
    body: (f, i) => ({
      query:
        'query($c: ID!) { candidate(id: $c) { displayName skills { skill { preferredLabel } } occupations { occupation { code } } } }',
      variables: { c: pick(f.candidates, i) },
    }),
  },
  {
    kind: 'rankCandidates',
    weight: 14,
    key: 'admin',
    expect: [],
    body: (f, i) => ({
      query:
        'query($v: ID!) { rankCandidates(vacancyId: $v, k: 10) { totalCount items { rank score explanation candidate { id } matchedSkills { uri } } } }',
      variables: { v: pick(f.vacancies, i % 8) },
    }),
  },
  {
    kind: 'skillGap',
    weight: 8,
    key: 'admin',
    expect: [],
    body: (f, i) => ({
      query:
        'query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { coverage { essential weightedEssential } missingEssential { skill { uri } } } }',
      variables: { c: pick(f.candidates, i), v: pick(f.vacancies, i) },
    }),
  },
  {
    kind: 'skillDemand',
    weight: 4,
    key: 'admin',
    expect: [],
    body: () => ({
      query: '{ skillDemand(first: 10) { vacancies items { demand supply skill { preferredLabel } } } }',
    }),
  },
  {
    kind: 'normalizeJobTitle',
    weight: 4,
    key: 'admin',
    expect: [],
    body: (_, i) => ({
      query:
        'query($t: String!) { normalizeJobTitle(title: $t, k: 3, mode: LEXICAL) { matches { score occupation { code } } } }',
      variables: { t: pick(['senior data scientist', 'truck driver', 'head chef'], i) },
    }),
  },
  {
    kind: 'persistedQuery',
    weight: 6,
    key: 'admin',
    expect: [],
    body: () => ({
      query: PERSISTED,
      extensions: { persistedQuery: { version: 1, sha256Hash: PERSISTED_HASH } },
    }),
  },
  {
    kind: 'refusedDepth',
    weight: 4,
    key: 'admin',
    expect: ['QUERY_TOO_DEEP'],
    body: () => ({ query: DEEP }),
  },
  {
    kind: 'refusedFragmentBomb',
    weight: 2,
    key: 'anonymous',
    expect: ['QUERY_TOO_COMPLEX'],
    body: () => ({ query: FRAGMENT_BOMB }),
  },
  {
    kind: 'refusedRetrieveFlood',
    weight: 2,
    key: 'admin',
    expect: ['QUERY_TOO_COMPLEX'],
    body: (f) => ({ query: RETRIEVE_FLOOD(pick(f.vacancies, 0)) }),
  },
  {
    kind: 'refusedRole',
    weight: 4,
    key: 'analyst',
    expect: ['FORBIDDEN'],
    body: (f) => ({
      query: 'query($v: ID!) { rankCandidates(vacancyId: $v) { totalCount } }',
      variables: { v: pick(f.vacancies, 0) },
    }),
  },
  // The outside probe's other refused shapes (#15; `npm run probe` replays all of them): cheap to
  // refuse, so a refusal that starts costing work or a 5xx shows up here under load too. Not here:
  // the failed-login throttle (it would throttle this run's own address) and the shapes that are
  // answered (races, differencing), which need scoped keys and fresh data.
  {
    kind: 'refusedWeights',
    weight: 1,
    key: 'admin',
    expect: ['BAD_USER_INPUT'],
    body: (f) => ({
      query:
        'query($v: ID!) { rankCandidates(vacancyId: $v, first: 5, options: { weights: { regionMatch: 1e308, essentialCoverage: 1e308 } }) { totalCount } }',
      variables: { v: pick(f.vacancies, 0) },
    }),
  },
  {
    kind: 'refusedHashMismatch',
    weight: 1,
    key: 'admin',
    expect: ['BAD_REQUEST'],
    body: () => ({
      query: PERSISTED,
      extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
    }),
  },
  {
    kind: 'refusedBatchFlood',
    weight: 1,
    key: 'admin',
    expect: ['QUERY_TOO_COMPLEX'],
    body: (f) => Array.from({ length: 5 }, (_, i) => ({ query: RETRIEVE_FLOOD(pick(f.vacancies, i)) })),
  },
  {
    kind: 'refusedInvisibleName',
    weight: 1,
    key: 'admin',
    expect: ['BAD_USER_INPUT'],
    body: (_, i) => ({
      query: 'mutation($c: CandidateInput!) { upsertCandidate(input: $c) { id } }',
      variables: { c: { id: `load-probe-${i}`, displayName: '\u0000\u200b\u200b' } },
    }),
  },
  {
    kind: 'refusedFarFuture',
    weight: 1,
    key: 'admin',
    expect: ['BAD_USER_INPUT'],
    body: (f, i) => ({
      query:
        'mutation($c: ID!, $v: ID!) { recordApplication(candidateId: $c, vacancyId: $v, at: "9999-12-31T00:00:00Z") { status } }',
      variables: { c: pick(f.candidates, i), v: pick(f.vacancies, i) },
    }),
  },
  {
    kind: 'refusedSurrogate',
    weight: 1,
    key: 'admin',
    expect: ['BAD_USER_INPUT'],
    body: () => ({
      query: 'query($t: String!) { search(text: $t, first: 1) { score } }',
      variables: { t: 'data\ud800' },
    }),
  },
  {
    kind: 'refusedAnalystName',
    weight: 1,
    key: 'analyst',
    expect: ['FORBIDDEN'],
    body: (f, i) => ({
      query:
        'query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { candidate { displayName summary } } }',
      variables: { c: pick(f.candidates, i), v: pick(f.vacancies, i) },
    }),
  },
];

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

type Answer = {
  status: number;
  json: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } | unknown[];
};

/** The error codes of an answer, of every operation when it answers a batch. */
function codesOf(json: Answer['json']): string[] {
  const results = (Array.isArray(json) ? json : [json]) as Array<{
    errors?: Array<{ extensions?: { code?: string } }>;
  }>;
  return results.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code ?? '?'));
}

/** A keep-alive client of one server: POST a JSON body as a workload key. */
function createClient(
  url: string,
  keys: LoadKeys,
  connections: number,
): { post: (key: Job['key'], body: unknown) => Promise<Answer>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const headersFor = (key: Job['key']): Record<string, string> => {
    const h: Record<string, string> = { 'content-type': 'application/json' };
    if (key === 'admin') h['x-api-key'] = keys.admin;
    if (key === 'analyst' && keys.analyst) h['x-api-key'] = keys.analyst;
    return h;
  };
  const post = async (key: Job['key'], body: unknown): Promise<Answer> => {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { ...headersFor(key), 'content-length': String(payload.length) },
          timeout: 120_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              resolve({
                status: res.statusCode ?? 0,
                json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['json'],
              });
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 120 s')));
      req.on('error', reject);
      req.end(payload);
    });
  };
  return { post, close: () => agent.destroy() };
}

/** Fixture ids from the graph itself, so the workload fits any dataset. */
async function readFixture(post: (key: Job['key'], body: unknown) => Promise<Answer>): Promise<Fixture> {
  const fx = await post('admin', {
    query:
      '{ vacancies(first: 20, filter: { status: OPEN }) { nodes { id } } candidates(first: 50) { nodes { id } } occupations(first: 50, iscoGroup: "2511") { nodes { code essentialSkills(first: 5) { nodes { uri } } } } more: occupations(first: 50) { nodes { code } } }',
  });
  const d = (Array.isArray(fx.json) ? undefined : fx.json.data) as
    | {
        vacancies: { nodes: Array<{ id: string }> };
        candidates: { nodes: Array<{ id: string }> };
        occupations: { nodes: Array<{ code: string; essentialSkills: { nodes: Array<{ uri: string }> } }> };
        more: { nodes: Array<{ code: string }> };
      }
    | undefined;
  if (!d || d.vacancies.nodes.length === 0 || d.candidates.nodes.length === 0) {
    throw new Error(
      `the load fixture needs vacancies and candidates in the graph (got ${JSON.stringify(fx.json).slice(0, 300)})`,
    );
  }
  return {
    vacancies: d.vacancies.nodes.map((n) => n.id),
    candidates: d.candidates.nodes.map((n) => n.id),
    occupationCodes: [...d.occupations.nodes, ...d.more.nodes].map((n) => n.code),
    skillUris: d.occupations.nodes.flatMap((n) => n.essentialSkills.nodes.map((s) => s.uri)),
  };
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const client = createClient(options.url, options.keys, options.connections);
  const post = async (job: Pick<Job, 'key'>, body: unknown) => client.post(job.key, body);
  const fixture = await readFixture(client.post);
  // Register the persisted query once (automatic persisted queries: hash + query).
  await post(
    { key: 'admin' },
    { query: PERSISTED, extensions: { persistedQuery: { version: 1, sha256Hash: PERSISTED_HASH } } },
  );

  const jobs = WORKLOAD.filter((j) => j.key !== 'analyst' || options.keys.analyst !== undefined);
  const wheel = jobs.flatMap((j) => Array.from({ length: j.weight }, () => j));
  const latencies: number[] = [];
  const byKind = new Map<string, number[]>();
  const samples: string[] = [];
  let ok = 0;
  let expected = 0;
  let unexpected = 0;
  const started = performance.now();
  const end = started + options.durationMs;
  const rssSamples: Array<{ t: number; rss: number }> = [];
  const sampler = setInterval(() => {
    const rss = options.rss?.();
    if (rss !== undefined) rssSamples.push({ t: performance.now() - started, rss });
    const done = latencies.length;
    options.onProgress?.(
      `${Math.round((performance.now() - started) / 1000)} s: ${done} requests, ${unexpected} unexpected${rss ? `, RSS ${(rss / 2 ** 20).toFixed(0)} MiB` : ''}`,
    );
  }, 1000);
  sampler.unref();
  let counter = 0;

  async function worker(w: number): Promise<void> {
    while (performance.now() < end) {
      const n = counter++;
      const job = wheel[(n * 7919 + w) % wheel.length] as Job;
      const body = job.body(fixture, n);
      if (!body) continue;
      const t0 = performance.now();
      let verdict: string;
      try {
        const { status, json } = await post(job, body);
        const codes = codesOf(json);
        if (job.expect.length === 0)
          verdict =
            status === 200 && codes.length === 0 ? 'ok' : `${job.kind}: HTTP ${status} ${codes.join(',')}`;
        else
          verdict =
            codes.length > 0 && codes.every((c) => job.expect.includes(c))
              ? 'expected'
              : `${job.kind}: HTTP ${status} expected ${job.expect.join('|')}, got ${codes.join(',') || 'success'}`;
      } catch (error) {
        verdict = `${job.kind}: ${error instanceof Error ? error.message : String(error)}`;
      }
      const ms = performance.now() - t0;
      latencies.push(ms);
      const list = byKind.get(job.kind) ?? [];
      list.push(ms);
      byKind.set(job.kind, list);
      if (verdict === 'ok') ok += 1;
      else if (verdict === 'expected') expected += 1;
      else {
        unexpected += 1;
        if (samples.length < 10) samples.push(verdict);
      }
    }
  }

  await Promise.all(Array.from({ length: options.connections }, (_, w) => worker(w)));
  clearInterval(sampler);
  const finalRss = options.rss?.();
  if (finalRss !== undefined) rssSamples.push({ t: performance.now() - started, rss: finalRss });
  const durationS = (performance.now() - started) / 1000;
  client.close();
  const sorted = Float64Array.from(latencies).sort();
  const half = rssSamples.find((s) => s.t >= options.durationMs / 2) ?? rssSamples[0];
  const last = rssSamples[rssSamples.length - 1];
  return {
    requests: latencies.length,
    durationS,
    requestsPerS: latencies.length / durationS,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? 0,
    },
    ok,
    expectedRefusals: expected,
    unexpected,
    unexpectedSamples: samples,
    byKind: Object.fromEntries(
      [...byKind].map(([k, v]) => [k, { count: v.length, p99: percentile(Float64Array.from(v).sort(), 99) }]),
    ),
    rss:
      half && last
        ? {
            halfMiB: half.rss / 2 ** 20,
            endMiB: last.rss / 2 ** 20,
            growthPct: ((last.rss - half.rss) / half.rss) * 100,
          }
        : undefined,
  };
}

export function formatLoadReport(r: LoadReport, connections: number): string {
  const lines = [
    `${connections} connections, ${r.durationS.toFixed(1)} s: ${r.requests} requests, ${r.requestsPerS.toFixed(1)} req/s`,
    `latency ms: p50 ${r.latencyMs.p50.toFixed(1)}, p95 ${r.latencyMs.p95.toFixed(1)}, p99 ${r.latencyMs.p99.toFixed(1)}, max ${r.latencyMs.max.toFixed(1)}`,
    `responses: ${r.ok} ok, ${r.expectedRefusals} expected refusals, ${r.unexpected} unexpected errors`,
    ...r.unexpectedSamples.map((s) => `  unexpected: ${s}`),
    'per operation (count, p99 ms):',
    ...Object.entries(r.byKind).map(
      ([k, v]) => `  ${k.padEnd(18)} ${String(v.count).padStart(7)} ${v.p99.toFixed(1).padStart(9)}`,
    ),
  ];
  if (r.rss) {
    lines.push(
      `RSS: ${r.rss.halfMiB.toFixed(1)} MiB at half time, ${r.rss.endMiB.toFixed(1)} MiB at the end (${r.rss.growthPct >= 0 ? '+' : ''}${r.rss.growthPct.toFixed(1)} %, target < 10 %)`,
    );
  }
  return lines.join('\n');
}

export interface TaxonomyUnderRankingsOptions {
  readonly url: string;
  readonly keys: LoadKeys;
  /** Connections sending taxonomy reads, one after another, in both phases. */
  readonly connections: number;
  /** Length of each phase (idle, then under rankings). */
  readonly phaseMs: number;
  /** Rankings kept running at once in the second phase, each a loop of fresh (uncached) rankings. */
  readonly backgroundRankings: number;
  readonly rss?: () => number | undefined;
  readonly onProgress?: (line: string) => void;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Answers that were not a 200 without errors. */
  readonly errors: number;
  /** The first few of them (status and codes, or the network error). */
  readonly errorSamples: readonly string[];
}

export interface TaxonomyPhase {
  readonly durationS: number;
  readonly taxonomy: LatencySummary;
  /** The host's 1-minute load average at the end of the phase (os.loadavg). */
  readonly loadAverage: number;
  readonly rssMiB: number | undefined;
}

export interface TaxonomyUnderRankingsReport {
  readonly idle: TaxonomyPhase;
  readonly loaded: TaxonomyPhase & { readonly rankings: LatencySummary };
  readonly backgroundRankings: number;
  /** p95 of the taxonomy reads under the rankings / idle p95. */
  readonly p95Ratio: number;
}

function summarize(latencies: number[], errors: number, errorSamples: string[] = []): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    errors,
    errorSamples,
  };
}

/** Cheap taxonomy reads (#15 item 7): an occupation by code, a skill by URI, a concept search. */
const TAXONOMY_READS: ReadonlyArray<(f: Fixture, i: number) => Record<string, unknown>> = [
  (f, i) => ({
    query: 'query($c: String) { occupation(code: $c) { preferredLabel } }',
    variables: { c: pick(f.occupationCodes, i) },
  }),
  (f, i) => ({
    query: 'query($u: ID!) { skill(uri: $u) { preferredLabel } }',
    variables: { u: pick(f.skillUris, i) },
  }),
  (_, i) => ({
    query: 'query($t: String!) { search(text: $t, first: 5) { score concept { uri } } }',
    variables: { t: pick(['data', 'teacher', 'driver', 'cook', 'nurse', 'welder'], i) },
  }),
];

/**
 * The p95 of cheap taxonomy reads alone, then with `backgroundRankings` rankings running at once
 * (each loop asks a retrieveN nobody asked before, so the result cache never answers), in one run:
 * what NEO4J_HEAVY_TRANSACTIONS is for.
 */
export async function runTaxonomyUnderRankings(
  options: TaxonomyUnderRankingsOptions,
): Promise<TaxonomyUnderRankingsReport> {
  const client = createClient(options.url, options.keys, options.connections + options.backgroundRankings);
  const fixture = await readFixture(client.post);
  if (fixture.skillUris.length === 0) throw new Error('the taxonomy phase needs skills in the graph');
  const reader: Job['key'] = options.keys.analyst ? 'analyst' : 'admin';
  let counter = 0;
  type Tally = { latencies: number[]; errors: number; samples: string[] };
  const ok = (a: Answer) => a.status === 200 && codesOf(a.json).length === 0;

  async function loop(
    until: () => boolean,
    send: (n: number) => Promise<Answer>,
    into: Tally,
  ): Promise<void> {
    while (!until()) {
      const n = counter++;
      const t0 = performance.now();
      const answer = await send(n).catch((error: unknown) =>
        error instanceof Error ? error.message : String(error),
      );
      into.latencies.push(performance.now() - t0);
      if (typeof answer === 'string' || !ok(answer)) {
        into.errors += 1;
        if (into.samples.length < 5)
          into.samples.push(
            typeof answer === 'string' ? answer : `HTTP ${answer.status} ${codesOf(answer.json).join(',')}`,
          );
      }
    }
  }
  const readOnce = (n: number) =>
    client.post(
      reader,
      (TAXONOMY_READS[n % TAXONOMY_READS.length] as (typeof TAXONOMY_READS)[0])(fixture, n),
    );
  const phase = async (label: string): Promise<TaxonomyPhase> => {
    const into: Tally = { latencies: [], errors: 0, samples: [] };
    const started = performance.now();
    const end = started + options.phaseMs;
    const ticker = setInterval(
      () =>
        options.onProgress?.(
          `${label}: ${Math.round((performance.now() - started) / 1000)} s, ${into.latencies.length} taxonomy reads`,
        ),
      5000,
    );
    ticker.unref();
    await Promise.all(
      Array.from({ length: options.connections }, () => loop(() => performance.now() >= end, readOnce, into)),
    );
    clearInterval(ticker);
    const rss = options.rss?.();
    return {
      durationS: (performance.now() - started) / 1000,
      taxonomy: summarize(into.latencies, into.errors, into.samples),
      loadAverage: os.loadavg()[0] ?? 0,
      rssMiB: rss === undefined ? undefined : rss / 2 ** 20,
    };
  };

  // Warm the caches a first read fills (statements, the taxonomy record cache) before measuring.
  for (let i = 0; i < 2 * TAXONOMY_READS.length; i += 1) await readOnce(i);
  const idle = await phase('idle');
  let stopRankings = false;
  const rankings: Tally = { latencies: [], errors: 0, samples: [] };
  const background = Array.from({ length: options.backgroundRankings }, () =>
    loop(
      () => stopRankings,
      (n) =>
        client.post('admin', {
          query:
            'query($v: ID!, $n: Int) { rankCandidates(vacancyId: $v, first: 10, options: { retrieveN: $n, useReranker: false }) { totalCount nodes { score } } }',
          variables: { v: pick(fixture.vacancies, n), n: 200 + (n % 4000) },
        }),
      rankings,
    ),
  );
  // Let every ranking loop reach the database before the second phase starts measuring.
  await new Promise((r) => setTimeout(r, 2000));
  const loaded = await phase(`${options.backgroundRankings} rankings`);
  stopRankings = true;
  await Promise.all(background);
  client.close();
  return {
    idle,
    loaded: { ...loaded, rankings: summarize(rankings.latencies, rankings.errors, rankings.samples) },
    backgroundRankings: options.backgroundRankings,
    p95Ratio: idle.taxonomy.p95 > 0 ? loaded.taxonomy.p95 / idle.taxonomy.p95 : Number.NaN,
  };
}

export function formatTaxonomyReport(r: TaxonomyUnderRankingsReport): string {
  const row = (label: string, p: TaxonomyPhase) =>
    `  ${label.padEnd(16)} ${String(p.taxonomy.count).padStart(6)} ${p.taxonomy.p50.toFixed(1).padStart(8)} ${p.taxonomy.p95.toFixed(1).padStart(8)} ${p.taxonomy.p99.toFixed(1).padStart(8)} ${String(p.taxonomy.errors).padStart(6)} ${p.loadAverage.toFixed(2).padStart(8)} ${p.rssMiB === undefined ? '       -' : p.rssMiB.toFixed(0).padStart(8)}`;
  const k = r.loaded.rankings;
  return [
    'taxonomy reads (occupation(code), skill(uri), search), ms:',
    `  ${'phase'.padEnd(16)} ${'reads'.padStart(6)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'errors'.padStart(6)} ${'load 1m'.padStart(8)} ${'RSS MiB'.padStart(8)}`,
    row('idle', r.idle),
    row(`${r.backgroundRankings} rankings`, r.loaded),
    `p95 under ${r.backgroundRankings} rankings / idle p95: ${r.p95Ratio.toFixed(1)}x`,
    `background rankings: ${k.count} (${(k.count / r.loaded.durationS).toFixed(1)}/s), p50 ${k.p50.toFixed(0)} ms, p95 ${k.p95.toFixed(0)} ms, ${k.errors} errors`,
    ...[...r.idle.taxonomy.errorSamples, ...r.loaded.taxonomy.errorSamples, ...k.errorSamples].map(
      (s) => `  error: ${s}`,
    ),
  ].join('\n');
}
