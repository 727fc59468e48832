/** Public surface of the inference layer; the rest of the app imports from here only. */
export { createEmbedder, withEmbeddingCache } from './embedder.js';
export type { Embedder, EmbedderInfo, EmbedderOptions, EmbeddingKind } from './embedder.js';
export { createReranker } from './reranker.js';
export type { Reranker, RerankerInfo, RerankerOptions } from './reranker.js';
export { openEmbeddingCache } from './embeddingCache.js';
export type { EmbeddingCache } from './embeddingCache.js';
export { DEFAULT_RERANKER, EMBEDDERS, MODEL_CATALOG, RERANKERS, findModelSpec } from './modelCatalog.js';
export type { EmbedderSpec, ModelSpec, Pooling, RerankerSpec } from './modelCatalog.js';
export { ensureModel, loadModelFolder, resolveEmbedderModel, resolveRerankerModel } from './modelStore.js';
export type { EmbedderManifest, LocalModel, ModelManifest, RerankerManifest } from './modelStore.js';
export { describeTrainedLookup, findTrainedEmbedder, findTrainedReranker } from './trainedModels.js';
export type { ModelSelection } from './trainedModels.js';
