/**
 * The `server-timing` response header (W3C Server Timing; browsers' developer tools show it):
 * where an operation's time went inside the server, so a client or a benchmark can tell the
 * GraphQL layer's cost from the services' without reading logs.
 *
 *   parse;dur=0.3, validate;dur=1.2, execute;dur=48.0, ranking;dur=31.5, resolve;dur=16.5, graphql;dur=50.1
 *
 * - `parse`, `validate`, `execute`: Apollo's phases of the operation (parse and validate are
 *   left out when Apollo served the document from its cache of parsed and validated documents);
 * - `ranking`: time in the ranking service (all rankings of the operation, cached or computed);
 * - `resolve`: `execute` minus the services, i.e. resolving the nested result (loaders for
 *   candidates and skills, access checks, field resolvers); absent without a service time;
 * - `graphql`: from the start of the operation to its response (before serialisation and HTTP).
 *
 * Durations in milliseconds, one decimal. A batch answers with the headers of its operations
 * merged by Apollo (one response), so the figures are per single operation.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { serviceTimes } from '../requestScope.js';

const fmt = (ms: number) => (Math.round(ms * 10) / 10).toFixed(1);

/** The header value for the measured phases and service times (pure, for tests). */
export function serverTimingHeader(
  phases: Readonly<{ parse?: number; validate?: number; execute?: number; graphql: number }>,
  services: ReadonlyMap<string, number>,
): string {
  const parts: string[] = [];
  for (const name of ['parse', 'validate', 'execute'] as const) {
    const ms = phases[name];
    if (ms !== undefined) parts.push(`${name};dur=${fmt(ms)}`);
  }
  let inServices = 0;
  for (const [name, ms] of services) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) continue;
    parts.push(`${name};dur=${fmt(ms)}`);
    inServices += ms;
  }
  if (phases.execute !== undefined && services.size > 0)
    parts.push(`resolve;dur=${fmt(Math.max(0, phases.execute - inServices))}`);
  parts.push(`graphql;dur=${fmt(phases.graphql)}`);
  return parts.join(', ');
}

export function serverTimingPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      const started = performance.now();
      const phases: { parse?: number; validate?: number; execute?: number } = {};
      const timed = (name: 'parse' | 'validate' | 'execute') => {
        const at = performance.now();
        return (): Promise<void> => {
          phases[name] = performance.now() - at;
          return Promise.resolve();
        };
      };
      return Promise.resolve({
        parsingDidStart: () => Promise.resolve(timed('parse')),
        validationDidStart: () => Promise.resolve(timed('validate')),
        executionDidStart: () => {
          const end = timed('execute');
          return Promise.resolve({ executionDidEnd: end });
        },
        willSendResponse({ response }) {
          const value = serverTimingHeader(
            { ...phases, graphql: performance.now() - started },
            serviceTimes(),
          );
          response.http.headers.set('server-timing', value);
          return Promise.resolve();
        },
      });
    },
  };
}
