import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { actionOption, kindMatcher, kindSpec } from './shared.ts';

/** Checked with the options, so `hamlet config -c` finds a bad pattern, not only the start. */
function isPattern(p: string): boolean {
  try {
    new RegExp(p, 'iu');
    return true;
  } catch {
    return false;
  }
}

const options = z
  .object({
    keywords: z.array(z.string().min(1)).default([]).describe('Whole words or phrases, case-insensitive.'),
    patterns: z.array(z.string().min(1).refine(isPattern, 'not a valid regular expression')).default([]).describe('Regular expressions (JavaScript syntax, flag i).'),
    hashtags: z.array(z.string().min(1)).default([]).describe('Hashtags (t tags or #words in content), without #.'),
    kinds: z.array(kindSpec).optional().describe('Only check these kinds (default: all).'),
    action: actionOption.default('reject').describe('What a match does: reject, shadowReject, hold or label.'),
    rule: z.string().default('content').describe('Rulebook id named in the decisions.'),
  })
  .strict();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Keyword, regular expression and hashtag lists over content and t tags. */
export const keywords = defineBuiltin({
  name: 'keywords',
  description: 'Refuses, holds or labels events containing listed words, patterns or hashtags.',
  options,
  create: (o) => {
    const words = o.keywords.map((k) => ({ k, re: new RegExp(`(^|[^\\p{L}\\p{N}])${escape(k)}($|[^\\p{L}\\p{N}])`, 'iu') }));
    const patterns = o.patterns.map((p) => ({ p, re: new RegExp(p, 'iu') }));
    const tags = new Set(o.hashtags.map((h) => h.replace(/^#/, '').toLowerCase()));
    const applies = o.kinds ? kindMatcher(o.kinds) : () => true;
    return {
      write({ event }) {
        if (!applies(event.kind)) return ACCEPT;
        for (const { k, re } of words) if (re.test(event.content)) return act(o.action, `blocked: contains "${k}"`, o.rule, undefined, [{ namespace: 'hamlet.keyword', value: k }]);
        for (const { p, re } of patterns) if (re.test(event.content)) return act(o.action, `blocked: matches /${p}/`, o.rule, undefined, [{ namespace: 'hamlet.pattern', value: p }]);
        if (tags.size > 0) {
          const found = new Set<string>();
          for (const t of event.tags) if (t[0] === 't' && t[1]) found.add(t[1].toLowerCase());
          for (const m of event.content.matchAll(/#([\p{L}\p{N}_]+)/gu)) found.add(m[1]!.toLowerCase());
          for (const h of found) if (tags.has(h)) return act(o.action, `blocked: hashtag #${h} is not accepted here`, o.rule, undefined, [{ namespace: 'hamlet.hashtag', value: h }]);
        }
        return ACCEPT;
      },
    };
  },
});
