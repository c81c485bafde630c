import type { Classifier, Embedder } from '../types.ts';
import { BUILTIN_EMBEDDING_DIMS, builtinEmbeddingInfo, embedOne } from './embedder.ts';
import { BUILTIN_TOXICITY_LABELS, builtinToxicityInfo, classifyOne } from './toxicity.ts';

/**
 * The built-in models run in the caller's thread: what feeds, the labeler, the tagging DVM and
 * the toxicity policy use when the relay runs without its model pool (tests, tools). They are
 * cheap (hashed n-grams, a lexicon) and give the same answers as the pool's built-in workers.
 */
export function inlineEmbedder(): Embedder {
  return { info: builtinEmbeddingInfo(), dims: BUILTIN_EMBEDDING_DIMS, embed: async (texts) => texts.map((t) => embedOne(t)) };
}

export function inlineToxicity(): Classifier {
  return { info: builtinToxicityInfo(), labels: BUILTIN_TOXICITY_LABELS, classify: async (texts) => texts.map((t) => classifyOne(t)) };
}
