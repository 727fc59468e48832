/** A small hook around `request`: loading, data and error states, re-run when its key changes. */
import { useEffect, useState } from 'react';
import { ApiError, request } from './api';
import type { TypedDocumentString } from './gql/graphql';

export interface QueryState<R> {
  readonly loading: boolean;
  readonly data: R | undefined;
  readonly error: ApiError | undefined;
}

/**
 * Runs `document` with `variables` whenever `runKey` changes (null: do not run). An older answer
 * arriving after a newer request is dropped (its request is aborted).
 */
export function useQuery<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  runKey: string | null,
): QueryState<R> {
  const [state, setState] = useState<QueryState<R>>({ loading: false, data: undefined, error: undefined });
  useEffect(() => {
    if (runKey === null) {
      setState({ loading: false, data: undefined, error: undefined });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ loading: true, data: s.data, error: undefined }));
    request(document, variables, controller.signal).then(
      (data) => setState({ loading: false, data, error: undefined }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(String(error), 'CLIENT_ERROR', 0);
        setState({ loading: false, data: undefined, error: apiError });
      },
    );
    return () => controller.abort();
    // runKey stands for the variables (callers derive it from them), so only it re-runs the query.
  }, [runKey]);
  return state;
}
