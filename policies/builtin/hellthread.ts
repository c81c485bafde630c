import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { kindMatcher, kindSpec } from './shared.ts';

const options = z
  .object({
    maxPTags: z.number().int().min(0).default(100).describe('Most p tags (mentions) in one event.'),
    ignoreKinds: z
      .array(kindSpec)
      .default([3, [10000, 19999], [30000, 39999]])
      .describe('Kinds whose p tags are lists, not mentions (follow lists, people lists).'),
    rule: z.string().default('hellthread').describe('Rulebook id named in the decisions.'),
  })
  .strict();

/** Refuses "hellthreads": notes that mention (and so notify) too many people. */
export const hellthread = defineBuiltin({
  name: 'hellthread',
  description: 'Refuses events with too many p tags.',
  options,
  create: (o) => {
    const ignored = kindMatcher(o.ignoreKinds);
    return {
      write({ event }) {
        if (ignored(event.kind)) return ACCEPT;
        let n = 0;
        for (const t of event.tags) if (t[0] === 'p' && ++n > o.maxPTags) return act('reject', `blocked: mentions more than ${o.maxPTags} people`, o.rule);
        return ACCEPT;
      },
    };
  },
});
