import {
  BUILTIN_EMBEDDING_DIMS,
  BUILTIN_TOXICITY_LABELS,
  builtinClassify,
  builtinEmbed,
  builtinEmbeddingInfo,
  builtinToxicityInfo,
  type Classifier,
  type Embedder,
} from '../../models/index.ts';

/**
 * The built-in models run in the caller's thread: what the labeler and the tagging DVM use when
 * the relay runs without its model pool (they are cheap: hashed n-grams and a lexicon).
 */
export function inlineEmbedder(): Embedder {
  return { info: builtinEmbeddingInfo(), dims: BUILTIN_EMBEDDING_DIMS, embed: async (texts) => texts.map((t) => builtinEmbed(t)) };
}

export function inlineToxicity(): Classifier {
  return { info: builtinToxicityInfo(), labels: BUILTIN_TOXICITY_LABELS, classify: async (texts) => texts.map((t) => builtinClassify(t)) };
}
