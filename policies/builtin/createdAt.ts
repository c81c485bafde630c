import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { kindMatcher, kindSpec } from './shared.ts';

const options = z
  .object({
    maxAgeSeconds: z.number().int().min(1).optional().describe('Refuse events older than this (none: any age).'),
    maxFutureSeconds: z.number().int().min(0).default(900).describe('Refuse events dated further than this in the future.'),
    kinds: z.array(kindSpec).optional().describe('Only check these kinds (default: all).'),
    sources: z.array(z.enum(['client', 'import', 'sync', 'internal'])).default(['client']).describe('Event sources checked; imports and sync carry old events.'),
    rule: z.string().default('timestamps').describe('Rulebook id named in the decisions.'),
  })
  .strict();

/** created_at window relative to the moment the relay received the event. */
export const createdAt = defineBuiltin({
  name: 'createdAt',
  description: 'Refuses events dated too far in the past or the future.',
  options,
  create: (o) => {
    const applies = o.kinds ? kindMatcher(o.kinds) : () => true;
    const sources = new Set(o.sources);
    return {
      write({ event, receivedAt, source }) {
        if (!sources.has(source) || !applies(event.kind)) return ACCEPT;
        const now = Math.floor(receivedAt / 1000);
        if (event.created_at > now + o.maxFutureSeconds) return act('reject', `invalid: created_at is more than ${o.maxFutureSeconds} seconds in the future`, o.rule);
        if (o.maxAgeSeconds !== undefined && event.created_at < now - o.maxAgeSeconds) {
          return act('reject', `invalid: created_at is more than ${o.maxAgeSeconds} seconds in the past`, o.rule);
        }
        return ACCEPT;
      },
    };
  },
});
