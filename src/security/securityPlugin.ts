/**
 * Apollo plugin that refuses a whole operation before it runs, with the error's 4xx status and no
 * `data`: introspection rules, a field an anonymous caller may not read (UNAUTHENTICATED, see
 * `accessPolicy.ts`), query limits (depth, aliases, fragment spreads, cost: `queryAnalysis.ts`)
 * and the retrieve budget, all from the rules the schema declares (`fieldRules.ts`, read once
 * when the server starts: a malformed directive stops the start). It runs once the operation is
 * parsed, validated and resolved (persisted queries included), with the request's variables.
 * What concerns one root field (a role refusal, an argument out of bounds) is a field error of
 * that field while the operation executes (`fieldRefusals.ts`).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AppError, LimitError } from '../errors.js';
import type { RequestContext } from '../resolvers/context.js';
import { checkAccess } from './accessPolicy.js';
import { fieldRulesOf } from './fieldRules.js';
import { analyzeOperation, checkLimits, type QueryLimits } from './queryAnalysis.js';
import { checkRetrieveBudget } from './retrieveBudget.js';

export interface SecurityPluginOptions {
  readonly limits: QueryLimits & { readonly maxRequestRetrieve?: number };
  readonly introspection: 'on' | 'authenticated' | 'off';
}

/** An `AppError` as the GraphQL error Apollo sends, with the error's own HTTP status. */
export function toRefusal(error: AppError): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, http: { status: error.httpStatus } },
  });
}

export function securityPlugin(options: SecurityPluginOptions): ApolloServerPlugin<RequestContext> {
  return {
    serverWillStart({ schema }) {
      fieldRulesOf(schema);
      return Promise.resolve();
    },
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation(rc) {
          const { principal } = rc.contextValue;
          if (!rc.operation) return Promise.resolve();
          try {
            const analysis = analyzeOperation(
              rc.schema,
              rc.document,
              rc.operation,
              rc.request.variables ?? {},
              { maxPageSize: options.limits.maxPageSize },
            );
            if (analysis.introspection) {
              const allowed =
                options.introspection === 'on'
                  ? principal.kind !== 'anonymous' || principal.taxonomy
                  : options.introspection === 'authenticated' && principal.kind !== 'anonymous';
              if (!allowed) {
                throw new LimitError(
                  'INTROSPECTION_DISABLED',
                  options.introspection === 'off'
                    ? 'Introspection is disabled on this server'
                    : 'Introspection needs authentication on this server',
                  { limit: 'introspection', setting: 'INTROSPECTION' },
                );
              }
            }
            if (principal.kind === 'anonymous')
              checkAccess(principal, analysis.coordinates, fieldRulesOf(rc.schema));
            checkLimits(analysis, options.limits);
            checkRetrieveBudget(
              rc.document,
              rc.operation,
              rc.request.variables ?? {},
              options.limits.maxRequestRetrieve,
            );
            rc.contextValue.log.debug({ cost: analysis.cost, depth: analysis.depth }, 'operation admitted');
          } catch (error) {
            if (error instanceof AppError) throw toRefusal(error);
            throw error;
          }
          return Promise.resolve();
        },
      });
    },
  };
}
