import { z } from 'zod';
import { nip13 } from 'nostr-tools';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';

const options = z
  .object({
    difficulty: z.number().int().min(0).max(256).default(0).describe('Leading zero bits required of every event.'),
    kinds: z.record(z.string().regex(/^\d+$/), z.number().int().min(0).max(256)).default({}).describe('Difficulty per kind, e.g. { "1" = 20 }.'),
    trust: z
      .record(z.string().regex(/^(\d+|unknown)$/), z.number().int().min(0).max(256))
      .default({})
      .describe('Difficulty per trust distance: { "0" = 0, "1" = 0, "2" = 8, unknown = 20 }. Wins over kinds when it names a level.'),
    honourCommitment: z.boolean().default(true).describe('Also require the nonce tag\'s committed target to reach the difficulty (NIP-13).'),
    rule: z.string().default('pow').describe('Rulebook id named in the decisions.'),
  })
  .strict();

/** NIP-13 proof of work, with difficulty by kind and by trust distance from the members. */
export const pow = defineBuiltin({
  name: 'pow',
  description: 'Requires NIP-13 proof of work; difficulty per kind or per trust level.',
  options,
  create: (o, ctx) => {
    const trustLevels = Object.keys(o.trust).length > 0;
    const required = (kind: number, pubkey: string): number => {
      if (trustLevels) {
        const d = ctx.trust.distance(pubkey);
        const byTrust = o.trust[d === undefined ? 'unknown' : String(d)];
        if (byTrust !== undefined) return byTrust;
      }
      return o.kinds[String(kind)] ?? o.difficulty;
    };
    return {
      write({ event }) {
        const need = required(event.kind, event.pubkey);
        if (need === 0) return ACCEPT;
        const have = nip13.getPow(event.id);
        if (have < need) return act('reject', `pow: difficulty ${have} is less than ${need}`, o.rule);
        if (o.honourCommitment) {
          const nonce = event.tags.find((t) => t[0] === 'nonce');
          const committed = Number(nonce?.[2]);
          if (!nonce || !(committed >= need)) return act('reject', `pow: committed target must be at least ${need}`, o.rule);
        }
        return ACCEPT;
      },
      limits: () => {
        // The least any event needs, whatever its kind or author: what NIP-11 can promise.
        const least = Math.min(o.difficulty, ...Object.values(o.kinds), ...Object.values(o.trust));
        const any = Math.max(o.difficulty, ...Object.values(o.kinds), ...Object.values(o.trust)) > 0;
        return { ...(least > 0 ? { min_pow_difficulty: least } : {}), ...(any ? { restricted_writes: true } : {}) };
      },
    };
  },
});
