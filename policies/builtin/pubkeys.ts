import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { toHexPubkey } from '../../relay/nostr/keys.ts';

const options = z
  .object({
    allow: z.array(z.string()).optional().describe('Only these authors (hex or npub) may publish and AUTH.'),
    deny: z.array(z.string()).default([]).describe('These authors may not publish or AUTH, and their events are not delivered live.'),
    rule: z.string().default('banned').describe('Rulebook id named in the decisions.'),
  })
  .strict();

/** Pubkey allow and deny lists, applied to writes, AUTH and live delivery. */
export const pubkeys = defineBuiltin({
  name: 'pubkeys',
  description: 'Author allow and deny lists.',
  options,
  create: (o) => {
    const allow = o.allow ? new Set(o.allow.map(toHexPubkey)) : undefined;
    const deny = new Set(o.deny.map(toHexPubkey));
    const judge = (pk: string) => {
      if (deny.has(pk)) return act('reject', 'blocked: this author is not welcome here', o.rule);
      if (allow && !allow.has(pk)) return act('reject', 'restricted: only the village\'s listed authors may publish here', o.rule);
      return ACCEPT;
    };
    return {
      write: ({ event }) => judge(event.pubkey),
      auth: ({ pubkey }) => judge(pubkey),
      broadcast: ({ event }) => !deny.has(event.pubkey),
    };
  },
});
