/**
 * A field's rules, declared next to the field in `schema.graphql` and read from the parsed
 * schema once (at start-up, cached per schema object):
 *
 * - `@cost(weight)`: base cost for the query analysis (`queryAnalysis.ts`);
 * - `@access(roles, rule, argument)`: who may call a root field, and the named data-dependent
 *   rule run before its resolver (`accessPolicy.ts` implements each rule once);
 * - `@denied(roles)`: a field refused to some roles wherever it is selected;
 * - `@range(min, max)`: bounds of a numeric argument or input field, checked before execution.
 *
 * A malformed use (a rule naming an argument the field lacks, `@range` on a non-numeric type or
 * with min > max) throws here, so the server does not start with rules it cannot apply.
 */
import {
  getDirectiveValues,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLDirective,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { Bounds } from '../domain/validation.js';
import type { Role } from './principal.js';

export type Access = 'ANONYMOUS' | Role;

/** The data-dependent rules `@access(rule: …)` may name (enum AccessRule in the schema). */
export const ACCESS_RULES = [
  'OWN_VACANCY',
  'CANDIDATE_IN_SCOPE',
  'SKILL_GAP_TARGET',
  'OWN_ORGANIZATION_FILTER',
] as const;
export type AccessRuleName = (typeof ACCESS_RULES)[number];

/** The arguments each rule reads: `argument` (named by the directive) or fixed ones. */
const RULE_ARGUMENTS: Readonly<Record<AccessRuleName, 'argument' | readonly string[]>> = {
  OWN_VACANCY: 'argument',
  CANDIDATE_IN_SCOPE: 'argument',
  SKILL_GAP_TARGET: ['candidateId', 'target'],
  OWN_ORGANIZATION_FILTER: 'argument',
};

export interface RootAccess {
  readonly roles: readonly Access[];
  readonly rule?: AccessRuleName;
  readonly argument?: string;
}

export interface FieldRules {
  /** `Type.field` → `@cost` weight. */
  readonly costs: ReadonlyMap<string, number>;
  /** Root `Type.field` → `@access`. */
  readonly access: ReadonlyMap<string, RootAccess>;
  /** `Type.field` → roles of `@denied`. */
  readonly denials: ReadonlyMap<string, readonly Access[]>;
  /** `Type.field` → argument → `@range`. */
  readonly argumentRanges: ReadonlyMap<string, ReadonlyMap<string, Bounds>>;
  /** Input type → field → `@range`. */
  readonly inputRanges: ReadonlyMap<string, ReadonlyMap<string, Bounds>>;
}

const cache = new WeakMap<GraphQLSchema, FieldRules>();

/** The rules of `schema` (computed once per schema object). */
export function fieldRulesOf(schema: GraphQLSchema): FieldRules {
  let rules = cache.get(schema);
  if (!rules) {
    rules = readFieldRules(schema);
    cache.set(schema, rules);
  }
  return rules;
}

type DirectiveHolder = Parameters<typeof getDirectiveValues>[1];

function valuesOf(
  directive: GraphQLDirective | null | undefined,
  node: DirectiveHolder | null | undefined,
): Record<string, unknown> | undefined {
  return directive && node ? getDirectiveValues(directive, node) : undefined;
}

function boundsOf(values: Record<string, unknown>, type: GraphQLInputType, where: string): Bounds {
  const named = getNamedType(type).name;
  if (named !== 'Int' && named !== 'Float')
    throw new Error(`@range on ${where}: only Int and Float can be bounded (it is ${named})`);
  const min = typeof values.min === 'number' ? values.min : undefined;
  const max = typeof values.max === 'number' ? values.max : undefined;
  if (min === undefined && max === undefined) throw new Error(`@range on ${where} sets neither min nor max`);
  if (min !== undefined && max !== undefined && min > max)
    throw new Error(`@range on ${where}: min ${min} is above max ${max}`);
  return { min, max, integer: named === 'Int' };
}

function readFieldRules(schema: GraphQLSchema): FieldRules {
  const costDirective = schema.getDirective('cost');
  const accessDirective = schema.getDirective('access');
  const deniedDirective = schema.getDirective('denied');
  const rangeDirective = schema.getDirective('range');
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) =>
      t ? [t.name] : [],
    ),
  );
  const costs = new Map<string, number>();
  const access = new Map<string, RootAccess>();
  const denials = new Map<string, readonly Access[]>();
  const argumentRanges = new Map<string, Map<string, Bounds>>();
  const inputRanges = new Map<string, Map<string, Bounds>>();

  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const range = valuesOf(rangeDirective, field.astNode);
        if (!range) continue;
        const byField = inputRanges.get(type.name) ?? new Map<string, Bounds>();
        byField.set(field.name, boundsOf(range, field.type, `${type.name}.${field.name}`));
        inputRanges.set(type.name, byField);
      }
      continue;
    }
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const cost = valuesOf(costDirective, field.astNode);
      if (cost && typeof cost.weight === 'number') {
        if (cost.weight < 0) throw new Error(`@cost on ${coordinate} is negative`);
        costs.set(coordinate, cost.weight);
      }
      const denied = valuesOf(deniedDirective, field.astNode);
      if (denied) denials.set(coordinate, denied.roles as Access[]);
      const rule = valuesOf(accessDirective, field.astNode);
      if (rule) {
        if (!roots.has(type.name)) throw new Error(`@access on ${coordinate}: only root fields take it`);
        access.set(coordinate, readAccess(rule, coordinate, new Set(field.args.map((a) => a.name))));
      }
      for (const arg of field.args) {
        const range = valuesOf(rangeDirective, arg.astNode);
        if (!range) continue;
        const byArg = argumentRanges.get(coordinate) ?? new Map<string, Bounds>();
        byArg.set(arg.name, boundsOf(range, arg.type, `${coordinate}(${arg.name})`));
        argumentRanges.set(coordinate, byArg);
      }
    }
  }
  return { costs, access, denials, argumentRanges, inputRanges };
}

function readAccess(
  values: Record<string, unknown>,
  coordinate: string,
  args: ReadonlySet<string>,
): RootAccess {
  const roles = values.roles as Access[];
  const rule = values.rule as AccessRuleName | undefined;
  const argument = typeof values.argument === 'string' ? values.argument : undefined;
  if (rule === undefined) {
    if (argument !== undefined) throw new Error(`@access on ${coordinate} names an argument but no rule`);
    return { roles };
  }
  const needs = RULE_ARGUMENTS[rule];
  const read = needs === 'argument' ? (argument === undefined ? [] : [argument]) : needs;
  if (needs === 'argument' && argument === undefined)
    throw new Error(`@access on ${coordinate}: rule ${rule} needs an argument`);
  const missing = read.filter((a) => !args.has(a));
  if (missing.length > 0)
    throw new Error(
      `@access on ${coordinate}: rule ${rule} reads ${missing.join(', ')}, which the field lacks`,
    );
  return argument === undefined ? { roles, rule } : { roles, rule, argument };
}
