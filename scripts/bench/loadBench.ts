/**
 * Throughput under concurrency with autocannon on a mixed workload through HTTP:
 * 20 % rankCandidates (k=20, defaults: cross-encoder on; every open vacancy taken in turn, so a
 * ranking is served from the 30 s ranking cache only once the run has gone round all of them),
 * 50 % taxonomy reads (an occupation by code with its
 * essential skills and ISCO group), 30 % skillGap (a candidate against a vacancy).
 * Requests that answer with GraphQL errors are counted as errors beside transport errors.
 */
import autocannon from 'autocannon';
import type { GraphQLClient } from './benchInstance.js';
import { loadSample, type LoadSample } from './system.js';

export interface LoadResult {
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latency: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
  /** Transport errors + timeouts + non-2xx + responses carrying GraphQL errors. */
  readonly errors: number;
  readonly breakdown: {
    readonly transport: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly graphql: number;
  };
  /** Responses by HTTP status. */
  readonly statusCodes: Record<string, number>;
  readonly mix: Record<string, number>;
  /**
   * rankCandidates answers, and how many were refused with SERVICE_OVERLOADED because the
   * cross-encoder's queue was full (RERANKER_MAX_WAITING). Results of runs before the ranking
   * stopped shedding load carry `crossEncoderSkipped` instead (rankings that skipped the model).
   */
  readonly rankings: {
    readonly answered: number;
    readonly overloaded?: number;
    readonly crossEncoderSkipped?: number;
  };
  /** Distinct vacancies the rankCandidates requests cycle through. */
  readonly vacancies: number;
  readonly load: { readonly start: LoadSample; readonly end: LoadSample };
}

export interface LoadOptions {
  readonly client: GraphQLClient;
  readonly connections: number;
  readonly seconds: number;
  readonly vacancies: readonly string[];
  readonly candidates: readonly string[];
}

const RANK =
  'query($v: ID!) { rankCandidates(vacancyId: $v, first: 20) { nodes { rank score candidate { id } } meta { timingsMs { total } stagesSkipped } } }';
const TAXONOMY =
  'query($c: String!) { occupation(code: $c) { preferredLabel altLabels iscoGroup { preferredLabel } essentialSkills { totalCount nodes { preferredLabel } } } }';
const GAP =
  'query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { coverage { weightedEssential } missingEssential { skill { preferredLabel } } } }';

/** Which kind the i-th request is: a fixed pattern of 10 (2 rank, 5 taxonomy, 3 gap). */
const PATTERN = [
  'rank',
  'taxonomy',
  'gap',
  'taxonomy',
  'taxonomy',
  'gap',
  'rank',
  'taxonomy',
  'gap',
  'taxonomy',
] as const;

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { client } = options;
  const codes = (
    await client.request<{ occupations: { nodes: Array<{ code: string }> } }>(
      '{ occupations(first: 100) { nodes { code } } }',
    )
  ).occupations.nodes.map((o) => o.code);
  const mix: Record<string, number> = { rank: 0, taxonomy: 0, gap: 0 };
  let i = 0;
  let graphqlErrors = 0;
  let rankings = 0;
  let overloaded = 0;
  const start = loadSample();
  const result = await autocannon({
    url: client.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        headers: client.headers,
        setupRequest: (request) => {
          const n = i;
          i += 1;
          const kind = PATTERN[n % PATTERN.length] ?? 'taxonomy';
          mix[kind] = (mix[kind] ?? 0) + 1;
          const at = <T>(list: readonly T[], k: number): T => list[k % list.length] as T;
          const body =
            kind === 'rank'
              ? { query: RANK, variables: { v: at(options.vacancies, n) } }
              : kind === 'gap'
                ? { query: GAP, variables: { c: at(options.candidates, n), v: at(options.vacancies, n * 7) } }
                : { query: TAXONOMY, variables: { c: at(codes, n) } };
          return { ...request, body: JSON.stringify(body) };
        },
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"errors"')) graphqlErrors += 1;
          // A ranking is never made without the cross-encoder under load: a full queue refuses it.
          if (body.includes('"rankCandidates"')) {
            rankings += 1;
            if (body.includes('"SERVICE_OVERLOADED"')) overloaded += 1;
          }
        },
      },
    ],
  });
  const transport = result.errors - result.timeouts;
  return {
    connections: options.connections,
    seconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    errors: result.errors + result.non2xx + graphqlErrors,
    breakdown: { transport, timeouts: result.timeouts, non2xx: result.non2xx, graphql: graphqlErrors },
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
    ),
    mix,
    rankings: { answered: rankings, overloaded },
    vacancies: options.vacancies.length,
    load: { start, end: loadSample() },
  };
}
