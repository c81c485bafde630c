/**
 * Local models for the village: one interface (Embedder, Classifier), chosen from config by
 * `openModels`, run in a worker pool; an LMDB embedding cache; exact vector search; and small
 * heads the village trains over its own data.
 */
export type { Classifier, Embedder, LabelScores, ModelInfo, Models, ProviderKind } from './types.ts';
export { modelKey } from './types.ts';
export { openModels, type OpenModelsOptions } from './select.ts';
export { EmbeddingCache, embeddingCacheFor } from './cache.ts';
export { VectorIndex, topK, type SearchOptions, type VectorHit } from './vectorSearch.ts';

export { builtinEmbeddingInfo, embedOne as builtinEmbed, BUILTIN_EMBEDDING_DIMS } from './builtin/embedder.ts';
export { builtinToxicityInfo, classifyOne as builtinClassify, BUILTIN_TOXICITY_LABELS } from './builtin/toxicity.ts';
export { inlineEmbedder, inlineToxicity } from './builtin/inline.ts';
export { villageEmbedder, inlineVillageEmbedder, wordingEmbedder, MeaningEmbedder, MeaningTrainer, meaningFile, loadMeaning, saveMeaning, trainMeaning, collectTokens, postTokens, MEANING_DEFAULTS, type MeaningModel } from './meaning/index.ts';

export type { Example } from './train/dataset.ts';
export { splitHeldOut } from './train/dataset.ts';
export type { Head, HeadFile } from './train/head.ts';
export { trainLogistic, LogisticHead, type LogisticOptions } from './train/logistic.ts';
export { trainKnn, KnnHead } from './train/knn.ts';
export { evaluate, type Metrics, type LabelMetrics } from './train/metrics.ts';
export { fitHeadInWorker } from './train/fitInWorker.ts';
export type { FitTask } from './train/fitWorker.ts';
export { trainHead, loadHead, type TrainHeadOptions, type TrainedHead } from './train/trainHead.ts';
export { writeModelCard, type ModelCard } from './train/card.ts';

export { DEFAULT_MANIFEST, findManifestModel, type Manifest, type ManifestModel, type ManifestFile } from './manifest.ts';
export { pullModel, ChecksumError, DEFAULT_HUB_URL, type PullOptions, type PullProgress } from './pull.ts';
export { listModels, type ModelsListing, type ModelRow } from './list.ts';
export { resolveModel, type ResolvedModel } from './resolve.ts';
export type { ModelsConfig } from '../config/sections/models.ts';
