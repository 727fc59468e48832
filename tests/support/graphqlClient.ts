/**
 * A tiny GraphQL-over-HTTP client for end-to-end tests. It authenticates with the test ADMIN key
 * (see `testConfig`) unless given other credentials, or `key: null` for an anonymous call.
 */
export const TEST_ADMIN_KEY = 'tg_test-admin-key-for-e2e-tests-only-0000000000';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: string[];
    extensions?: { code?: string; details?: Record<string, unknown> };
  }>;
  headers?: Headers;
}

export interface Credentials {
  /** An API key (x-api-key); null for no key. Defaults to the test ADMIN key. */
  readonly key?: string | null;
  /** A bearer token (replaces the key). */
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export function authHeaders(credentials: Credentials = {}): Record<string, string> {
  if (credentials.token !== undefined)
    return { authorization: `Bearer ${credentials.token}`, ...credentials.headers };
  const key = credentials.key === undefined ? TEST_ADMIN_KEY : credentials.key;
  return { ...(key === null ? {} : { 'x-api-key': key }), ...credentials.headers };
}

export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  credentials: Credentials = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(credentials) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: res.status, headers: res.headers, ...body };
}

/** Posts any body (a batch, a persisted-query request, raw bytes) and parses the JSON answer. */
export async function postRaw(
  url: string,
  body: string | Buffer,
  credentials: Credentials = {},
): Promise<GraphQLResponse & { raw: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(credentials) },
    body,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }
  const single = (Array.isArray(parsed) ? {} : parsed) as Omit<GraphQLResponse, 'status'>;
  return { status: res.status, headers: res.headers, ...single, raw: parsed };
}

export function errorCodes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((e) => e.extensions?.code ?? '?');
}
