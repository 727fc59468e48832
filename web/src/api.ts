/**
 * The console's one way to the API: POST /graphql with the caller's key, typed by the documents
 * graphql-codegen generates from schema.graphql (`./gql`). An answer with errors becomes an
 * `ApiError` carrying the API's code and message, so screens show what the server said.
 */
import type { TypedDocumentString } from './gql/graphql';

const KEY_STORAGE = 'talentgraph.apiKey';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly path: readonly (string | number)[] | undefined = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLAnswer<R> {
  data?: R | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export function storedKey(): string {
  return sessionStorage.getItem(KEY_STORAGE) ?? '';
}

export function storeKey(key: string): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

/** Runs one operation; resolves to its data, or rejects with the first error the API returned. */
export async function request<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  signal?: AbortSignal,
): Promise<R> {
  const key = storedKey();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(key ? { 'x-api-key': key } : {}),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('The API could not be reached', 'NETWORK_ERROR', 0);
  }
  let answer: GraphQLAnswer<R>;
  try {
    answer = (await response.json()) as GraphQLAnswer<R>;
  } catch {
    throw new ApiError(
      `The API answered HTTP ${response.status} without a GraphQL body`,
      'BAD_RESPONSE',
      response.status,
    );
  }
  const first = answer.errors?.[0];
  if (first) {
    throw new ApiError(
      first.message,
      first.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
      response.status,
      first.path,
    );
  }
  if (!answer.data) throw new ApiError('The API answered without data', 'BAD_RESPONSE', response.status);
  return answer.data;
}
