/**
 * A field's rules, declared next to the field in `schema.graphql` and read from the parsed
 * schema once (at start-up, cached per schema object):
 *
 * - `@cost(weight)`: base cost for the query analysis (`queryAnalysis.ts`);
 * - `@access(roles, rule, argument, subject)`: who may call a root field, the named
 *   data-dependent rule run before its resolver (`accessPolicy.ts` implements each rule once),
 *   and `subject`: the rule that scopes the people whose fields the result carries. Every root
 *   field whose result type reaches `Candidate` must declare it for each organization-bound role
 *   it admits (RECRUITER, PARTNER), and may not admit ANONYMOUS at all (`subjectAccessGaps`);
 *   ANALYST, bound to no organization, sees people pseudonymised, as PARTNER does: every field
 *   `@denied` to one pseudonymised role is denied to all of them (`pseudonymDenialGaps`);
 * - `@denied(roles)`: a field refused to some roles wherever it is selected;
 * - `@range(min, max)`: bounds of a numeric argument or input field, checked before execution.
 *
 * A malformed use (a rule naming an argument the field lacks, `@range` on a non-numeric type or
 * with min > max, a path to `Candidate` without subject access) throws here, so the server does
 * not start with rules it cannot apply.
 */
import {
  getDirectiveValues,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLDirective,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { Bounds } from '../domain/validation.js';
import type { Role } from './principal.js';
import { PSEUDONYMISED_ROLES } from './pseudonym.js';

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
  SKILL_GAP_TARGET: ['target'],
  OWN_ORGANIZATION_FILTER: 'argument',
};

/** A named rule and the argument it reads. */
export interface RuleUse {
  readonly rule: AccessRuleName;
  readonly argument: string;
}

export interface RootAccess {
  readonly roles: readonly Access[];
  readonly rule?: AccessRuleName;
  readonly argument?: string;
  /** The rule that scopes the people whose fields the result carries (`@access(subject: …)`). */
  readonly subject?: RuleUse;
}

/** Roles bound to an organization: person fields reach them only through a subject rule. */
const SUBJECT_SCOPED_ROLES: ReadonlySet<Access> = new Set(['RECRUITER', 'PARTNER']);
/** Roles with no scope a subject rule could check: no root field reaching `Candidate` admits them. */
const NO_PERSON_ROLES: ReadonlySet<Access> = new Set(['ANONYMOUS']);

/**
 * Root fields (`Query.x`) whose result type reaches the type `target` through any chain of
 * object, interface and union fields, with one such chain each (`SkillGap.candidate`).
 */
export function rootPathsTo(schema: GraphQLSchema, target: string): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const start = getNamedType(field.type).name;
      const seen = new Set<string>([start]);
      const queue: Array<{ type: string; path: string[] }> = [{ type: start, path: [] }];
      while (queue.length > 0) {
        const { type: name, path } = queue.shift() ?? { type: '', path: [] };
        if (name === target) {
          paths.set(`${root?.name}.${field.name}`, path);
          break;
        }
        const type = schema.getType(name);
        const next: Array<[string, string]> = [];
        if (isObjectType(type) || isInterfaceType(type))
          for (const f of Object.values(type.getFields()))
            next.push([getNamedType(f.type).name, `${name}.${f.name}`]);
        if (isUnionType(type)) for (const t of type.getTypes()) next.push([t.name, `${name}(${t.name})`]);
        if (isInterfaceType(type))
          for (const t of schema.getPossibleTypes(type)) next.push([t.name, `${name}(${t.name})`]);
        for (const [child, step] of next) {
          if (seen.has(child)) continue;
          seen.add(child);
          queue.push({ type: child, path: [...path, step] });
        }
      }
    }
  }
  return paths;
}

/**
 * What subject access the schema fails to declare, one line per root field and role: a root
 * field reaching `Candidate` that admits RECRUITER or PARTNER without `@access(subject: …)`, or
 * that admits ANONYMOUS at all. (ANALYST reaches people only pseudonymised: `pseudonymDenialGaps`.)
 */
export function subjectAccessGaps(schema: GraphQLSchema, access: ReadonlyMap<string, RootAccess>): string[] {
  const gaps: string[] = [];
  for (const [coordinate, path] of rootPathsTo(schema, 'Candidate')) {
    const declared = access.get(coordinate);
    const via = path.length > 0 ? ` (via ${path.join(' → ')})` : '';
    for (const role of declared?.roles ?? []) {
      if (NO_PERSON_ROLES.has(role)) gaps.push(`${coordinate}: ${role} may reach Candidate${via}`);
      else if (SUBJECT_SCOPED_ROLES.has(role) && !declared?.subject)
        gaps.push(`${coordinate}: ${role} reaches Candidate${via} without @access(subject: …)`);
    }
  }
  return gaps;
}

/**
 * Fields denied to some pseudonymised role (PARTNER, ANALYST) but not to all of them, one line
 * each: those roles see the same pseudonymised person, with no name, free text or applications.
 */
export function pseudonymDenialGaps(denials: ReadonlyMap<string, readonly Access[]>): string[] {
  const gaps: string[] = [];
  for (const [coordinate, roles] of denials) {
    const denied = [...PSEUDONYMISED_ROLES].filter((r) => roles.includes(r));
    const open = [...PSEUDONYMISED_ROLES].filter((r) => !roles.includes(r));
    if (denied.length > 0 && open.length > 0)
      gaps.push(`${coordinate}: denied to ${denied.join(', ')} but not to ${open.join(', ')}`);
  }
  return gaps;
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
  const gaps = subjectAccessGaps(schema, access);
  if (gaps.length > 0) throw new Error(`Person fields without subject access: ${gaps.join('; ')}`);
  const pseudonymGaps = pseudonymDenialGaps(denials);
  if (pseudonymGaps.length > 0)
    throw new Error(`Pseudonymised roles see different person fields: ${pseudonymGaps.join('; ')}`);
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
  const subject = readSubject(values.subject, coordinate, args);
  const withSubject = subject ? { subject } : {};
  if (rule === undefined) {
    if (argument !== undefined) throw new Error(`@access on ${coordinate} names an argument but no rule`);
    return { roles, ...withSubject };
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
  return argument === undefined ? { roles, rule, ...withSubject } : { roles, rule, argument, ...withSubject };
}

function readSubject(value: unknown, coordinate: string, args: ReadonlySet<string>): RuleUse | undefined {
  if (value === undefined || value === null) return undefined;
  const { rule, argument } = value as { rule: AccessRuleName; argument: string };
  if (RULE_ARGUMENTS[rule] !== 'argument')
    throw new Error(`@access on ${coordinate}: subject rule ${rule} does not read one argument`);
  if (!args.has(argument))
    throw new Error(
      `@access on ${coordinate}: subject rule ${rule} reads ${argument}, which the field lacks`,
    );
  return { rule, argument };
}
