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
      .default([4, 13, 14, 15, 1059])
      .describe(
        'Kinds readable only by their author or p-tagged recipients, after NIP-42 AUTH: NIP-04 DMs (4), NIP-59 seals (13), ' +
          'NIP-17 chat and file rumors (14, 15), gift wraps (1059). A seal names its real sender and a rumor is plain text: keep 13, 14 and 15 here.',
      ),
    authRequired: z.boolean().default(false).describe('Require NIP-42 AUTH before any REQ, COUNT or EVENT.'),
  })
  .strict();
