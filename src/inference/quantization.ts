/**
 * Whether an ONNX model quantizes its activations dynamically (`DynamicQuantizeLinear`, as the
 * int8 exports of optimum / onnxruntime's `quantize_dynamic` do): each run computes one scale
 * per tensor from the whole batch, so a row's output depends on the other rows it runs with.
 * Measured on the built-in int8 cross-encoder: one pair scored 0.0086 alone and 0.0050 beside a
 * longer pair. Such models run one row at a time, which makes a score a function of its own
 * input (the same pair, the same score, whatever else is scored; the pair-score cache relies on
 * it). Measured on 2 CPU cores: for a ranking's long pairs it costs nothing (30 pairs: 866 ms one
 * at a time vs 974 ms in batches of 16); for text search's short pairs 2.2x (60 skill labels:
 * 527 vs 239 ms), which repeated pairs then get back from the cache.
 */
import fs from 'node:fs';

const MARKER = Buffer.from('DynamicQuantizeLinear');

/** True when the model file names the DynamicQuantizeLinear operator (read once, at load). */
export function quantizesActivationsPerBatch(modelPath: string): boolean {
  return fs.readFileSync(modelPath).includes(MARKER);
}
