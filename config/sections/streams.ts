import { z } from 'zod';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-character lowercase hex id');
const timestamp = z.number().int().min(0);

/** A NIP-01 filter written as a TOML inline table: { kinds = [1, 30023], authors = ["…"], "#t" = ["nostr"] }. */
const filterSchema = z
  .object({
    ids: z.array(hex64).optional(),
    authors: z.array(hex64).optional(),
    kinds: z.array(z.number().int().min(0).max(65535)).optional(),
    since: timestamp.optional(),
    until: timestamp.optional(),
  })
  .catchall(z.array(z.string()))
  .superRefine((f, ctx) => {
    for (const key of Object.keys(f)) {
      if (['ids', 'authors', 'kinds', 'since', 'until'].includes(key)) continue;
      if (!/^#[A-Za-z]$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'not a filter field (ids, authors, kinds, since, until, or "#x" for a single-letter tag)' });
    }
  });

const mirrorSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore, at most 64').describe('What logs, metrics and `hamlet stats` call this stream.'),
    relays: z.array(z.string().regex(/^wss?:\/\/[^\s]+$/, 'must be a ws:// or wss:// URL')).min(1, 'name at least one relay'),
    direction: z.enum(['down', 'up', 'both']).default('both'),
    filter: filterSchema.default({}),
    policies: z.enum(['write', 'none']).default('write'),
    catchUp: z.boolean().default(true),
  })
  .strict();

export type MirrorConfig = z.infer<typeof mirrorSchema>;
export type MirrorFilter = z.infer<typeof filterSchema>;

/** Mirroring with other relays (federation/): long-running streams down, up or both ways. */
export const streamsSection = z
  .object({
    mirrors: z
      .array(mirrorSchema)
      .default([])
      .describe(
        'Streams to other relays, each { name, relays = ["wss://…"], direction = "down"|"up"|"both", filter = { kinds = [1] }, policies = "write"|"none", catchUp = true }. ' +
          'down: what the relays publish that matches the filter is stored here, through the write policies (policies = "write") or only verified (policies = "none"); ' +
          'up: what is stored here that matches is sent there (never DMs, gift wraps, restricted kinds or NIP-70 protected events). ' +
          'catchUp: after each (re)connection, NIP-77 reconciles what was missed instead of downloading it again (relays without NIP-77: a REQ since the last contact).',
      ),
    reconnectMinSeconds: z.number().min(0.1).default(1).describe('First wait before reconnecting to a relay that dropped or refused; doubled at each failure.'),
    reconnectMaxSeconds: z.number().min(1).default(300).describe('Longest wait between reconnection attempts.'),
    upQueueMax: z
      .number()
      .int()
      .min(1)
      .default(10_000)
      .describe('Events kept per relay for sending while it is unreachable; past it the oldest are dropped (NIP-77 catch-up sends them at reconnection).'),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.mirrors.forEach((m, i) => {
      if (seen.has(m.name)) ctx.addIssue({ code: 'custom', path: ['mirrors', i, 'name'], message: `"${m.name}" names two streams` });
      seen.add(m.name);
    });
    if (s.reconnectMaxSeconds < s.reconnectMinSeconds) ctx.addIssue({ code: 'custom', path: ['reconnectMaxSeconds'], message: 'must be at least streams.reconnectMinSeconds' });
  });

export type StreamsConfig = z.infer<typeof streamsSection>;
