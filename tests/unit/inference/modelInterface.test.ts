import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { ModelUnavailableError } from '../../../src/errors.js';
import { checkModelInterface } from '../../../src/inference/modelInterface.js';
import type { ValueInfo } from '../../../src/inference/sessionProtocol.js';

const tensor = (name: string, type: string, shape: Array<number | string>): ValueInfo => ({
  name,
  type,
  shape,
});
const BERT_INPUTS = [
  tensor('input_ids', 'int64', ['batch', 'seq']),
  tensor('attention_mask', 'int64', ['batch', 'seq']),
  tensor('token_type_ids', 'int64', ['batch', 'seq']),
];
const HIDDEN = tensor('last_hidden_state', 'float32', ['batch', 'seq', 384]);

describe('checkModelInterface', () => {
  test('accepts a BERT encoder and finds its token output', () => {
    assert.deepEqual(checkModelInterface('m.onnx', 'embedding', BERT_INPUTS, [HIDDEN], null), {
      outputName: 'last_hidden_state',
      usesTokenTypes: true,
    });
  });

  test('uses the named output among several', () => {
    const outputs = [tensor('output_0', 'float32', ['b', 's', 384]), tensor('882', 'float32', ['b', 384])];
    assert.equal(
      checkModelInterface('m.onnx', 'embedding', BERT_INPUTS, outputs, 'output_0').outputName,
      'output_0',
    );
  });

  test('works without token_type_ids (e.g. DistilBERT, XLM-R)', () => {
    const inputs = BERT_INPUTS.slice(0, 2);
    assert.equal(checkModelInterface('m.onnx', 'embedding', inputs, [HIDDEN], null).usesTokenTypes, false);
  });

  test('accepts a cross-encoder with one logit per pair', () => {
    const logits = tensor('logits', 'float32', ['batch', 1]);
    assert.equal(checkModelInterface('r.onnx', 'reranker', BERT_INPUTS, [logits], null).outputName, 'logits');
  });

  const rejects: Array<[string, () => unknown, RegExp]> = [
    [
      'a missing input',
      () => checkModelInterface('/m/x.onnx', 'embedding', BERT_INPUTS.slice(1), [HIDDEN], null),
      /missing input input_ids/,
    ],
    [
      'an unknown input',
      () =>
        checkModelInterface(
          '/m/x.onnx',
          'embedding',
          [...BERT_INPUTS, tensor('pixel_values', 'float32', [])],
          [HIDDEN],
          null,
        ),
      /unexpected input pixel_values/,
    ],
    [
      'int32 ids',
      () =>
        checkModelInterface(
          '/m/x.onnx',
          'embedding',
          [tensor('input_ids', 'int32', []), BERT_INPUTS[1]!],
          [HIDDEN],
          null,
        ),
      /int32, expected int64/,
    ],
    [
      'a wrong output name',
      () => checkModelInterface('/m/x.onnx', 'embedding', BERT_INPUTS, [HIDDEN], 'sentence_embedding'),
      /no output named sentence_embedding/,
    ],
    [
      'an already pooled output',
      () =>
        checkModelInterface(
          '/m/x.onnx',
          'embedding',
          BERT_INPUTS,
          [tensor('pooled', 'float32', ['b', 384])],
          null,
        ),
      /rank 2, expected token embeddings/,
    ],
    [
      'a two-class cross-encoder',
      () =>
        checkModelInterface(
          '/m/x.onnx',
          'reranker',
          BERT_INPUTS,
          [tensor('logits', 'float32', ['b', 2])],
          null,
        ),
      /expected one logit/,
    ],
    [
      'an embedder used as reranker',
      () => checkModelInterface('/m/x.onnx', 'reranker', BERT_INPUTS, [HIDDEN], null),
      /expected one logit/,
    ],
    [
      'ambiguous outputs',
      () =>
        checkModelInterface(
          '/m/x.onnx',
          'embedding',
          BERT_INPUTS,
          [tensor('a', 'float32', []), tensor('b', 'float32', [])],
          null,
        ),
      /outputName/,
    ],
  ];
  for (const [what, check, message] of rejects) {
    test(`rejects ${what}, naming the file`, () => {
      assert.throws(check, (error: unknown) => {
        assert.ok(error instanceof ModelUnavailableError);
        assert.match(error.message, message);
        assert.match(error.message, /\/m\/x\.onnx/);
        return true;
      });
    });
  }
});
