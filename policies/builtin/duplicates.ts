import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineBuiltin } from '../policy.ts';
import { ACCEPT, act } from '../decide.ts';
import { addressEntry } from '../../config/sections/addresses.ts';
import { addressList } from '../../relay/server/addresses.ts';
import { actionOption, kindMatcher, kindSpec } from './shared.ts';

const options = z
  .object({
    windowSeconds: z.number().int().min(1).default(600).describe('How long a content is remembered.'),
    maxCopies: z.number().int().min(1).default(5).describe('Copies of the same content (any authors) accepted within the window.'),
    minLength: z.number().int().min(0).default(24).describe('Shorter contents ("gm", "+") are never duplicates.'),
    floodMax: z.number().int().min(1).optional().describe('Events one author may publish per flood window (none: no flood check).'),
    floodWindowSeconds: z.number().int().min(1).default(60).describe('The flood window.'),
    kinds: z.array(kindSpec).default([1, 1111, 42, 9802, 30023]).describe('Kinds checked (text-like kinds).'),
    exemptIps: z.array(addressEntry).default([]).describe('Client addresses never checked: addresses, CIDR ranges, "loopback" or "private".'),
    action: actionOption.default('reject').describe('What a match does: reject, shadowReject, hold or label.'),
    rule: z.string().default('spam').describe('Rulebook id named in the decisions.'),
  })
  .strict();

const MAX_KEYS = 200_000;

/**
 * Sliding counters in two generations: a key's count is the current plus the previous window,
 * so memory is bounded by two windows of traffic and nothing needs a timer.
 */
class Counter {
  private cur = new Map<string, number>();
  private prev = new Map<string, number>();
  private since = Date.now();
  constructor(private readonly windowMs: number) {}
  bump(key: string, now: number): number {
    // A flood of unique contents ends the window early: memory stays bounded under attack.
    if (now - this.since >= this.windowMs || this.cur.size >= MAX_KEYS) {
      this.prev = now - this.since >= 2 * this.windowMs ? new Map() : this.cur;
      this.cur = new Map();
      this.since = now;
    }
    const n = (this.cur.get(key) ?? 0) + 1;
    this.cur.set(key, n);
    return n + (this.prev.get(key) ?? 0);
  }
}

const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Duplicate content across authors, and flood (too many events) per author. */
export const duplicates = defineBuiltin({
  name: 'duplicates',
  description: 'Refuses content repeated too often across the relay, and authors posting too fast.',
  options,
  create: (o) => {
    const applies = kindMatcher(o.kinds);
    const exemptIps = addressList(o.exemptIps);
    const copies = new Counter(o.windowSeconds * 1000);
    const flood = o.floodMax !== undefined ? new Counter(o.floodWindowSeconds * 1000) : undefined;
    return {
      write({ event, conn, source }) {
        if (source !== 'client' || exemptIps.has(conn.ip) || !applies(event.kind)) return ACCEPT;
        const now = Date.now();
        if (flood && flood.bump(event.pubkey, now) > o.floodMax!) {
          return act('reject', `rate-limited: more than ${o.floodMax} events in ${o.floodWindowSeconds} seconds`, 'flood');
        }
        const text = normalise(event.content);
        if (text.length < o.minLength) return ACCEPT;
        const key = createHash('sha256').update(text).digest('base64');
        if (copies.bump(key, now) > o.maxCopies) return act(o.action, 'blocked: duplicate content', o.rule, undefined, [{ namespace: 'hamlet.spam', value: 'duplicate' }]);
        return ACCEPT;
      },
    };
  },
});
