import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';

const options = z
  .object({
    maxContentLength: z.number().int().min(0).optional().describe('Longest content, in characters.'),
    maxTags: z.number().int().min(0).optional().describe('Most tags.'),
    maxTagValueLength: z.number().int().min(1).optional().describe('Longest single tag element.'),
    maxEventBytes: z.number().int().min(1).optional().describe('Largest event as JSON (UTF-8 bytes).'),
    rule: z.string().default('size').describe('Rulebook id named in the decisions.'),
  })
  .strict();

/** Size and tag limits, stricter than the relay's hard limits where a village wants. */
export const sizeLimits = defineBuiltin({
  name: 'sizeLimits',
  description: 'Refuses events whose content, tag count, tag values or serialised size exceed limits.',
  options,
  create: (o) => ({
    write({ event }) {
      // Characters, as NIP-11 and the relay's own limit count them (an emoji is one, not two UTF-16 units).
      if (o.maxContentLength !== undefined && event.content.length > o.maxContentLength && [...event.content].length > o.maxContentLength) {
        return act('reject', `invalid: content longer than ${o.maxContentLength} characters`, o.rule);
      }
      if (o.maxTags !== undefined && event.tags.length > o.maxTags) return act('reject', `invalid: more than ${o.maxTags} tags`, o.rule);
      if (o.maxTagValueLength !== undefined) {
        for (const tag of event.tags) {
          for (const v of tag) if (v.length > o.maxTagValueLength) return act('reject', `invalid: a tag value is longer than ${o.maxTagValueLength} characters`, o.rule);
        }
      }
      if (o.maxEventBytes !== undefined && Buffer.byteLength(JSON.stringify(event)) > o.maxEventBytes) {
        return act('reject', `invalid: event larger than ${o.maxEventBytes} bytes`, o.rule);
      }
      return ACCEPT;
    },
    limits: () => ({
      ...(o.maxTags !== undefined ? { max_event_tags: o.maxTags } : {}),
      ...(o.maxContentLength !== undefined ? { max_content_length: o.maxContentLength } : {}),
    }),
  }),
});
