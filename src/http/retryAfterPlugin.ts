/**
 * `retry-after` for errors raised while an operation runs. A refusal before execution sets its
 * own header (`steps/`); an error from a resolver that says when to retry (`details.retryAfterMs`:
 * an exhausted Neo4j pool, an open circuit breaker, a full cross-encoder queue) sets it here, in
 * whole seconds, at least 1. The longest wait among the response's errors wins.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

/** The longest `extensions.details.retryAfterMs` among `errors`, if any. */
export function retryAfterMsOf(errors: readonly GraphQLFormattedError[] | undefined): number | undefined {
  let longest: number | undefined;
  for (const error of errors ?? []) {
    const details = error.extensions?.['details'] as { retryAfterMs?: unknown } | undefined;
    const ms = details?.retryAfterMs;
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) longest = Math.max(longest ?? 0, ms);
  }
  return longest;
}

export function retryAfterPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ response }) {
          if (response.body.kind !== 'single') return Promise.resolve();
          const ms = retryAfterMsOf(response.body.singleResult.errors);
          if (ms !== undefined) {
            const seconds = Math.max(1, Math.ceil(ms / 1000));
            const previous = Number(response.http.headers.get('retry-after') ?? 0);
            response.http.headers.set('retry-after', String(Math.max(seconds, previous)));
          }
          return Promise.resolve();
        },
      });
    },
  };
}
