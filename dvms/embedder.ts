import { BUILTIN_EMBEDDING_DIMS, builtinEmbed, builtinEmbeddingInfo, type Embedder } from '../models/index.ts';

/**
 * The built-in embedder run in-process: what feeds use when the relay runs without model
 * workers (tests, `models: undefined`). Same vectors as the built-in provider's workers.
 */
export function inProcessBuiltinEmbedder(): Embedder {
  return {
    info: builtinEmbeddingInfo(),
    dims: BUILTIN_EMBEDDING_DIMS,
    embed: async (texts) => texts.map((t) => builtinEmbed(t)),
  };
}
