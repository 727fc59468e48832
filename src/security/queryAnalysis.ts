/**
 * Static analysis of one GraphQL operation before it runs: depth, aliases, an estimated cost,
 * page sizes (`first` / `k`), the schema coordinates (`Type.field`) it selects, and whether it
 * introspects, and the arguments outside their `@range`. Pure: the schema, the parsed document and
 * the request's variables go in, figures come out; `checkLimits` and `checkArguments` turn them
 * into refusals with stable codes.
 *
 * Cost model (in the spirit of GitHub's and Shopify's): every field returning an object costs 1,
 * plus its `@cost(weight)` from the schema (expensive root fields); the cost of a field's selection is multiplied by
 * its page size (`first` / `k`, or the schema default) or, for a plain list, by `LIST_FACTOR`.
 * Lists directly under a paged field (`nodes`, `edges`, `items`) are the page itself and are not
 * multiplied again. Scalars are free.
 *
 * The work is linear in the document: each fragment is analysed once per context and its figures
 * are reused at every spread (a chain of fragments each spreading the previous one twice expands
 * to 2^n copies; it is counted, never expanded). Figures saturate at `SATURATED` instead of
 * overflowing. `fragmentSpreads` counts the spreads and inline fragments of the expanded
 * operation (what a naive expansion would visit) and is capped; a fragment cycle (which validation
 * already rejects) counts as an infinite expansion.
 */
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  isInputObjectType,
  Kind,
  OperationTypeNode,
  typeFromAST,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type NamedTypeNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { invalidArgument, rangeRule, type Bounds } from '../domain/validation.js';
import { LimitError } from '../errors.js';
import { fieldRulesOf } from './fieldRules.js';

/** Assumed length of an unpaginated list (skills of a candidate, broader concepts, …). */
export const LIST_FACTOR = 10;
/** Introspection selections nest `ofType` deeply; they get this depth allowance instead. */
export const INTROSPECTION_MAX_DEPTH = 15;

/** Spreads and inline fragments an operation may expand to (a standard introspection query: ~10). */
export const MAX_FRAGMENT_SPREADS = 1000;
/** Where figures stop growing: far above every limit, and still an exact integer. */
export const SATURATED = Number.MAX_SAFE_INTEGER;

const PAGE_ARGUMENTS = ['first', 'k'] as const;

function within(value: number, { min, max, integer = true }: Bounds): boolean {
  return (
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max)
  );
}

const add = (a: number, b: number): number => Math.min(SATURATED, a + b);
const mul = (a: number, b: number): number => Math.min(SATURATED, a * b);

/** Figures of one selection set; depths are relative (its own fields at 1, 0: none). */
interface SetFigures {
  readonly cost: number;
  readonly depth: number;
  readonly introspectionDepth: number;
  readonly aliases: number;
  readonly fragmentSpreads: number;
}

const EMPTY: SetFigures = { cost: 0, depth: 0, introspectionDepth: 0, aliases: 0, fragmentSpreads: 0 };

export interface PageSizeUse {
  readonly coordinate: string;
  readonly argument: string;
  readonly value: number;
}

/** An argument (or input field, as a path like `options.retrieveN`) outside its `@range`. */
export interface ArgumentViolation {
  readonly coordinate: string;
  readonly argument: string;
  readonly value: unknown;
  readonly bounds: Bounds;
}

export interface OperationAnalysis {
  readonly depth: number;
  readonly introspectionDepth: number;
  readonly aliases: number;
  readonly cost: number;
  /** Fragment spreads and inline fragments of the operation once expanded (saturating). */
  readonly fragmentSpreads: number;
  /** Selections the analysis visited: its work, linear in the document. */
  readonly visited: number;
  /** The largest `first` / `k` asked for, if any. */
  readonly largestPage: PageSizeUse | undefined;
  /** Every `Type.field` selected (introspection fields excluded). */
  readonly coordinates: ReadonlySet<string>;
  readonly introspection: boolean;
  /** Arguments outside their `@range` (explicit nulls of defaulted arguments included). */
  readonly argumentViolations: readonly ArgumentViolation[];
}

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxPageSize: number;
  /** Default `MAX_FRAGMENT_SPREADS`. */
  readonly maxFragmentSpreads?: number;
}

export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): OperationAnalysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const coordinates = new Set<string>();
  let introspection = false;
  let largestPage: PageSizeUse | undefined;
  let visited = 0;
  const rules = fieldRulesOf(schema);
  const argumentViolations: ArgumentViolation[] = [];

  const root =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root)
    return {
      depth: 0,
      introspectionDepth: 0,
      aliases: 0,
      cost: 0,
      fragmentSpreads: 0,
      visited: 0,
      largestPage: undefined,
      coordinates,
      introspection: false,
      argumentViolations,
    };

  function fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }

  function compositeOr(
    node: NamedTypeNode | undefined,
    fallback: GraphQLCompositeType,
  ): GraphQLCompositeType {
    const type = node ? typeFromAST(schema, node) : fallback;
    return type && isCompositeType(type) ? type : fallback;
  }

  function pageSize(
    def: GraphQLField<unknown, unknown>,
    node: FieldNode,
    coordinate: string,
  ): number | undefined {
    for (const name of PAGE_ARGUMENTS) {
      const argDef = def.args.find((a) => a.name === name);
      if (!argDef) continue;
      const argNode = node.arguments?.find((a) => a.name.value === name);
      const raw = argNode ? valueFromAST(argNode.value, argDef.type, variables) : argDef.defaultValue;
      const value =
        typeof raw === 'number' && Number.isFinite(raw)
          ? raw
          : typeof argDef.defaultValue === 'number'
            ? argDef.defaultValue
            : undefined;
      if (value === undefined) continue;
      if (!largestPage || value > largestPage.value) largestPage = { coordinate, argument: name, value };
      return Math.max(0, value);
    }
    return undefined;
  }

  /** Records values outside `@range` in an input value (objects and lists walked by type). */
  function checkInput(value: unknown, type: GraphQLInputType, path: string, coordinate: string): void {
    if (value === null || value === undefined) return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (Array.isArray(value))
        value.forEach((item, i) => checkInput(item, nullable.ofType, `${path}[${i}]`, coordinate));
      else checkInput(value, nullable.ofType, path, coordinate);
      return;
    }
    if (!isInputObjectType(nullable) || typeof value !== 'object') return;
    const ranges = rules.inputRanges.get(nullable.name);
    for (const field of Object.values(nullable.getFields())) {
      const v = (value as Record<string, unknown>)[field.name];
      const bounds = ranges?.get(field.name);
      const at = `${path}.${field.name}`;
      if (bounds && typeof v === 'number' && !within(v, bounds))
        argumentViolations.push({ coordinate, argument: at, value: v, bounds });
      else checkInput(v, field.type, at, coordinate);
    }
  }

  function checkArgs(def: GraphQLField<unknown, unknown>, node: FieldNode, coordinate: string): void {
    if (!node.arguments?.length) return;
    const ranges = rules.argumentRanges.get(coordinate);
    for (const argNode of node.arguments) {
      const argDef = def.args.find((a) => a.name === argNode.name.value);
      if (!argDef) continue;
      const bounds = ranges?.get(argDef.name);
      const named = getNamedType(argDef.type);
      if (!bounds && !isInputObjectType(named)) continue;
      const value = valueFromAST(argNode.value, argDef.type, variables);
      if (bounds) {
        const refused =
          (value === null && argDef.defaultValue !== undefined) ||
          (typeof value === 'number' && !within(value, bounds));
        if (refused) argumentViolations.push({ coordinate, argument: argDef.name, value, bounds });
      } else checkInput(value, argDef.type, argDef.name, coordinate);
    }
  }

  /**
   * Each fragment is analysed once per context it can be spread in (inside a page or not, inside
   * introspection or not, on which type): its figures do not depend on where it is spread
   * otherwise, because a set's cost is a sum that the enclosing field multiplies and its depths
   * are relative. A spread then costs one lookup, so the work is linear in the document however
   * often a fragment is (transitively) spread.
   */
  const memo = new Map<string, SetFigures>();
  /** Fragments being analysed: a spread of one of them is a cycle (an infinite expansion). */
  const inProgress = new Set<string>();

  function spreadFigures(
    name: string,
    type: GraphQLCompositeType,
    inPage: boolean,
    inIntrospection: boolean,
  ): SetFigures | undefined {
    const frag = fragments.get(name);
    if (!frag) return undefined;
    const cond = compositeOr(frag.typeCondition, type);
    const key = `${name}\u0000${cond.name}\u0000${inPage}\u0000${inIntrospection}`;
    const known = memo.get(key);
    if (known) return known;
    if (inProgress.has(key)) return { ...EMPTY, fragmentSpreads: SATURATED };
    inProgress.add(key);
    const figures = walk(frag.selectionSet, cond, inPage, inIntrospection);
    inProgress.delete(key);
    memo.set(key, figures);
    return figures;
  }

  /** Figures of a selection set whose fields sit at relative depth 1. */
  function walk(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    inPage: boolean,
    inIntrospection: boolean,
  ): SetFigures {
    let cost = 0;
    let depth = 0;
    let introspectionDepth = 0;
    let aliases = 0;
    let fragmentSpreads = 0;
    const merge = (inner: SetFigures) => {
      cost = add(cost, inner.cost);
      depth = Math.max(depth, inner.depth);
      introspectionDepth = Math.max(introspectionDepth, inner.introspectionDepth);
      aliases = add(aliases, inner.aliases);
      fragmentSpreads = add(fragmentSpreads, inner.fragmentSpreads);
    };
    for (const sel of set.selections) {
      visited += 1;
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        fragmentSpreads = add(fragmentSpreads, 1);
        merge(walk(sel.selectionSet, compositeOr(sel.typeCondition, type), inPage, inIntrospection));
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        fragmentSpreads = add(fragmentSpreads, 1);
        const inner = spreadFigures(sel.name.value, type, inPage, inIntrospection);
        if (inner) merge(inner);
        continue;
      }
      const name = sel.name.value;
      if (sel.alias && sel.alias.value !== name) aliases = add(aliases, 1);
      if (name === '__typename') continue;
      const introspective = inIntrospection || name === '__schema' || name === '__type';
      if (introspective) {
        introspection = true;
        introspectionDepth = Math.max(introspectionDepth, 1);
        if (sel.selectionSet) {
          const named = getNamedType(
            name === '__schema'
              ? schema.getType('__Schema')
              : name === '__type'
                ? schema.getType('__Type')
                : fieldDef(type, name)?.type,
          );
          if (named && isCompositeType(named)) {
            const inner = walk(sel.selectionSet, named, false, true);
            if (inner.introspectionDepth > 0)
              introspectionDepth = Math.max(introspectionDepth, 1 + inner.introspectionDepth);
            aliases = add(aliases, inner.aliases);
            fragmentSpreads = add(fragmentSpreads, inner.fragmentSpreads);
          }
        }
        continue;
      }
      const def = fieldDef(type, name);
      const coordinate = `${type.name}.${name}`;
      coordinates.add(coordinate);
      depth = Math.max(depth, 1);
      if (def) checkArgs(def, sel, coordinate);
      if (!def || !sel.selectionSet) continue;
      const named = getNamedType(def.type);
      if (!isCompositeType(named)) continue;
      const page = pageSize(def, sel, coordinate);
      const isList = isListType(getNullableType(def.type));
      const multiplier = page ?? (isList && !inPage ? LIST_FACTOR : 1);
      const inner = walk(sel.selectionSet, named, page !== undefined, false);
      cost = add(cost, add((rules.costs.get(coordinate) ?? 0) + 1, mul(multiplier, inner.cost)));
      if (inner.depth > 0) depth = Math.max(depth, 1 + inner.depth);
      if (inner.introspectionDepth > 0)
        introspectionDepth = Math.max(introspectionDepth, 1 + inner.introspectionDepth);
      aliases = add(aliases, inner.aliases);
      fragmentSpreads = add(fragmentSpreads, inner.fragmentSpreads);
    }
    return { cost, depth, introspectionDepth, aliases, fragmentSpreads };
  }

  const figures = walk(operation.selectionSet, root, false, false);
  return { ...figures, visited, largestPage, coordinates, introspection, argumentViolations };
}

/** Refuses an operation over a limit; the error names the limit, its setting and both figures. */
export function checkLimits(analysis: OperationAnalysis, limits: QueryLimits): void {
  if (analysis.depth > limits.maxDepth) {
    throw new LimitError(
      'QUERY_TOO_DEEP',
      `Query depth ${analysis.depth} exceeds the limit of ${limits.maxDepth}`,
      {
        limit: 'maxDepth',
        setting: 'MAX_QUERY_DEPTH',
        max: limits.maxDepth,
        actual: analysis.depth,
      },
    );
  }
  if (analysis.introspectionDepth > INTROSPECTION_MAX_DEPTH) {
    throw new LimitError(
      'QUERY_TOO_DEEP',
      `Introspection depth ${analysis.introspectionDepth} exceeds the limit of ${INTROSPECTION_MAX_DEPTH}`,
      {
        limit: 'maxIntrospectionDepth',
        max: INTROSPECTION_MAX_DEPTH,
        actual: analysis.introspectionDepth,
      },
    );
  }
  if (analysis.aliases > limits.maxAliases) {
    throw new LimitError(
      'TOO_MANY_ALIASES',
      `The query uses ${analysis.aliases} aliases; at most ${limits.maxAliases} are allowed`,
      {
        limit: 'maxAliases',
        setting: 'MAX_ALIASES',
        max: limits.maxAliases,
        actual: analysis.aliases,
      },
    );
  }
  const page = analysis.largestPage;
  if (page && page.value > limits.maxPageSize) {
    throw new LimitError(
      'PAGE_SIZE_TOO_LARGE',
      `${page.coordinate}(${page.argument}: ${page.value}) exceeds the largest page size of ${limits.maxPageSize}`,
      {
        limit: 'maxPageSize',
        setting: 'MAX_PAGE_SIZE',
        max: limits.maxPageSize,
        actual: page.value,
      },
    );
  }
  const maxSpreads = limits.maxFragmentSpreads ?? MAX_FRAGMENT_SPREADS;
  if (analysis.fragmentSpreads > maxSpreads) {
    throw new LimitError(
      'QUERY_TOO_COMPLEX',
      `The query expands to ${analysis.fragmentSpreads} fragment spreads and inline fragments; at most ${maxSpreads} are allowed`,
      { limit: 'maxFragmentSpreads', max: maxSpreads, actual: analysis.fragmentSpreads },
    );
  }
  if (analysis.cost > limits.maxCost) {
    throw new LimitError(
      'QUERY_TOO_COMPLEX',
      `Estimated query cost ${analysis.cost} exceeds the limit of ${limits.maxCost}`,
      {
        limit: 'maxCost',
        setting: 'MAX_QUERY_COST',
        max: limits.maxCost,
        actual: analysis.cost,
      },
    );
  }
}

/** Refuses an operation with an argument outside its `@range`: BAD_USER_INPUT naming the first. */
export function checkArguments(analysis: OperationAnalysis): void {
  const [first] = analysis.argumentViolations;
  if (!first) return;
  const { min, max } = first.bounds;
  throw invalidArgument(first.argument, rangeRule(first.bounds), first.value, {
    field: first.coordinate,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
  });
}
