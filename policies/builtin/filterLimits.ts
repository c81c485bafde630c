import { z } from 'zod';
import type { Filter } from '../../relay/nostr/types.ts';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';

const options = z
  .object({
    maxLimit: z.number().int().min(1).optional().describe('Caps `limit` (a missing limit is set to this).'),
    rejectEmpty: z
      .boolean()
      .default(true)
      .describe('Refuse filters that narrow nothing (no ids, authors, kinds, tags, search, since or until): bulk scraping.'),
    maxKindsOnlySpanSeconds: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Kinds-only filters (no authors, ids or tags) must set since within this many seconds of until or now.'),
    rule: z.string().default('scraping').describe('Rulebook id named in the decisions.'),
  })
  .strict();

const narrows = (f: Filter) =>
  f.ids !== undefined || f.authors !== undefined || f.kinds !== undefined || (f.tags !== undefined && f.tags.size > 0) || f.search !== undefined || f.since !== undefined || f.until !== undefined;

/** Read-side limits: refuse unbounded scraping filters and cap `limit` by rewriting. */
export const filterLimits = defineBuiltin({
  name: 'filterLimits',
  description: 'Refuses unbounded filters and caps limit on REQ and COUNT.',
  options,
  create: (o) => ({
    read({ filters, verb }) {
      for (const f of filters) {
        if (o.rejectEmpty && !narrows(f)) return act('reject', 'restricted: filter too broad; narrow it by author, kind, tag or time', o.rule);
        if (o.maxKindsOnlySpanSeconds !== undefined && f.ids === undefined && f.authors === undefined && !(f.tags && f.tags.size > 0)) {
          const until = f.until ?? Math.floor(Date.now() / 1000);
          if (f.since === undefined || until - f.since > o.maxKindsOnlySpanSeconds) {
            return act('reject', `restricted: filters by kind only must span at most ${o.maxKindsOnlySpanSeconds} seconds`, o.rule);
          }
        }
      }
      // COUNT has no limit to cap; an ids filter is answered in full (its ids bound it already).
      if (o.maxLimit === undefined || verb === 'COUNT') return ACCEPT;
      const cap = (f: Filter) => Math.max(o.maxLimit!, f.ids?.length ?? 0);
      if (filters.every((f) => f.limit !== undefined && f.limit <= cap(f))) return ACCEPT;
      return { action: 'rewrite', filters: filters.map((f) => ({ ...f, limit: Math.min(f.limit ?? cap(f), cap(f)) })), rule: o.rule };
    },
    limits: () => (o.maxLimit !== undefined ? { max_limit: o.maxLimit } : {}),
  }),
});
