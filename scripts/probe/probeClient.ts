/**
 * The probe's HTTP side: one answer per request with its status, error codes and time, keys for
 * every role, and the verdict on one attempt.
 */
import { generateApiKey } from '../../src/security/credentials.js';

export type Role = 'ANONYMOUS' | 'ADMIN' | 'ANALYST' | 'RECRUITER' | 'PARTNER';

/** What one attempt came to. */
export type Outcome =
  /** refused with a code the shape expects */
  | 'refused'
  /** answered, and the answer gives away nothing it should not */
  | 'harmless'
  /** the hole the probe looks for is there (a leak, a race, a write that should have been refused) */
  | 'acceptedWrongly'
  /** refused, but with a code the shape does not expect */
  | 'wrongCode'
  /** HTTP 5xx, or an error masked as INTERNAL_SERVER_ERROR */
  | 'serverError'
  /** no answer within the hang threshold */
  | 'hang';

export const OUTCOMES: readonly Outcome[] = [
  'refused',
  'harmless',
  'acceptedWrongly',
  'wrongCode',
  'serverError',
  'hang',
];

export interface Attempt {
  readonly outcome: Outcome;
  readonly ms: number;
  /** Why, for anything but a plain refusal or harmless answer. */
  readonly note?: string;
}

export interface Answer {
  readonly status: number;
  readonly ms: number;
  /** The parsed body (an array for a batch), undefined when it was not JSON. */
  readonly body: unknown;
  /** Error codes of the answer, of every operation of a batch. */
  readonly codes: string[];
  /** `data` of a single operation's answer. */
  readonly data: Record<string, unknown> | null | undefined;
  readonly messages: string[];
  /** The network error, when there was no answer. */
  readonly failure?: string;
}

/** API keys for every role: ADMIN, ANALYST, and RECRUITER and PARTNER for each organization. */
export interface ProbeKeys {
  readonly admin: string;
  readonly analyst: string;
  readonly recruiter: (organization: string) => string | undefined;
  readonly partner: (organization: string) => string | undefined;
}

/** Generated keys (for the server's API_KEYS) for ADMIN, ANALYST and each organization's two scoped roles. */
export function generateProbeKeys(organizations: readonly string[]): {
  keys: ProbeKeys;
  entries: string[];
} {
  const admin = generateApiKey('probe-admin', 'ADMIN', null);
  const analyst = generateApiKey('probe-analyst', 'ANALYST', null);
  const scoped = new Map<string, { recruiter: string; partner: string }>();
  const entries = [admin.entry, analyst.entry];
  for (const org of organizations) {
    const recruiter = generateApiKey(`probe-recruiter-${org}`, 'RECRUITER', org);
    const partner = generateApiKey(`probe-partner-${org}`, 'PARTNER', org);
    scoped.set(org, { recruiter: recruiter.key, partner: partner.key });
    entries.push(recruiter.entry, partner.entry);
  }
  return {
    keys: {
      admin: admin.key,
      analyst: analyst.key,
      recruiter: (org) => scoped.get(org)?.recruiter,
      partner: (org) => scoped.get(org)?.partner,
    },
    entries,
  };
}

interface ErrorBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
}

export interface ProbeHttp {
  /** POST a JSON value (or raw bytes) with a key (null: none) and extra headers. */
  post(body: unknown, key: string | null, headers?: Record<string, string>): Promise<Answer>;
  /** GET the endpoint with these query-string parameters (or a raw query string). */
  get(params: Record<string, string> | string, key: string | null): Promise<Answer>;
  /** GET /ready's JSON. */
  ready(): Promise<Record<string, unknown> | undefined>;
  /** Milliseconds until /health answers. */
  health(): Promise<number>;
}

export function createProbeHttp(url: string, timeoutMs: number): ProbeHttp {
  const base = url.replace(/\/graphql$/, '');
  const send = async (target: string, init: RequestInit): Promise<Answer> => {
    const t0 = performance.now();
    try {
      const res = await fetch(target, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      const ms = performance.now() - t0;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const results = (Array.isArray(body) ? body : [body ?? {}]) as ErrorBody[];
      const errors = results.flatMap((r) => r.errors ?? []);
      return {
        status: res.status,
        ms,
        body,
        codes: errors.map((e) => e.extensions?.code ?? '?'),
        messages: errors.map((e) => e.message ?? ''),
        data: Array.isArray(body) ? undefined : (body as ErrorBody | undefined)?.data,
      };
    } catch (error) {
      return {
        status: 0,
        ms: performance.now() - t0,
        body: undefined,
        codes: [],
        messages: [],
        data: undefined,
        failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
    }
  };
  const auth = (key: string | null): Record<string, string> => (key === null ? {} : { 'x-api-key': key });
  return {
    post: (body, key, headers = {}) =>
      send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(key), ...headers },
        body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      }),
    get: (params, key) =>
      send(`${url}?${typeof params === 'string' ? params : new URLSearchParams(params).toString()}`, {
        headers: { ...auth(key), 'apollo-require-preflight': 'true' },
      }),
    ready: async () => {
      try {
        const res = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(timeoutMs) });
        return (await res.json()) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    },
    health: async () => {
      const t0 = performance.now();
      await fetch(`${base}/health`, { signal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined);
      return performance.now() - t0;
    },
  };
}

/**
 * The verdict on one answer: a hang past `hangMs`, a 5xx or masked internal error, a refusal with
 * an expected code (or another code), or an answer that `judge` (default: harmless when nothing
 * was expected, else accepted wrongly) calls harmless or not.
 */
export function verdict(
  answer: Answer,
  expect: readonly string[],
  hangMs: number,
  judge?: (answer: Answer) => Attempt['outcome'] | { outcome: Attempt['outcome']; note: string },
): Attempt {
  const ms = answer.ms;
  if (answer.failure) {
    return ms >= hangMs
      ? { outcome: 'hang', ms, note: answer.failure }
      : { outcome: 'serverError', ms, note: answer.failure };
  }
  if (ms >= hangMs) return { outcome: 'hang', ms, note: `answered after ${(ms / 1000).toFixed(1)} s` };
  const summary = `HTTP ${answer.status} ${answer.codes.join(',') || 'no error'}`;
  if (answer.status >= 500 || answer.codes.includes('INTERNAL_SERVER_ERROR'))
    return { outcome: 'serverError', ms, note: summary };
  if (answer.codes.length > 0) {
    return answer.codes.every((c) => expect.includes(c))
      ? { outcome: 'refused', ms }
      : { outcome: 'wrongCode', ms, note: `${summary}, expected ${expect.join('|') || 'an answer'}` };
  }
  const judged = judge ? judge(answer) : expect.length === 0 ? 'harmless' : 'acceptedWrongly';
  const { outcome, note } = typeof judged === 'string' ? { outcome: judged, note: undefined } : judged;
  return {
    outcome,
    ms,
    ...(note
      ? { note }
      : outcome === 'acceptedWrongly'
        ? { note: `${summary}, expected ${expect.join('|')}` }
        : {}),
  };
}
