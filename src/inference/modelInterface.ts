/**
 * Checks, at load, that an ONNX file has the inputs and output this code feeds
 * and reads, so a wrong file fails at start-up with its name in the message
 * instead of on the first request.
 */
import { ModelUnavailableError } from '../errors.js';
import type { ValueInfo } from './sessionProtocol.js';

const REQUIRED_INPUTS = ['input_ids', 'attention_mask'] as const;
const OPTIONAL_INPUTS = ['token_type_ids'] as const;

/** Outputs tried, in order, when a model folder does not name one. */
const PREFERRED_OUTPUTS = {
  embedding: ['last_hidden_state', 'token_embeddings'],
  reranker: ['logits'],
} as const;

export interface ModelInterface {
  readonly outputName: string;
  /** Whether the model takes `token_type_ids` (BERT-style segment ids). */
  readonly usesTokenTypes: boolean;
}

/**
 * Validates a session's declared inputs and outputs. `outputName` null means
 * "choose": a preferred name, else the only output. Embedding outputs must be
 * token-level `[batch, sequence, dim]`; reranker outputs one logit per row.
 */
export function checkModelInterface(
  file: string,
  task: 'embedding' | 'reranker',
  inputs: readonly ValueInfo[],
  outputs: readonly ValueInfo[],
  outputName: string | null,
): ModelInterface {
  const fail = (problem: string): never => {
    throw new ModelUnavailableError(
      `${file} does not look like a ${task} model this service can run: ${problem} (${describe(inputs, outputs)})`,
      {
        file,
      },
    );
  };
  const known: readonly string[] = [...REQUIRED_INPUTS, ...OPTIONAL_INPUTS];
  for (const name of REQUIRED_INPUTS) {
    if (!inputs.some((i) => i.name === name)) fail(`missing input ${name}`);
  }
  for (const input of inputs) {
    if (!known.includes(input.name)) fail(`unexpected input ${input.name}`);
    if (input.type !== 'int64')
      fail(`input ${input.name} is ${input.type ?? 'not a tensor'}, expected int64`);
  }

  const preferred: readonly string[] = PREFERRED_OUTPUTS[task];
  const chosen =
    outputName ??
    preferred.find((name) => outputs.some((o) => o.name === name)) ??
    (outputs.length === 1 ? outputs[0]?.name : undefined);
  const output = outputs.find((o) => o.name === chosen);
  if (!output) {
    return fail(
      outputName
        ? `no output named ${outputName}`
        : 'cannot tell which output to read; name it with "outputName" in talentgraph-model.json',
    );
  }
  if (output.type !== 'float32')
    fail(`output ${output.name} is ${output.type ?? 'not a tensor'}, expected float32`);
  const shape = output.shape ?? [];
  // An empty shape means the model does not declare one; the first run is checked instead.
  if (shape.length > 0) {
    if (task === 'embedding' && shape.length !== 3)
      fail(`output ${output.name} has rank ${shape.length}, expected token embeddings of rank 3`);
    if (task === 'reranker' && (shape.length !== 2 || (typeof shape[1] === 'number' && shape[1] !== 1))) {
      fail(`output ${output.name} has shape [${shape.join(', ')}], expected one logit per pair [batch, 1]`);
    }
  }
  return { outputName: output.name, usesTokenTypes: inputs.some((i) => i.name === 'token_type_ids') };
}

function describe(inputs: readonly ValueInfo[], outputs: readonly ValueInfo[]): string {
  const list = (values: readonly ValueInfo[]): string =>
    values.map((v) => `${v.name}: ${v.type ?? '?'}[${(v.shape ?? []).join(', ')}]`).join(', ');
  return `inputs ${list(inputs)}; outputs ${list(outputs)}`;
}
