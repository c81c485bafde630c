import { z } from 'zod';

const pubkey = z.string().regex(/^([0-9a-f]{64}|npub1[02-9ac-hj-np-z]{58})$/, 'must be a 64-character lowercase hex pubkey or an npub');

/** NIP-29 groups hosted by the relay and the NIP-54 village wiki (groups/). */
export const groupsSection = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Host NIP-29 groups: the relay enforces membership and roles and signs each group\'s state (kinds 39000-39003) with its own key (<storage.dataDir>/relay.key, NIP-11 `self`). Off: events with an `h` tag are refused, and what groups kept before stays as private as it was.'),
    creators: z
      .enum(['admins', 'members', 'anyone'])
      .default('admins')
      .describe('Who may create a group (kind 9007): "admins" (relay.admins and relay.pubkey, plus groups.creatorList), "members" (also policies.members), or "anyone".')
      .meta({ hot: true }),
    creatorList: z.array(pubkey).default([]).describe('More pubkeys (hex or npub) allowed to create groups, whatever groups.creators says.').meta({ hot: true }),
    lateSeconds: z
      .number()
      .int()
      .min(0)
      .default(3600)
      .describe('A client event to a group older than this many seconds is refused (NIP-29 late publication); imports and syncs are exempt. 0: no limit.')
      .meta({ hot: true }),
    minPrevious: z
      .number()
      .int()
      .min(0)
      .max(50)
      .default(0)
      .describe('Timeline references (`previous` tags) a group event must carry. Whatever this says, every reference given must name a recent event of the group stored here.')
      .meta({ hot: true }),
    aiDefault: z
      .boolean()
      .default(false)
      .describe("Whether a new group lets the village's models read it (feeds, tags, digests, datasets) until its admins say otherwise (kind 9002 with [\"ai\",\"allow\"|\"deny\"]). Off: opt-in."),
    wiki: z
      .boolean()
      .default(true)
      .describe('Host the NIP-54 wiki: articles (30818) with normalized `d` tags, forks, merge requests (818) checked against the article they target, and the page /wiki.'),
  })
  .strict();

export type GroupsConfig = z.infer<typeof groupsSection>;
