/**
 * Imported first by src/main.ts, before any library is evaluated: the service runs with
 * NODE_ENV=production unless its environment sets NODE_ENV. What that changes, checked against
 * the installed versions: graphql-js's `instanceOf` is a plain `instanceof` instead of its
 * development check for a second copy of graphql (5-6 % of the API's CPU on a repeated ranking in
 * a CPU profile, 7 Dec); Apollo Server reads NODE_ENV only for defaults this service sets itself
 * (introspection, stack traces in errors, landing page). Tests start the app in-process under
 * vitest (NODE_ENV=test) and keep graphql's development checks.
 */
process.env.NODE_ENV ??= 'production';

export {};
