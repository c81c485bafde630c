import { z } from 'zod';

/** LMDB storage. */
export const storageSection = z
  .object({
    dataDir: z
      .string()
      .default('./data')
      .describe(
        'Directory of the LMDB database and other state (DVM and labeler keys, models). Relative paths written in a config file (this one and the other directories and files) are relative to that file; from -d or HAMLET_* variables, to the working directory.',
      ),
    mapSizeMb: z
      .number()
      .int()
      .min(16)
      .default(65536)
      .describe('Initial LMDB map size in MiB. Not a cap: lmdb-js doubles the map when it fills, so only the disk limits the database. Sparse; it does not take disk up front.'),
    batchSize: z.number().int().min(1).max(100_000).default(1000).describe('Most events committed in one write transaction.'),
    expirySweepSeconds: z
      .number()
      .int()
      .min(1)
      .default(60)
      .describe('How often expired (NIP-40) events are purged from disk. They are hidden from readers at once.'),
  })
  .strict();
