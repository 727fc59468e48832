/**
 * Refusals of one root field, as field errors (GraphQL over HTTP: HTTP 200, the error's `path`,
 * `data` for the other root fields). A root field (one response key, alias or name) is refused
 * before its resolver runs, so none of its work runs, when its selection
 *
 * 1. reaches a field the caller's role may not read (`@access` of a root field, `@denied`
 *    anywhere below it): FORBIDDEN naming the field (`details.field`, `details.role`); or
 * 2. passes an argument outside its bounds (`@range`, page sizes also MAX_PAGE_SIZE), anywhere
 *    below it: BAD_USER_INPUT (`details.field`, `details.argument`, `min`, `max`, `actual`).
 *
 * Whole requests (a malformed body, parse and validation errors, a missing authentication, rate
 * and size limits) are refused before execution by the HTTP steps and `securityPlugin.ts`, with
 * their 4xx status and no `data`.
 *
 * The decisions are made once per execution, at the first root field that resolves, from the
 * operation and its coerced variables (`info.variableValues`, a fresh object per execution, so
 * operations of one batch, which share a context, never see each other's).
 */
import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { Kind, isObjectType, type DocumentNode } from 'graphql';
import { ForbiddenError, type AppError } from '../errors.js';
import type { RequestContext } from '../resolvers/context.js';
import type { Resolvers } from '../resolvers/__generated__/types.js';
import { checkAccess } from './accessPolicy.js';
import { fieldRulesOf } from './fieldRules.js';
import type { Principal } from './principal.js';
import { analyzeOperation, argumentError, type OperationAnalysis } from './queryAnalysis.js';

/** The refusal of each refused root field of an analysed operation, by response key. */
export function rootFieldRefusals(
  principal: Principal,
  analysis: OperationAnalysis,
  schema: GraphQLSchema,
): Map<string, AppError> {
  const rules = fieldRulesOf(schema);
  const refusals = new Map<string, AppError>();
  for (const [key, use] of analysis.rootFields) {
    let refusal: AppError | undefined;
    try {
      checkAccess(principal, use.coordinates, rules);
    } catch (error) {
      // Anonymous callers are refused as a whole request before execution (UNAUTHENTICATED).
      if (!(error instanceof ForbiddenError)) throw error;
      refusal = error;
    }
    refusal ??= use.violation ? argumentError(use.violation) : undefined;
    if (refusal) refusals.set(key, refusal);
  }
  return refusals;
}

function refusalsOf(
  principal: Principal,
  info: GraphQLResolveInfo,
  maxPageSize: number | undefined,
): Map<string, AppError> {
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [info.operation, ...Object.values(info.fragments)],
  };
  const analysis = analyzeOperation(info.schema, document, info.operation, info.variableValues, {
    ...(maxPageSize !== undefined ? { maxPageSize } : {}),
  });
  return rootFieldRefusals(principal, analysis, info.schema);
}

type AnyResolver = GraphQLFieldResolver<unknown, RequestContext, Record<string, unknown>>;

export interface FieldRefusalOptions {
  /** MAX_PAGE_SIZE. */
  readonly maxPageSize?: number;
}

/** Wraps every root field (Query, Mutation) so that a refused one throws its refusal instead of running. */
export function guardRootFields(
  resolvers: Resolvers,
  schema: GraphQLSchema,
  options: FieldRefusalOptions = {},
): Resolvers {
  const map = { ...(resolvers as Record<string, Record<string, unknown>>) };
  const decided = new WeakMap<object, Map<string, AppError>>();
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type || !isObjectType(type)) continue;
    const fields = { ...(map[type.name] ?? {}) };
    for (const field of Object.keys(type.getFields())) {
      const existing = fields[field];
      const inner: AnyResolver =
        typeof existing === 'function'
          ? (existing as AnyResolver)
          : existing && typeof existing === 'object' && 'resolve' in existing
            ? (existing as { resolve: AnyResolver }).resolve
            : (parent) => (parent as Record<string, unknown> | undefined)?.[field];
      fields[field] = ((parent, args, ctx, info) => {
        let refusals = decided.get(info.variableValues);
        if (!refusals) {
          refusals = refusalsOf(ctx.principal, info, options.maxPageSize);
          decided.set(info.variableValues, refusals);
        }
        const refusal = refusals.get(info.path.key as string);
        if (refusal) throw refusal;
        return inner(parent, args, ctx, info);
      }) satisfies AnyResolver;
    }
    map[type.name] = fields;
  }
  return map as Resolvers;
}
