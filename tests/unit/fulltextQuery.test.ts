import assert from 'node:assert/strict';
import { test } from 'vitest';
import { BadUserInputError } from '../../src/errors.js';
import { escapeLucene, toFulltextQuery } from '../../src/graph/fulltextQuery.js';

test('Lucene syntax in user text is escaped', () => {
  assert.equal(escapeLucene('C++'), 'C\\+\\+');
  assert.equal(escapeLucene('title:x'), 'title\\:x');
  assert.equal(escapeLucene('(a)'), '\\(a\\)');
  assert.equal(escapeLucene('AND'), 'and');
});

test('a query favours the phrase, then all words, then any word, with a prefix on the last word', () => {
  assert.equal(
    toFulltextQuery('data scien'),
    '"data scien"^4 OR (data AND scien)^2 OR data OR scien OR scien*',
  );
  assert.equal(toFulltextQuery('C++'), '"C\\+\\+"^4 OR C\\+\\+');
});

test('empty, blank and oversized text is refused', () => {
  for (const text of ['', '   ', 'x'.repeat(201)]) {
    assert.throws(() => toFulltextQuery(text), BadUserInputError);
  }
});
