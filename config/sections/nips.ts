import { z } from 'zod';

/** Optional protocol features; `supported_nips` in NIP-11 follows these switches. */
export const nipsSection = z
  .object({
    search: z.boolean().default(true).describe('NIP-50 full-text search over content.'),
    count: z.boolean().default(true).describe('NIP-45 COUNT, with HyperLogLog registers.'),
    vanish: z.boolean().default(true).describe('NIP-62 requests to vanish.'),
    protectedEvents: z
      .boolean()
      .default(true)
      .describe('NIP-70: accept events tagged ["-"] from their authenticated author (rejected for everyone else).'),
    restrictedKinds: z
      .array(z.number().int().min(0).max(65535))
      .default([4, 1059])
      .describe('Kinds readable only by their author or p-tagged recipients, after NIP-42 AUTH (DMs, gift wraps).'),
    authRequired: z.boolean().default(false).describe('Require NIP-42 AUTH before any REQ, COUNT or EVENT.'),
  })
  .strict();
