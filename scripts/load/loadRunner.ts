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
}

interface Job {
  readonly kind: string;
  readonly weight: number;
  readonly body: (f: Fixture, i: number) => Record<string, unknown> | undefined;
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
];

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url);
  const headersFor = (key: Job['key']): Record<string, string> => {
    const h: Record<string, string> = { 'content-type': 'application/json' };
    if (key === 'admin') h['x-api-key'] = options.keys.admin;
    if (key === 'analyst' && options.keys.analyst) h['x-api-key'] = options.keys.analyst;
    return h;
  };
  const post = async (
    job: Pick<Job, 'key'>,
    body: unknown,
  ): Promise<{
    status: number;
    json: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
  }> => {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { ...headersFor(job.key), 'content-length': String(payload.length) },
          timeout: 120_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              resolve({
                status: res.statusCode ?? 0,
                json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
                  data?: unknown;
                  errors?: Array<{ extensions?: { code?: string } }>;
                },
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

  // Fixture ids from the graph itself, so the workload fits any dataset.
  const fx = await post(
    { key: 'admin' },
    {
      query:
        '{ vacancies(first: 20, filter: { status: OPEN }) { nodes { id } } candidates(first: 50) { nodes { id } } occupations(first: 50, iscoGroup: "2511") { nodes { code } } more: occupations(first: 50) { nodes { code } } }',
    },
  );
  const d = fx.json.data as
    | {
        vacancies: { nodes: Array<{ id: string }> };
        candidates: { nodes: Array<{ id: string }> };
        occupations: { nodes: Array<{ code: string }> };
        more: { nodes: Array<{ code: string }> };
      }
    | undefined;
  if (!d || d.vacancies.nodes.length === 0 || d.candidates.nodes.length === 0) {
    throw new Error(
      `the load fixture needs vacancies and candidates in the graph (got ${JSON.stringify(fx.json).slice(0, 300)})`,
    );
  }
  const fixture: Fixture = {
    vacancies: d.vacancies.nodes.map((n) => n.id),
    candidates: d.candidates.nodes.map((n) => n.id),
    occupationCodes: [...d.occupations.nodes, ...d.more.nodes].map((n) => n.code),
  };
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
        const codes = (json.errors ?? []).map((e) => e.extensions?.code ?? '?');
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
  agent.destroy();
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
