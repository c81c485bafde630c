import { z } from 'zod';

/** Local models: embeddings, toxicity, the worker pool that runs them (models/). */
export const modelsSection = z
  .object({
    dir: z
      .string()
      .default('')
      .describe(
        'Directory of local model folders and trained heads; `hamlet models pull` downloads into it. Nothing is downloaded at run time. Empty: <storage.dataDir>/models.',
      ),
    embedding: z
      .string()
      .default('all-MiniLM-L6-v2')
      .describe(
        'Embedding model: a name from `hamlet models list`, a model folder (relative to dir, or absolute), or "builtin" (hashed word and character n-grams, no download).',
      ),
    toxicity: z
      .string()
      .default('toxic-bert')
      .describe('Toxicity classifier: a name from `hamlet models list`, a model folder (relative to dir, or absolute), or "builtin" (a small lexicon).'),
    fallbackToBuiltin: z
      .boolean()
      .default(true)
      .describe('When a configured model is missing or fails to load, use the built-in one (and log why) instead of refusing to start.'),
    workers: z.number().int().min(0).max(256).default(0).describe('Inference worker threads, one ONNX thread each; 0 = one per core.'),
    batchSize: z.number().int().min(1).max(4096).default(32).describe('Most texts sent to a worker in one batch.'),
    batchWaitMs: z
      .number()
      .min(0)
      .max(1000)
      .default(2)
      .describe('How long a request waits for others to share its batch, in milliseconds; 0 = only those arriving in the same tick.'),
    cacheEmbeddings: z.boolean().default(true).describe('Keep event embeddings in LMDB, keyed by event id and model version.'),
    meaning: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe('Learn what words mean from the village\'s own posts (co-occurrence word vectors) and add it to every embedding: posts on one topic in other words land close. Off: the embedding model alone.'),
        weight: z.number().min(0).max(1).default(0.7).describe('Share of a similarity that comes from the learnt meaning (the rest from the embedding model), 0-1.'),
        dims: z.number().int().min(8).max(512).default(96).describe('Dimensions of the learnt word vectors.'),
        retrainHours: z
          .number()
          .min(0)
          .max(24 * 365)
          .default(24)
          .describe('The relay re-learns from the newest posts this often, in a worker thread (and at start when there is no model yet, and sooner once the village has posted as much again as the model was learnt from); 0 = only `hamlet train meaning`.'),
        minPosts: z.number().int().min(50).default(200).describe('Posts needed before the first training.'),
        maxPosts: z.number().int().min(100).max(5_000_000).default(200_000).describe('Newest posts a training reads.'),
      })
      .strict()
      .prefault({}),
    hubUrl: z.string().url().default('https://huggingface.co').describe('Where `hamlet models pull` downloads from (a Hugging Face hub or a mirror of it).'),
  })
  .strict();

export type ModelsConfig = z.infer<typeof modelsSection>;
