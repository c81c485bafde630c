import { z } from 'zod';

/** LMDB storage. */
export const storageSection = z
  .object({
    dataDir: z.string().default('./data').describe('Directory of the LMDB environment and other state (keys, models cache).'),
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
