import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { protocolHarness } from './setup.ts';
import { now } from '../helpers/client.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { ESTIMATE_FROM } from '../../relay/store/estimate.ts';

const h = protocolHarness();

const event = (created_at: number, kind: number, tags: string[][]): NostrEvent => ({
  id: randomBytes(32).toString('hex'),
  pubkey: randomBytes(32).toString('hex'),
  created_at,
  kind,
  tags,
  content: 'x',
  sig: '0'.repeat(128),
});

/**
 * A large COUNT is estimated (NIP-45 `approximate: true`): close to the exact count, and never
 * counting what the reader may not see (DMs of others, held and expired events).
 */
describe('NIP-45 COUNT, estimated when large', () => {
  it('estimates a large count within a few percent, leaving out what the reader cannot see; small counts stay exact', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const t0 = now() - 100_000;
    // interleaved in time, in a pattern that repeats (an evenly spaced sample would see one class only)
    const classes = [...Array<'visible'>(12).fill('visible'), 'dm', 'dm', 'held', 'held', 'expired', 'expired', 'expired', 'reaction'] as const;
    // enough that half of them (the time range below) is still estimated
    const total = Math.ceil((ESTIMATE_FROM * 2.5) / classes.length) * classes.length;
    const counts = { visible: 0, dm: 0, held: 0, expired: 0, reaction: 0, recentVisible: 0 };
    const since = t0 + Math.floor(total / 2);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const kind = classes[i % classes.length]!;
      const at = t0 + i;
      counts[kind]++;
      if (kind === 'visible' && at >= since) counts.recentVisible++;
      const tags = [['t', 'busy']];
      const e =
        kind === 'dm' ? event(at, 4, [...tags, ['p', randomBytes(32).toString('hex')]])
        : kind === 'expired' ? event(at, 1, [...tags, ['expiration', String(now() - 60)]])
        : event(at, kind === 'reaction' ? 7 : 1, tags);
      writes.push(r.relay.store.store(e, JSON.stringify(e), kind === 'held'));
    }
    // reactions to other posts, untagged: the kind index of 7 outgrows the tag's, so {#t, kinds: [7]} is read through the tag
    for (let i = 0; i < total + 5000; i++) {
      const e = event(t0 + i, 7, [['e', randomBytes(32).toString('hex')]]);
      writes.push(r.relay.store.store(e, JSON.stringify(e)));
    }
    await Promise.all(writes);
    await r.relay.store.writer.drain();

    const count = async (id: string, filter: object) => {
      c.send(['COUNT', id, filter]);
      return (await c.next((f) => f[1] === id, 30_000))[2] as { count: number; approximate?: boolean; hll?: string };
    };
    // 2,000 samples of a 60% share: a standard error of 1.8%, so 10% is over five of them
    const close = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThan(0.1);

    // no kinds named: the DMs are among the entries and the sample, and are left out
    const all = await count('all', { '#t': ['busy'] });
    expect(all.approximate).toBe(true);
    expect(all.hll).toBeUndefined();
    close(all.count, counts.visible + counts.reaction);
    const notes = await count('notes', { '#t': ['busy'], kinds: [1] });
    expect(notes.approximate).toBe(true);
    close(notes.count, counts.visible);
    // a time range: LMDB counts the entries in it, the sample comes from it alone
    const recent = await count('recent', { '#t': ['busy'], kinds: [1], since });
    expect(recent.approximate).toBe(true);
    close(recent.count, counts.recentVisible);
    // asked for by kind, another reader's DMs are refused, as an exact count is
    c.send(['COUNT', 'dms', { '#t': ['busy'], kinds: [4] }]);
    expect(await c.next((f) => f[1] === 'dms')).toEqual(['CLOSED', 'dms', expect.stringMatching(/^auth-required:/)]);
    // few of the tag's entries match (a twentieth): too few in the sample to stand, so counted exactly
    const reactions = await count('reactions', { '#t': ['busy'], kinds: [7] });
    expect(reactions).toEqual({ count: counts.reaction, hll: expect.stringMatching(/^[0-9a-f]{512}$/) });
    // a small count is exact, with its HLL registers
    const few = await count('few', { '#t': ['busy'], kinds: [1], since: t0 + total - 100 });
    expect(few.approximate).toBeUndefined();
    expect(few.count).toBe((100 / classes.length) * classes.filter((k) => k === 'visible').length);
    expect(few.hll).toMatch(/^[0-9a-f]{512}$/);
  }, 60_000);
});
