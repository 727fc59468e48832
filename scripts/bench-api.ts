/**
 * `npm run bench:api -- [--url http://127.0.0.1:4000/graphql] [--calls 100] [--pid PID] [--key API_KEY] [--pause-ms 120]`
 *
 * Latency of the recruiter and analyst operations through the running API (start it with
 * `npm start`), each a median over repeated calls with p95/p99 and min–max, and ratios against
 * a baseline measured in the same run:
 * - rankCandidates k=20 without the cross-encoder (the baseline), with it (top 30), and an
 *   identical request repeated right away (served from the ranking cache);
 * - rankVacancies k=20;
 * - skillGap, threeWayGap, careerPaths, skillDemand, occupationSkillProfile.
 * Distinct vacancies / candidates per call so first-call costs are measured, not the cache.
 * Prints a markdown table; RSS of the API process is read from /proc when --pid is given.
 */
import fs from 'node:fs';

const args = process.argv.slice(2).filter((a) => a !== '--');
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const url = flag('url', 'http://127.0.0.1:4000/graphql');
const calls = Number(flag('calls', '100'));
const pid = flag('pid', '');
const key = flag('key', process.env.TALENTGRAPH_API_KEY ?? '');
/** Untimed pause after each measured call, so a run stays under the per-credential rate limit (default 20/s). */
const pauseMs = Number(flag('pause-ms', '120'));

/** The last answer's `server-timing` durations by name (see src/http/serverTimingPlugin.ts). */
let lastServerTiming = new Map<string, number>();

function parseServerTiming(header: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.find((p) => p.startsWith('dur='));
    if (name && dur) out.set(name, Number(dur.slice(4)));
  }
  return out;
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(key ? { 'x-api-key': key } : {}),
  };
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  lastServerTiming = parseServerTiming(res.headers.get('server-timing'));
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
}

interface Stats {
  name: string;
  n: number;
  /** Medians of the server's own figures: the ranking service, resolving the rest, GraphQL in all (server-timing). */
  server: { ranking: number; resolve: number; graphql: number };
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

async function measure(
  name: string,
  inputs: readonly string[],
  run: (input: string) => Promise<unknown>,
  prepare?: (input: string) => Promise<void>,
): Promise<Stats> {
  const times: number[] = [];
  const server = { ranking: [] as number[], resolve: [] as number[], graphql: [] as number[] };
  for (const input of inputs) {
    if (prepare) await prepare(input);
    const t = performance.now();
    await run(input);
    times.push(performance.now() - t);
    for (const key of ['ranking', 'resolve', 'graphql'] as const) {
      const ms = lastServerTiming.get(key);
      if (ms !== undefined) server[key].push(ms);
    }
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
  }
  times.sort((a, b) => a - b);
  const median = (list: number[]) =>
    quantile(
      [...list].sort((a, b) => a - b),
      0.5,
    );
  return {
    name,
    n: times.length,
    server: {
      ranking: median(server.ranking),
      resolve: median(server.resolve),
      graphql: median(server.graphql),
    },
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    p99: quantile(times, 0.99),
    min: times[0] ?? 0,
    max: times[times.length - 1] ?? 0,
  };
}

function rssMb(): string {
  if (!pid) return 'n/a';
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return `${(kb / 1024).toFixed(0)} MB (peak ${(peak / 1024).toFixed(0)} MB)`;
  } catch {
    return 'n/a';
  }
}

// Open vacancies, page by page (pages hold at most 100), enough for two disjoint sets of `calls`.
const vacancies: Array<{ id: string; occupation: { uri: string } | null }> = [];
for (let after: string | null = null; vacancies.length < 2 * calls;) {
  const page: {
    vacancies: { nodes: typeof vacancies; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } = await gql(
    'query($after: String) { vacancies(first: 100, after: $after, filter: { status: OPEN }) { nodes { id occupation { uri } } pageInfo { hasNextPage endCursor } } }',
    { after },
  );
  vacancies.push(...page.vacancies.nodes);
  if (!page.vacancies.pageInfo.hasNextPage) break;
  after = page.vacancies.pageInfo.endCursor;
}
const candidates = (
  await gql<{ candidates: { nodes: Array<{ id: string }> } }>('{ candidates(first: 100) { nodes { id } } }')
).candidates.nodes.map((c) => c.id);
const vacancyIds = vacancies.map((v) => v.id).slice(0, calls);
// The cross-encoder caches its scores per vacancy and candidate for the life of the server: its row
// uses other vacancies than the baseline row (the next slice), so every call scores 30 fresh pairs
// on a server that has not ranked them with the cross-encoder before (restart it between runs).
const ceVacancyIds = vacancies.map((v) => v.id).slice(calls, 2 * calls);
const candidateIds = candidates.slice(0, calls);
const RANK = `query($v: ID!, $ce: Boolean) { rankCandidates(vacancyId: $v, first: 20, options: { useReranker: $ce }) {
  nodes { rank score explanation candidate { id displayName } matchedSkills { preferredLabel } missingEssentialSkills { preferredLabel } }
  meta { timingsMs { total } } fairness { demographicParityDifference } } }`;

const results: Stats[] = [];
// Warm-up: one call of each kind (JIT, connection pool, model sessions).
await gql(RANK, { v: vacancyIds[vacancyIds.length - 1], ce: true });
results.push(
  await measure('rankCandidates k=20, no cross-encoder (baseline)', vacancyIds, (v) =>
    gql(RANK, { v, ce: false }),
  ),
);
results.push(
  await measure(
    'rankCandidates k=20, cross-encoder on top 30 (other vacancies, uncached)',
    ceVacancyIds,
    (v) => gql(RANK, { v, ce: true }),
  ),
);
// Repeated request: each vacancy asked twice in a row, only the second (identical) call timed.
results.push(
  await measure(
    'rankCandidates k=20, repeated identical request',
    vacancyIds,
    (v) => gql(RANK, { v, ce: false }),
    async (v) => {
      await gql(RANK, { v, ce: false });
    },
  ),
);
results.push(
  await measure('rankVacancies k=20, cross-encoder on top 30', candidateIds, (c) =>
    gql(
      'query($c: ID!) { rankVacancies(candidateId: $c, first: 20, options: { useReranker: true }) { nodes { rank score vacancy { id title } } } }',
      { c },
    ),
  ),
);
const pairs = candidateIds.map((c, i) => `${c}|${vacancyIds[i % vacancyIds.length] ?? ''}`);
results.push(
  await measure('skillGap (vacancy target)', pairs, (p) => {
    const [c, v] = p.split('|');
    return gql(
      'query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { coverage { weightedEssential } missingEssential { skill { preferredLabel } } partialMatches { kind } } }',
      { c, v },
    );
  }),
);
results.push(
  await measure('threeWayGap', pairs, (p) => {
    const [c, v] = p.split('|');
    return gql(
      'query($c: ID!, $v: ID!) { threeWayGap(candidateId: $c, vacancyId: $v) { vacancySkillsBeyondEsco { skill { uri } } againstOccupation { coverage { essential } } } }',
      { c, v },
    );
  }),
);
results.push(
  await measure('careerPaths k=10', candidateIds, (c) =>
    gql(
      'query($c: ID!) { careerPaths(candidateId: $c, k: 10) { paths { occupation { preferredLabel } weightedCoverage missingEssentialCount } skillsOpeningMostPaths { paths } } }',
      { c },
    ),
  ),
);
const occupations = vacancies.flatMap((v) => (v.occupation ? [v.occupation.uri] : [])).slice(0, calls);
results.push(
  await measure('skillDemand (by occupation)', occupations, (o) =>
    gql('query($o: ID!) { skillDemand(filter: { occupationUri: $o }) { items { demand supply } } }', { o }),
  ),
);
results.push(
  await measure('occupationSkillProfile', occupations, (o) =>
    gql('query($o: ID!) { occupationSkillProfile(uri: $o) { vacancies askedBeyondProfile { askedBy } } }', {
      o,
    }),
  ),
);

const base = results[0]?.p50 ?? 1;
const f = (n: number) => n.toFixed(1);
process.stdout.write(
  `\nAPI latency through HTTP (${url}), ms; ratio = p50 / p50 of the baseline row. RSS of the API: ${rssMb()}\n\n`,
);
process.stdout.write(
  "The last columns are medians of the server's `server-timing` header: time in the ranking service, resolving\n" +
    'the rest of the result (execute minus ranking), and the whole GraphQL operation; p50 minus it is HTTP,\n' +
    'serialisation and the client.\n\n',
);
process.stdout.write(
  '| operation | calls | p50 | p95 | p99 | min–max | ratio | server: ranking | resolve | graphql |\n|---|---|---|---|---|---|---|---|---|---|\n',
);
const g = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
for (const r of results) {
  process.stdout.write(
    `| ${r.name} | ${r.n} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.min)}–${f(r.max)} | ${(r.p50 / base).toFixed(2)} | ${g(r.server.ranking)} | ${g(r.server.resolve)} | ${g(r.server.graphql)} |\n`,
  );
}
