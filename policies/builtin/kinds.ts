import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { kindMatcher, kindSpec } from './shared.ts';

const options = z
  .object({
    allow: z.array(kindSpec).optional().describe('Only these kinds (numbers or [from, to] ranges) are accepted.'),
    deny: z.array(kindSpec).default([]).describe('These kinds are refused.'),
    rule: z.string().default('kinds').describe('Rulebook id named in the decisions.'),
  })
  .strict();

/** Kind allow and deny lists. */
export const kinds = defineBuiltin({
  name: 'kinds',
  description: 'Accepts only allowed kinds and refuses denied ones.',
  options,
  create: (o) => {
    const allowed = o.allow ? kindMatcher(o.allow) : () => true;
    const denied = kindMatcher(o.deny);
    return {
      write({ event }) {
        if (denied(event.kind) || !allowed(event.kind)) return act('reject', `blocked: kind ${event.kind} is not accepted here`, o.rule);
        return ACCEPT;
      },
      limits: () => (o.allow !== undefined || o.deny.length > 0 ? { restricted_writes: true } : {}),
    };
  },
});
