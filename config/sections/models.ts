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
    hubUrl: z.string().url().default('https://huggingface.co').describe('Where `hamlet models pull` downloads from (a Hugging Face hub or a mirror of it).'),
  })
  .strict();

export type ModelsConfig = z.infer<typeof modelsSection>;
