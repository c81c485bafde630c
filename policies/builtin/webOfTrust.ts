import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { actionOption, kindMatcher, kindSpec } from './shared.ts';

const options = z
  .object({
    maxHops: z.number().int().min(0).max(6).optional().describe('Most hops from a member (default: policies.trustMaxHops).'),
    exemptKinds: z
      .array(kindSpec)
      .default([])
      .describe('Kinds anyone may publish (e.g. 22242, or zap receipts 9735 signed by LN services).'),
    action: actionOption.default('reject').describe('What a match does: reject, shadowReject, hold or label.'),
    rule: z.string().default('trust').describe('Rulebook id named in the decisions.'),
  })
  .strict();

/**
 * Only authors within maxHops follow-list hops of the village's members may publish. The graph
 * is shared (policies.members, policies.trustMaxHops) and kept current from committed kind 3.
 */
export const webOfTrust = defineBuiltin({
  name: 'webOfTrust',
  description: 'Accepts authors within a hop distance of the village members over follow lists.',
  options,
  create: (o, ctx) => {
    if (!ctx.trust.enabled) ctx.log.warn('webOfTrust: policies.members is empty, so no one is trusted');
    const exempt = kindMatcher(o.exemptKinds);
    return {
      write({ event }) {
        if (exempt(event.kind)) return ACCEPT;
        const d = ctx.trust.distance(event.pubkey);
        if (d !== undefined && (o.maxHops === undefined || d <= o.maxHops)) return ACCEPT;
        const hops = o.maxHops ?? 'a few';
        return act(o.action, `restricted: only people within ${hops} follow hops of the village's members may post here`, o.rule, undefined, [
          { namespace: 'hamlet.trust', value: 'unknown' },
        ]);
      },
    };
  },
});
