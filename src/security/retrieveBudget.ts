/**
 * The static half of a request's retrieve budget (MAX_REQUEST_RETRIEVE): before an operation
 * runs, the items its rankings would retrieve are summed from the document and its variables,
 * so a request of many aliased rankings with a large `retrieveN` is refused with
 * QUERY_TOO_COMPLEX before any work starts. Each `rankCandidates` / `rankVacancies` retrieves
 * `retrieveN` (default 500) from each of its two first-stage sources (vector index, graph
 * recall). What the document cannot tell (region filters over-fetch, several operations of a
 * batch together) is bounded while the request runs by the gateway, which charges every
 * retrieval's size to the request (`Neo4jGateway`, `requestScope.ts`).
 *
 * Only root fields rank, so only the root selection set (with its fragments, each summed once)
 * is read; identical response keys merge into one execution and count once.
 */
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { LimitError } from '../errors.js';

/** The fields that retrieve, and `retrieveN`'s default when a request leaves it out (as RankingService). */
const RANKING_FIELDS = new Set(['rankCandidates', 'rankVacancies']);
const DEFAULT_RETRIEVE_N = 500;
/** First-stage sources each ranking retrieves `retrieveN` items from. */
const SOURCES = 2;

/** Items the operation's rankings retrieve in all, by the document and its variables. */
export function staticRetrieve(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const byKey = new Map<string, number>();
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!RANKING_FIELDS.has(selection.name.value)) continue;
        const key = selection.alias?.value ?? selection.name.value;
        const options = selection.arguments?.find((a) => a.name.value === 'options')?.value;
        const items = SOURCES * retrieveNOf(options, variables);
        byKey.set(key, Math.max(byKey.get(key) ?? 0, items));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Each fragment's root fields once: repeats would only repeat response keys.
        if (fragment && !seen.has(name)) {
          seen.add(name);
          walk(fragment.selectionSet);
        }
      }
    }
  };
  walk(operation.selectionSet);
  let total = 0;
  for (const items of byKey.values()) total += items;
  return total;
}

function retrieveNOf(options: ValueNode | undefined, variables: Readonly<Record<string, unknown>>): number {
  if (options === undefined) return DEFAULT_RETRIEVE_N;
  if (options.kind === Kind.VARIABLE) {
    const value = variables[options.name.value] as { retrieveN?: unknown } | null | undefined;
    return numberOr(value?.retrieveN);
  }
  if (options.kind !== Kind.OBJECT) return DEFAULT_RETRIEVE_N;
  const field = options.fields.find((f) => f.name.value === 'retrieveN')?.value;
  if (field === undefined) return DEFAULT_RETRIEVE_N;
  if (field.kind === Kind.INT) return numberOr(Number(field.value));
  if (field.kind === Kind.VARIABLE) return numberOr(variables[field.name.value]);
  return DEFAULT_RETRIEVE_N;
}

function numberOr(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_RETRIEVE_N;
}

/** QUERY_TOO_COMPLEX when the operation's rankings would retrieve more than `max` items. */
export function checkRetrieveBudget(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  max: number | undefined,
): void {
  if (max === undefined) return;
  const total = staticRetrieve(document, operation, variables);
  if (total <= max) return;
  throw new LimitError(
    'QUERY_TOO_COMPLEX',
    `The request's rankings would retrieve ${total} items (retrieveN from each of two sources, summed over aliases); at most ${max} per request`,
    { limit: 'maxRequestRetrieve', setting: 'MAX_REQUEST_RETRIEVE', max, actual: total },
  );
}
