import { z } from 'zod';

/** The feed algorithms the feed DVMs know (dvms/feeds), named once. */
export const FEED_ALGORITHMS = ['for-you', 'trending', 'topic', 'following'] as const;

/** Data Vending Machines (NIP-90): the runtime and the feeds (dvms/). */
export const dvmsSection = z
  .object({
    enabled: z.boolean().default(true).describe('Run the village DVMs (feeds) inside the relay process.'),
    feeds: z
      .array(z.enum(FEED_ALGORITHMS))
      .default([...FEED_ALGORITHMS])
      .describe('Feed algorithms announced as their own kind 5300 DVM (each with its own key and NIP-89 announcement).'),
    remoteRelays: z
      .array(z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL'))
      .default([])
      .describe('Other relays whose job requests the DVMs also take (over WebSocket); results go back there too.'),
    keysDir: z
      .string()
      .default('')
      .describe('Where each DVM keeps its secret key (created on first start, mode 0600). Empty: <storage.dataDir>/dvm-keys.'),
    requestWindowSeconds: z
      .number()
      .int()
      .min(10)
      .default(600)
      .describe('Requests older than this are ignored (no replay storm after a restart or from a remote relay backlog).'),
    concurrentJobs: z.number().int().min(1).max(256).default(4).describe('Jobs the DVMs run at once; waiting ones start in turn by customer (round robin), so one customer cannot crowd out the others.'),
    remoteJobsPerMinute: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('Requests a minute one customer may send through dvms.remoteRelays (home requests pass the relay\'s write rate limits instead); past it they get an error feedback.'),
    maxWaitingJobs: z.number().int().min(1).default(1000).describe('Most jobs waiting for their turn; past it new requests get a "busy" error feedback.'),
    resultCacheSeconds: z
      .number()
      .min(0)
      .default(60)
      .describe('How long a computed feed is reused for the same (algorithm, params, user); 0 turns the cache off.'),
    heartbeatSeconds: z.number().int().min(5).default(60).describe('How often each DVM publishes its heartbeat (kind 11998, replaceable).'),
    defaultMaxResults: z.number().int().min(1).max(1000).default(50).describe('Feed length when a request sets no max_results.'),
    maxResultsCap: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(200)
      .describe('Largest feed length served; larger max_results values are capped to it (Amethyst asks for 200).'),
    windowHours: z
      .number()
      .min(1)
      .max(24 * 365)
      .default(24 * 7)
      .describe('How far back feeds look for posts and engagement; the signals keep this much in memory.'),
    maxPosts: z
      .number()
      .int()
      .min(100)
      .default(50_000)
      .describe('Most posts the feeds keep in memory: the newest of the window (older ones are not candidates; their text is never kept, only word hashes and the embedding).'),
    maxPostsMb: z.number().min(1).default(64).describe('And at most this many megabytes for them (estimated); past either cap the oldest go first.'),
    maxEngagements: z
      .number()
      .int()
      .min(100)
      .default(200_000)
      .describe('Most reactions, reposts, replies and zaps the feeds keep (one per person, kind and post); the posts engaged with longest ago are forgotten first.'),
    maxEngagementsMb: z.number().min(1).default(48).describe('And at most this many megabytes for them (estimated).'),
    maxProfiles: z
      .number()
      .int()
      .min(10)
      .default(10_000)
      .describe("Most people whose interests (an embedding and hashtags) the feeds keep; the profile used or changed least recently goes first."),
    maxProfilesMb: z.number().min(1).default(48).describe('And at most this many megabytes for them (estimated: about 4 KB a person with a 384-dimension model).'),
    maxLabelled: z
      .number()
      .int()
      .min(100)
      .default(100_000)
      .describe('Most posts and people whose NIP-32 labels the feeds keep; those labelled longest ago are forgotten first.'),
    maxLabelledMb: z.number().min(1).default(16).describe('And at most this many megabytes for them (estimated).'),
    resultCacheMb: z.number().min(0).default(16).describe('Most megabytes (estimated) of computed feeds kept for reuse, across all feeds (at most 200 feeds are kept).'),
    trustedLabelers: z
      .array(z.string())
      .default([])
      .describe('Pubkeys (hex) whose NIP-32 labels (kind 1985) feeds honour, besides the DVM keys and policies.members.'),
    hideLabels: z
      .array(z.string())
      .default(['spam', 'nsfw', 'nudity', 'porn', 'illegal', 'malware', 'impersonation'])
      .describe('Labels hidden from feeds unless a member sets hide_labels themselves.'),
    name: z.string().default('Hamlet').describe('Prefix of the DVM names in their announcements.'),
    people: z
      .boolean()
      .default(true)
      .describe('Run the people-discovery DVM (kind 5301): members with shared interests within the requester\'s trust circle.'),
    welcome: z
      .object({
        autoSend: z
          .boolean()
          .default(false)
          .describe('Let `hamlet welcome --send` publish the drafted welcomes, signed by the people DVM\'s key. Off: welcomes are only drafted, and --send needs --key <file> (a moderator\'s own key). Nothing is ever sent without --send.'),
        suggestions: z.number().int().min(1).max(10).default(3).describe('Members a drafted welcome names.'),
      })
      .strict()
      .prefault({})
      .describe('Drafted welcomes for newcomers\' first posts (`hamlet welcome`), naming members they may like: autoSend (let --send publish them) and suggestions (how many members one names).'),
  })
  .strict();

export type DvmsConfig = z.infer<typeof dvmsSection>;
