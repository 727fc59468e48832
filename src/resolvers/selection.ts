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
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { PageDetail } from '../graph/taxonomy/taxonomyRepository.js';

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
function fieldsOf(set: SelectionSetNode | undefined, fragments: Fragments, out: FieldNode[] = [], depth = 0): FieldNode[] {
  if (!set || depth > 20) return out;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fieldsOf(selection.selectionSet, fragments, out, depth + 1);
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

/** Reads the selection of the connection field being resolved (`info` of its resolver). */
export function connectionSelection(info: GraphQLResolveInfo | undefined): PageDetail {
  if (!info) return { summary: false, count: true };
  const nodeFields: FieldNode[] = [];
  let count = false;
  for (const connection of info.fieldNodes) {
    for (const field of fieldsOf(connection.selectionSet, info.fragments)) {
      const name = field.name.value;
      if (name === 'totalCount' || name === 'pageInfo') count = true;
      else if (name === 'nodes') fieldsOf(field.selectionSet, info.fragments, nodeFields);
      else if (name === 'edges') {
        for (const edgeField of fieldsOf(field.selectionSet, info.fragments)) {
          if (edgeField.name.value === 'node') fieldsOf(edgeField.selectionSet, info.fragments, nodeFields);
        }
      }
    }
  }
  return { summary: nodeFields.every(servedBySummary), count };
}
