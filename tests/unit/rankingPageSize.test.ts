/** The page size of a ranking from `first` and its deprecated alias `k` (pure: a parsed field node). */
import assert from 'node:assert/strict';
import { parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { test } from 'vitest';
import { BadUserInputError } from '../../src/errors.js';
import { rankingPageSize } from '../../src/resolvers/Ranking.js';

function info(document: string, variableValues: Record<string, unknown> = {}) {
  const operation = parse(document).definitions[0] as OperationDefinitionNode;
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], variableValues };
}

test('first, its default, and k when only k is given', () => {
  assert.equal(rankingPageSize({ first: 7 }, info('{ r(first: 7) }')), 7);
  assert.equal(rankingPageSize({ first: 20 }, info('{ r }')), 20);
  assert.equal(rankingPageSize({ first: 20, k: 5 }, info('{ r(k: 5) }')), 5);
  // A variable the request left out is not "given": its default does not contradict k.
  assert.equal(rankingPageSize({ first: 20, k: 5 }, info('query($f: Int) { r(first: $f, k: 5) }')), 5);
  assert.equal(rankingPageSize({ first: 5, k: 5 }, info('{ r(first: 5, k: 5) }')), 5);
});

test('first and k given with different values is BAD_USER_INPUT on k', () => {
  for (const [args, doc, vars] of [
    [{ first: 6, k: 5 }, '{ r(first: 6, k: 5) }', {}],
    [{ first: 20, k: 5 }, 'query($f: Int) { r(first: $f, k: 5) }', { f: 20 }],
  ] as const) {
    assert.throws(
      () => rankingPageSize(args, info(doc, vars)),
      (error: unknown) => error instanceof BadUserInputError && error.details?.['argument'] === 'k',
    );
  }
});
