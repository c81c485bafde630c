import { z } from 'zod';

/** Signature verification off the main thread. */
export const verifySection = z
  .object({
    threads: z
      .number()
      .int()
      .min(0)
      .max(64)
      .default(0)
      .describe('Verifier worker threads (0: one per core).'),
    verifier: z
      .enum(['auto', 'native', 'tiny-secp256k1', 'nostr-wasm', 'noble'])
      .default('auto')
      .describe('Schnorr implementation; auto picks the fastest that loads (native libsecp256k1 first).'),
  })
  .strict();
