/**
 * Static analysis of one GraphQL operation before it runs: depth, aliases, an estimated cost,
 * page sizes (`first` / `k`), the schema coordinates (`Type.field`) it selects, and whether it
 * introspects, and the arguments outside their `@range`, in all and for each root field (by
 * response key, `rootFields`). Pure: the schema, the parsed document and the request's variables
 * go in, figures come out; `checkLimits` turns them into refusals of the whole request with stable
 * codes, `argumentError` into the field error of one root field (`fieldRefusals.ts`).
 *
 * A page argument (`first` / `k`) is bounded by its `@range` and by `maxPageSize` (MAX_PAGE_SIZE),
 * whichever is smaller: a larger value is an argument violation, and the cost estimate counts the
 * page at that bound, so a huge value can neither overflow the estimate nor make it refuse the
 * whole request; the field itself is refused before it runs.
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
import { LimitError, type BadUserInputError } from '../errors.js';
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
  /** The setting that lowered the bound (`MAX_PAGE_SIZE` for a page size), if any. */
  readonly setting?: string;
}

/** What one root field of the operation (one response key) selects. */
export interface RootFieldUse {
  /** `Query.x` / `Mutation.x`. */
  readonly coordinate: string;
  /** Every `Type.field` in its selection, its own coordinate included. */
  readonly coordinates: ReadonlySet<string>;
  /** The first argument outside its bounds in its selection, its own arguments first. */
  readonly violation?: ArgumentViolation | undefined;
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
  /** Each root field by response key (alias or name). */
  readonly rootFields: ReadonlyMap<string, RootFieldUse>;
}

export interface AnalysisOptions {
  /** Upper bound of every page argument on top of its `@range` (MAX_PAGE_SIZE). */
  readonly maxPageSize?: number;
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
  options: AnalysisOptions = {},
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
  const rootFields = new Map<
    string,
    { coordinate: string; coordinates: Set<string>; violation?: ArgumentViolation }
  >();
  /** What the root field or fragment being walked reaches (fragments: merged where spread). */
  interface Reach {
    readonly coordinates: Set<string>;
    violation?: ArgumentViolation | undefined;
  }
  let reach: Reach | undefined;
  const reachOf = new Map<string, Reach>();
  /** True while walking the root selection set (and fragments spread there). */
  let atRoot = true;
  const mergeReach = (from: Reach): void => {
    if (!reach) return;
    for (const c of from.coordinates) reach.coordinates.add(c);
    reach.violation ??= from.violation;
  };
  const recordViolation = (v: ArgumentViolation): void => {
    argumentViolations.push(v);
    if (reach) reach.violation ??= v;
  };
  const { maxPageSize } = options;
  /** Bounds of an argument, a page argument's lowered to `maxPageSize`. */
  function boundsOf(name: string, declared: Bounds | undefined): { bounds?: Bounds; setting?: string } {
    if (maxPageSize === undefined || !(PAGE_ARGUMENTS as readonly string[]).includes(name))
      return declared ? { bounds: declared } : {};
    if (declared?.max !== undefined && declared.max <= maxPageSize) return { bounds: declared };
    return { bounds: { ...declared, max: maxPageSize }, setting: 'MAX_PAGE_SIZE' };
  }

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
      rootFields,
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

  /** The page size for the cost estimate: clamped to the argument's bounds (see the header). */
  function pageSize(
    def: GraphQLField<unknown, unknown>,
    node: FieldNode,
    coordinate: string,
  ): number | undefined {
    // An argument the document gives first (a deprecated alias such as `k` given beside a
    // defaulted `first` is the page size the resolver uses), then the schema defaults.
    const given = (name: string) =>
      node.arguments?.some(
        (a) =>
          a.name.value === name &&
          (a.value.kind !== Kind.VARIABLE || Object.hasOwn(variables, a.value.name.value)),
      ) ?? false;
    const order = [...PAGE_ARGUMENTS].sort((a, b) => Number(given(b)) - Number(given(a)));
    for (const name of order) {
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
      const max = boundsOf(name, rules.argumentRanges.get(coordinate)?.get(name)).bounds?.max;
      return Math.max(0, max === undefined ? value : Math.min(value, max));
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
        recordViolation({ coordinate, argument: at, value: v, bounds });
      else checkInput(v, field.type, at, coordinate);
    }
  }

  function checkArgs(def: GraphQLField<unknown, unknown>, node: FieldNode, coordinate: string): void {
    if (!node.arguments?.length) return;
    const ranges = rules.argumentRanges.get(coordinate);
    for (const argNode of node.arguments) {
      const argDef = def.args.find((a) => a.name === argNode.name.value);
      if (!argDef) continue;
      const { bounds, setting } = boundsOf(argDef.name, ranges?.get(argDef.name));
      const named = getNamedType(argDef.type);
      if (!bounds && !isInputObjectType(named)) continue;
      const value = valueFromAST(argNode.value, argDef.type, variables);
      if (bounds) {
        const refused =
          (value === null && argDef.defaultValue !== undefined) ||
          (typeof value === 'number' && !within(value, bounds));
        if (refused)
          recordViolation({
            coordinate,
            argument: argDef.name,
            value,
            bounds,
            ...(setting ? { setting } : {}),
          });
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
    const key = `${name}\u0000${cond.name}\u0000${inPage}\u0000${inIntrospection}\u0000${atRoot}`;
    const known = memo.get(key);
    if (known) {
      const reached = reachOf.get(key);
      if (reached) mergeReach(reached);
      return known;
    }
    if (inProgress.has(key)) return { ...EMPTY, fragmentSpreads: SATURATED };
    inProgress.add(key);
    const outer = reach;
    const own: Reach = { coordinates: new Set() };
    reach = own;
    const figures = walk(frag.selectionSet, cond, inPage, inIntrospection);
    reach = outer;
    mergeReach(own);
    inProgress.delete(key);
    memo.set(key, figures);
    reachOf.set(key, own);
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
      const rootField = atRoot;
      const outer = reach;
      if (rootField) {
        const responseKey = sel.alias?.value ?? name;
        let use = rootFields.get(responseKey);
        if (!use) {
          use = { coordinate, coordinates: new Set() };
          rootFields.set(responseKey, use);
        }
        reach = use;
      }
      reach?.coordinates.add(coordinate);
      depth = Math.max(depth, 1);
      if (def) checkArgs(def, sel, coordinate);
      const named = def && sel.selectionSet ? getNamedType(def.type) : undefined;
      if (!def || !sel.selectionSet || !named || !isCompositeType(named)) {
        reach = outer;
        continue;
      }
      const page = pageSize(def, sel, coordinate);
      const isList = isListType(getNullableType(def.type));
      const multiplier = page ?? (isList && !inPage ? LIST_FACTOR : 1);
      atRoot = false;
      const inner = walk(sel.selectionSet, named, page !== undefined, false);
      atRoot = rootField;
      reach = outer;
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
  return { ...figures, visited, largestPage, coordinates, introspection, argumentViolations, rootFields };
}

/**
 * Refuses a whole operation over a limit (depth, aliases, fragment spreads, cost); the error names
 * the limit, its setting and both figures. Page sizes are argument bounds (`argumentError`).
 */
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

/**
 * The error of an argument outside its bounds: BAD_USER_INPUT with `details` `{ field, argument,
 * min?, max?, actual, setting? }` (`actual` null for an explicit null).
 */
export function argumentError(violation: ArgumentViolation): BadUserInputError {
  const { min, max } = violation.bounds;
  return invalidArgument(violation.argument, rangeRule(violation.bounds), violation.value, {
    field: violation.coordinate,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    actual: typeof violation.value === 'number' ? violation.value : null,
    ...(violation.setting ? { setting: violation.setting } : {}),
  });
}

/** Throws the error of the operation's first argument violation, if any (`argumentError`). */
export function checkArguments(analysis: OperationAnalysis): void {
  const [first] = analysis.argumentViolations;
  if (first) throw argumentError(first);
}
