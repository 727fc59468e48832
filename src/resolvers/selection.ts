/**
 * What a connection field's selection asks for, so the graph layer reads no more than needed:
 * - `summary`: the nodes need only identity and English labels (uri, code, labels, links to other
 *   concepts), so the page statement projects 3–5 properties per concept instead of 14;
 * - `count`: `totalCount` or `pageInfo` is selected, so the total has to be counted.
 *
 * Conservative by construction: a field it does not know, a `lang` argument that is not the literal
 * `EN`, or a directive on a node field makes the answer "full detail"; fragments (named and inline)
 * are followed.
 */
import {
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import type { PageDetail, PagePrefetch } from '../graph/taxonomy/taxonomyRepository.js';

/** Node fields a summary projection serves: identity, English labels and relationship fields (which need only uri/code/iscoGroup). */
const SUMMARY_FIELDS = new Set([
  '__typename',
  'uri',
  'code',
  'preferredLabel',
  'altLabels',
  'iscoGroup',
  'broader',
  'narrower',
  'essentialSkills',
  'optionalSkills',
  'skillGroups',
  'relatedSkills',
  'requiredBy',
  'occupations',
]);
/** Label fields with a `lang` argument: summary only in English. */
const LANG_FIELDS = new Set(['preferredLabel', 'altLabels']);

type Fragments = GraphQLResolveInfo['fragments'];

/** The fields of a selection set with fragments expanded (directives are kept on the fields). */
function fieldsOf(
  set: SelectionSetNode | undefined,
  fragments: Fragments,
  out: FieldNode[] = [],
  depth = 0,
): FieldNode[] {
  if (!set || depth > 20) return out;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      fieldsOf(selection.selectionSet, fragments, out, depth + 1);
    else fieldsOf(fragments[selection.name.value]?.selectionSet, fragments, out, depth + 1);
  }
  return out;
}

function servedBySummary(field: FieldNode): boolean {
  if (!SUMMARY_FIELDS.has(field.name.value)) return false;
  if ((field.directives?.length ?? 0) > 0) return false;
  if (!LANG_FIELDS.has(field.name.value)) return true;
  const lang = field.arguments?.find((a) => a.name.value === 'lang');
  return lang === undefined || (lang.value.kind === Kind.ENUM && lang.value.value === 'EN');
}

/** The node fields (nodes / edges.node) under the given connection field nodes, and whether the total is asked. */
function nodeFieldsOf(
  connections: readonly FieldNode[],
  fragments: Fragments,
): { nodeFields: FieldNode[]; count: boolean } {
  const nodeFields: FieldNode[] = [];
  let count = false;
  for (const connection of connections) {
    for (const field of fieldsOf(connection.selectionSet, fragments)) {
      const name = field.name.value;
      if (name === 'totalCount' || name === 'pageInfo') count = true;
      else if (name === 'nodes') fieldsOf(field.selectionSet, fragments, nodeFields);
      else if (name === 'edges') {
        for (const edgeField of fieldsOf(field.selectionSet, fragments)) {
          if (edgeField.name.value === 'node') fieldsOf(edgeField.selectionSet, fragments, nodeFields);
        }
      }
    }
  }
  return { nodeFields, count };
}

/** Reads the selection of the connection field being resolved (`info` of its resolver). */
export function connectionSelection(info: GraphQLResolveInfo | undefined): PageDetail {
  if (!info) return { summary: false, count: true };
  const { nodeFields, count } = nodeFieldsOf(info.fieldNodes, info.fragments);
  return { summary: nodeFields.every(servedBySummary), count };
}

/**
 * Look-ahead for a list of occupations: the essential / optional skill pages its nodes select, so
 * the list statement can read them in the same round trip (the reader primes its page loader with
 * them). Only plain cases: one use of each field, no directives, `first` / `after` literals or
 * variables. Anything else is left to the field's own batched read.
 */
export function nestedSkillPages(info: GraphQLResolveInfo | undefined): PagePrefetch[] {
  if (!info) return [];
  const { nodeFields } = nodeFieldsOf(info.fieldNodes, info.fragments);
  const out: PagePrefetch[] = [];
  for (const [field, relation] of [
    ['essentialSkills', 'essential'],
    ['optionalSkills', 'optional'],
  ] as const) {
    const uses = nodeFields.filter((f) => f.name.value === field);
    const use = uses[0];
    if (!use || uses.length > 1 || (use.directives?.length ?? 0) > 0) continue;
    const arg = (name: string): unknown => {
      const node = use.arguments?.find((a) => a.name.value === name);
      return node ? valueFromASTUntyped(node.value, info.variableValues) : undefined;
    };
    const first = arg('first');
    const after = arg('after');
    if (
      (first !== undefined && first !== null && typeof first !== 'number') ||
      (after !== undefined && after !== null && typeof after !== 'string')
    )
      continue;
    const nested = nodeFieldsOf([use], info.fragments);
    out.push({
      relation,
      first: first ?? null,
      after: after ?? null,
      summary: nested.nodeFields.every(servedBySummary),
    });
  }
  return out;
}
