/** The village's meaning model: word vectors learnt from its own posts, and the embedder that adds them. */
import type { ModelsConfig } from '../../config/sections/models.ts';
import type { Embedder } from '../types.ts';
import { inlineEmbedder } from '../builtin/inline.ts';
import { MeaningEmbedder } from './embedder.ts';
import { meaningFile } from './file.ts';

export { MeaningEmbedder } from './embedder.ts';
export { meaningFile, loadMeaning, saveMeaning, type MeaningModel } from './file.ts';
export { trainMeaning, MEANING_DEFAULTS, MIN_DOCUMENTS, type MeaningTrainOptions, type MeaningTrainResult } from './train.ts';
export { MeaningTrainer } from './trainer.ts';
export { collectTokens, postTokens, MEANING_KINDS } from './corpus.ts';
export { meaningTokens } from './tokens.ts';
export { WordVectors } from './wordVectors.ts';

/** The embedder the village uses: `base` with the learnt meaning beside it, when models.meaning.enabled. */
export function villageEmbedder(config: ModelsConfig, base: Embedder, onError?: (err: Error) => void): Embedder {
  if (!config.meaning.enabled) return base;
  return new MeaningEmbedder(base, { file: meaningFile(config.dir), weight: config.meaning.weight, onError });
}

/** The built-in embedder in the caller's thread, with the learnt meaning (what runs without the model pool). */
export const inlineVillageEmbedder = (config: ModelsConfig): Embedder => villageEmbedder(config, inlineEmbedder());

/**
 * The embedder beneath the learnt meaning. Moderation scores over it: a moderation head must
 * give the same score tomorrow, and the meaning model is re-learnt as the village writes.
 */
export const wordingEmbedder = (e: Embedder): Embedder => (e instanceof MeaningEmbedder ? e.base : e);
