import { z } from 'zod';

/** Limits enforced on every connection, advertised in NIP-11 `limitation`. */
export const limitsSection = z
  .object({
    maxMessageBytes: z.number().int().min(1024).default(262_144).describe('Largest incoming WebSocket frame in bytes (a running relay can lower it, or raise it up to 4× its value at start).').meta({ hot: true }),
    maxSubscriptions: z.number().int().min(1).default(50).describe('Open subscriptions per connection.').meta({ hot: true }),
    maxFilters: z.number().int().min(1).default(20).describe('Filters in one REQ or COUNT.').meta({ hot: true }),
    maxLimit: z.number().int().min(1).default(5000).describe('Largest `limit` honoured; larger limits are clamped.').meta({ hot: true }),
    defaultLimit: z.number().int().min(1).default(500).describe('`limit` applied to filters that give none.').meta({ hot: true }),
    maxSubidLength: z.number().int().min(1).max(256).default(64).describe('Longest subscription id.').meta({ hot: true }),
    maxEventTags: z.number().int().min(1).default(10_000).describe('Most tags in one event (follow lists can be long).').meta({ hot: true }),
    maxContentLength: z.number().int().min(1).default(102_400).describe('Longest event content, in characters.').meta({ hot: true }),
    maxFilterValues: z.number().int().min(1).default(1000).describe('Most values in one filter field (ids, authors, kinds, #x).').meta({ hot: true }),
    createdAtLowerLimit: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Reject events older than this many seconds (0: no limit; old notes may be imported).')
      .meta({ hot: true }),
    createdAtUpperLimit: z
      .number()
      .int()
      .min(0)
      .default(900)
      .describe('Reject events dated more than this many seconds in the future.')
      .meta({ hot: true }),
    maxOutboundBytes: z
      .number()
      .int()
      .min(65_536)
      .default(8_388_608)
      .describe('A connection whose unsent output passes this many bytes is closed (slow consumer). The transport takes it at start.'),
    maxQueryCost: z
      .number()
      .int()
      .min(1000)
      .default(500_000)
      .describe(
        'Work one REQ may do over all its filters, in records examined (a record whose tags or search words must be read from its JSON counts 11; 500,000 is about half a second of one core). Past it the REQ sends the matches found so far and ends with CLOSED "blocked: query too expensive ..." instead of EOSE.',
      )
      .meta({ hot: true }),
    maxCountScan: z
      .number()
      .int()
      .min(1000)
      .default(1_000_000)
      .describe(
        'Work one COUNT or NIP-77 NEG-OPEN may do, in records examined as for maxQueryCost (past it: CLOSED or NEG-ERR "blocked: query too expensive ..."), and the most records one sync may hold.',
      )
      .meta({ hot: true }),
    querySliceMs: z
      .number()
      .positive()
      .max(1000)
      .default(1)
      .describe(
        'Longest a stored-event read (REQ, COUNT, NEG-OPEN) runs on the main thread before other connections are served; longer reads go on in turns. One read at a time per connection.',
      )
      .meta({ hot: true }),
    maxEventsInFlight: z
      .number()
      .int()
      .min(1)
      .default(500)
      .describe('Unanswered EVENTs per connection; past it an EVENT is refused with rate-limited: before its signature is checked.')
      .meta({ hot: true }),
    maxRateLimitedPer10s: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .describe('A connection refused this many times with rate-limited: within 10 seconds is closed.')
      .meta({ hot: true }),
    syncIdleSeconds: z
      .number()
      .positive()
      .default(60)
      .describe('A NIP-77 sync session with no NEG-MSG for this long is closed with NEG-ERR.')
      .meta({ hot: true }),
  })
  .strict();
