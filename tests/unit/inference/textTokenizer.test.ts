import assert from 'node:assert/strict';
import path from 'node:path';
import { beforeAll, describe, test } from 'vitest';
import {
  loadTextTokenizer,
  truncatePairLengths,
  type TextTokenizer,
} from '../../../src/inference/textTokenizer.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/inference/tokenizer.json');
// Fixture ids: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 python=5 developer=6 manage=12 a=13 team=11 of=14 nurse=9 ##s=10

describe('truncatePairLengths (Rust tokenizers LongestFirst)', () => {
  test('keeps a pair that fits', () => {
    assert.deepEqual(truncatePairLengths(3, 4, 7), [3, 4]);
  });
  test('cuts only the longer side when the shorter fits in half', () => {
    assert.deepEqual(truncatePairLengths(2, 10, 8), [2, 6]);
    assert.deepEqual(truncatePairLengths(10, 2, 8), [6, 2]);
  });
  test('halves both when both are long, the odd token to the longer side', () => {
    assert.deepEqual(truncatePairLengths(10, 20, 9), [4, 5]);
    assert.deepEqual(truncatePairLengths(20, 10, 9), [5, 4]);
    assert.deepEqual(truncatePairLengths(6, 6, 8), [4, 4]);
  });
  test('handles a side longer than the whole budget', () => {
    assert.deepEqual(truncatePairLengths(12, 15, 5), [2, 3]);
  });
});

describe('loadTextTokenizer', () => {
  let tokenizer: TextTokenizer;
  beforeAll(async () => {
    tokenizer = await loadTextTokenizer(FIXTURE);
  });

  test('adds [CLS] … [SEP] and lower-cases (BERT normaliser)', () => {
    assert.deepEqual(tokenizer.encode('Python DEVELOPER', 512), { ids: [2, 5, 6, 3], typeIds: [0, 0, 0, 0] });
  });

  test('maps unknown words to [UNK]', () => {
    assert.deepEqual(tokenizer.encode('zebra', 512).ids, [2, 1, 3]);
  });

  test('truncates content but keeps the closing [SEP]', () => {
    assert.deepEqual(tokenizer.encode('manage a team of nurses', 5).ids, [2, 12, 13, 11, 3]);
  });

  test('ignores the fixed padding in tokenizer.json', () => {
    assert.equal(tokenizer.encode('python', 512).ids.length, 3);
    assert.equal(tokenizer.padId, 0);
  });

  test('encodes a pair with segment ids, truncating longest-first', () => {
    // 2 + 6 content tokens, budget 9 - 3 special = 6: the query stays whole.
    assert.deepEqual(tokenizer.encodePair('python developer', 'manage a team of nurses', 9), {
      ids: [2, 5, 6, 3, 12, 13, 11, 14, 3],
      typeIds: [0, 0, 0, 0, 1, 1, 1, 1, 1],
    });
  });
});
