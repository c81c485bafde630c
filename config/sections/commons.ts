import { z } from 'zod';

/** The village's data as a commons (commons/): members' consent, dataset exports, the relay's terms. */
export const commonsSection = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Publish the terms (GET /commons, NIP-11 `commons`) and rebuild the datasets on schedule. Consent events are stored whatever this says.'),
    license: z
      .string()
      .regex(/^[A-Za-z0-9.+-]+$/, 'an SPDX licence id, e.g. CC-BY-4.0')
      .default('CC-BY-4.0')
      .describe('SPDX id of the licence a dataset is released under as a whole; each record also carries the licence its author chose (consent `license` tag), and a record whose author named none is under this one.')
      .meta({ hot: true }),
    purposes: z
      .array(z.enum(['train-ai', 'train-genai', 'search']))
      .default(['train-ai'])
      .describe('The uses (AI-preferences vocabulary) the relay exports datasets for; each gets its own dataset, built from the posts of the members who consent to that use.')
      .meta({ hot: true }),
    kinds: z
      .array(z.number().int().min(0).max(65535))
      .default([1, 30023])
      .describe('Kinds of public posts a dataset may hold (notes and long-form). Private kinds (4, 13, 14, 15, 1059) and NIP-70 protected events are never exported, whatever is listed.')
      .meta({ hot: true }),
    rebuildHours: z
      .number()
      .min(0)
      .default(24)
      .describe('Hours between scheduled rebuilds inside the relay (a new version only when something changed); 0: only `hamlet dataset export`.'),
    exportDir: z.string().default('').describe('Where datasets are written, one folder per use and version. Empty: <storage.dataDir>/datasets.'),
    contact: z.string().default('').describe('Who to ask about the datasets and withdrawals (an email address or URL); empty: relay.contact.'),
  })
  .strict();

export type CommonsConfig = z.infer<typeof commonsSection>;
