import assert from 'node:assert/strict';
import { test } from 'vitest';
import { Bm25Index, tokenize } from '../../src/eval/bm25.js';

test('tokenize: lower case, stopwords out, plural s stripped', () => {
  assert.deepEqual(tokenize('The Nurses and a Python developer, 3 years!'), [
    'nurse',
    'python',
    'developer',
    '3',
    'year',
  ]);
  assert.deepEqual(tokenize('class business'), ['class', 'business']);
});

test('BM25 matches a hand-computed score (k1 = 1.2, b = 0.75)', () => {
  const index = new Bm25Index([
    { id: 'a', text: 'python python sql' },
    { id: 'b', text: 'sql' },
    { id: 'c', text: 'nursing care' },
  ]);
  // N = 3, df(python) = 1 → idf = ln(1 + 2.5 / 1.5); |a| = 3, avgdl = 2, tf = 2.
  const idfPython = Math.log(1 + 2.5 / 1.5);
  const idfSql = Math.log(1 + 1.5 / 2.5);
  const normA = 1 - 0.75 + (0.75 * 3) / 2;
  const expectedA = (idfPython * 2 * 2.2) / (2 + 1.2 * normA) + (idfSql * 1 * 2.2) / (1 + 1.2 * normA);
  const normB = 1 - 0.75 + (0.75 * 1) / 2;
  const expectedB = (idfSql * 2.2) / (1 + 1.2 * normB);
  const hits = index.search('python sql developer', 10);
  assert.deepEqual(
    hits.map((h) => h.id),
    ['a', 'b'],
  );
  assert.ok(Math.abs(hits[0]!.score - expectedA) < 1e-12);
  assert.ok(Math.abs(hits[1]!.score - expectedB) < 1e-12);
  assert.equal(index.search('python', 1).length, 1);
  assert.deepEqual(index.search('unrelated words', 5), []);
});
