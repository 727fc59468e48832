/**
 * Static analysis of one GraphQL operation before it runs: depth, aliases, an estimated cost,
 * page sizes (`first` / `k`), the schema coordinates (`Type.field`) it selects, and whether it
 * introspects. Pure: the schema, the parsed document and the request's variables go in, figures
 * come out; `checkLimits` turns them into refusals with stable codes.
 *
 * Cost model (in the spirit of GitHub's and Shopify's): every field returning an object costs 1,
 * plus a base cost for expensive root fields; the cost of a field's selection is multiplied by
 * its page size (`first` / `k`, or the schema default) or, for a plain list, by `LIST_FACTOR`.
 * Lists directly under a paged field (`nodes`, `edges`, `items`) are the page itself and are not
 * multiplied again. Scalars are free.
 */
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationTypeNode,
  typeFromAST,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LimitError } from '../errors.js';

/** Assumed length of an unpaginated list (skills of a candidate, broader concepts, …). */
export const LIST_FACTOR = 10;
/** Introspection selections nest `ofType` deeply; they get this depth allowance instead. */
export const INTROSPECTION_MAX_DEPTH = 15;

/** Base cost of root fields that do more than read a few nodes. */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  'Query.rankCandidates': 100,
  'Query.rankVacancies': 100,
  'Query.extractSkills': 30,
  'Query.normalizeJobTitle': 20,
  'Query.similarOccupations': 20,
  'Query.similarSkills': 20,
  'Query.skillDemand': 20,
  'Query.occupationSkillProfile': 20,
  'Query.careerPaths': 20,
  'Query.skillGap': 10,
  'Query.threeWayGap': 10,
  'Query.search': 5,
  'Mutation.upsertCandidate': 10,
  'Mutation.upsertVacancy': 10,
  'Mutation.recordApplication': 5,
  'Mutation.updateApplicationStatus': 5,
  'Mutation.deleteCandidate': 5,
};

const PAGE_ARGUMENTS = ['first', 'k'] as const;

export interface PageSizeUse {
  readonly coordinate: string;
  readonly argument: string;
  readonly value: number;
}

export interface OperationAnalysis {
  readonly depth: number;
  readonly introspectionDepth: number;
  readonly aliases: number;
  readonly cost: number;
  /** The largest `first` / `k` asked for, if any. */
  readonly largestPage: PageSizeUse | undefined;
  /** Every `Type.field` selected (introspection fields excluded). */
  readonly coordinates: ReadonlySet<string>;
  readonly introspection: boolean;
}

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxPageSize: number;
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
  let aliases = 0;
  let introspection = false;
  let largestPage: PageSizeUse | undefined;
  let introspectionDepth = 0;

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
      largestPage: undefined,
      coordinates,
      introspection: false,
    };

  /** Fields of a selection set, fragments expanded (validation has ruled out cycles). */
  function fieldsOf(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    out: Array<{ node: FieldNode; parent: GraphQLCompositeType }>,
    seen: Set<string>,
  ): void {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) out.push({ node: sel, parent: type });
      else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? typeFromAST(schema, sel.typeCondition) : type;
        fieldsOf(sel.selectionSet, cond && isCompositeType(cond) ? cond : type, out, seen);
      } else {
        const frag = fragments.get(sel.name.value);
        if (!frag || seen.has(frag.name.value)) continue;
        const cond = typeFromAST(schema, frag.typeCondition);
        const next = new Set(seen).add(frag.name.value);
        fieldsOf(frag.selectionSet, cond && isCompositeType(cond) ? cond : type, out, next);
      }
    }
  }

  function fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
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

  /** Returns [cost, depth] of a selection set. */
  function walk(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    depth: number,
    inPage: boolean,
    inIntrospection: boolean,
    seen: Set<string>,
  ): [number, number] {
    const fields: Array<{ node: FieldNode; parent: GraphQLCompositeType }> = [];
    fieldsOf(set, type, fields, seen);
    let cost = 0;
    let maxDepth = depth - 1;
    for (const { node, parent } of fields) {
      const name = node.name.value;
      if (node.alias && node.alias.value !== name) aliases += 1;
      if (name === '__typename') continue;
      const introspective = inIntrospection || name === '__schema' || name === '__type';
      if (introspective) {
        introspection = true;
        introspectionDepth = Math.max(introspectionDepth, depth);
        if (node.selectionSet) {
          const named = getNamedType(
            name === '__schema'
              ? schema.getType('__Schema')
              : name === '__type'
                ? schema.getType('__Type')
                : fieldDef(parent, name)?.type,
          );
          if (named && isCompositeType(named)) walk(node.selectionSet, named, depth + 1, false, true, seen);
        }
        continue;
      }
      const def = fieldDef(parent, name);
      const coordinate = `${parent.name}.${name}`;
      coordinates.add(coordinate);
      maxDepth = Math.max(maxDepth, depth);
      if (!def || !node.selectionSet) continue;
      const named = getNamedType(def.type);
      if (!isCompositeType(named)) continue;
      const page = pageSize(def, node, coordinate);
      const isList = isListType(getNullableType(def.type));
      const multiplier = page ?? (isList && !inPage ? LIST_FACTOR : 1);
      const [childCost, childDepth] = walk(
        node.selectionSet,
        named,
        depth + 1,
        page !== undefined,
        false,
        seen,
      );
      cost += (FIELD_COSTS[coordinate] ?? 0) + 1 + multiplier * childCost;
      maxDepth = Math.max(maxDepth, childDepth);
    }
    return [cost, maxDepth];
  }

  const [cost, depth] = walk(operation.selectionSet, root, 1, false, false, new Set());
  return {
    depth: Math.max(0, depth),
    introspectionDepth,
    aliases,
    cost,
    largestPage,
    coordinates,
    introspection,
  };
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
