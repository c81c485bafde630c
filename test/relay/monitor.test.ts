import { describe, expect, it } from 'vitest';
import { Monitor } from '../../relay/subscriptions/monitor.ts';
import { Subscription } from '../../relay/subscriptions/subscription.ts';
import type { Filter, NostrEvent } from '../../relay/nostr/types.ts';

/** The live monitor on its own: which subscriptions an event reaches, each once, in order. */

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function event(over: Partial<NostrEvent> = {}): NostrEvent {
  return { id: '1'.repeat(64), pubkey: A, kind: 1, created_at: 1000, tags: [], content: 'hello village', sig: '0'.repeat(128), ...over };
}

const sub = (owner: number, id: string, ...filters: Filter[]) => new Subscription(owner, id, filters);
const owners = (subs: Subscription<number>[]) => subs.map((s) => `${s.owner}/${s.id}`);

describe('monitor', () => {
  it('shares one group among equal filters and reaches every holder once, in subscription order', () => {
    const m = new Monitor<number>();
    const subs = Array.from({ length: 500 }, (_, i) => sub(i, 'f0', { authors: [A], kinds: [1], since: 900, limit: i }));
    for (const s of subs) m.add(s);
    m.add(sub(999, 'decoy', { authors: [B], kinds: [1] }));
    expect(m.size).toBe(501);
    expect(m.groupCount).toBe(2);
    for (let round = 0; round < 3; round++) expect(m.match(event({ id: String(round).repeat(64) }))).toEqual(subs);
    expect(m.match(event({ kind: 7 }))).toEqual([]);
  });

  it('checks since and until per subscription within a shared group', () => {
    const m = new Monitor<number>();
    m.add(sub(1, 'old', { authors: [A], until: 999 }));
    m.add(sub(2, 'now', { authors: [A], since: 1000, until: 1000 }));
    m.add(sub(3, 'later', { authors: [A], since: 1001 }));
    m.add(sub(4, 'any', { authors: [A] }));
    expect(m.groupCount).toBe(1);
    expect(owners(m.match(event()))).toEqual(['2/now', '4/any']);
    expect(owners(m.match(event({ created_at: 2000 })))).toEqual(['3/later', '4/any']);
  });

  it('delivers once to a subscription whose filters match the same event several ways', () => {
    const m = new Monitor<number>();
    const twice = sub(1, 'twice', { authors: [A] }, { authors: [A] }, { kinds: [1] }, {});
    m.add(twice);
    m.add(sub(2, 'tags', { tags: new Map([['t', ['x', 'y']]]) }));
    const e = event({ tags: [['t', 'x'], ['t', 'y'], ['t', 'x']] });
    expect(owners(m.match(e))).toEqual(['1/twice', '2/tags']);
  });

  it('forgets groups when their last subscription goes, and re-adding a subscription replaces it', () => {
    const m = new Monitor<number>();
    const a = sub(1, 'x', { authors: [A] });
    const b = sub(2, 'x', { authors: [A] });
    m.add(a);
    m.add(b);
    m.add(a);
    expect(m.size).toBe(2);
    expect(owners(m.match(event()))).toEqual(['2/x', '1/x']);
    m.remove(a);
    expect(owners(m.match(event()))).toEqual(['2/x']);
    m.remove(b);
    m.remove(b);
    expect(m.size).toBe(0);
    expect(m.groupCount).toBe(0);
    expect(m.match(event())).toEqual([]);
  });

  it('keeps filters apart that differ in anything but since, until and limit', () => {
    const m = new Monitor<number>();
    const filters: Filter[] = [
      { authors: [A] },
      { authors: [A], kinds: [1] },
      { authors: [A], kinds: [] },
      { kinds: [1] },
      {},
      { ids: [] },
      { search: 'village' },
      { search: 'town' },
      { tags: new Map([['t', ['x']]]) },
      { tags: new Map([['p', ['x']]]) },
    ];
    filters.forEach((f, i) => m.add(sub(i, `s${i}`, f)));
    expect(m.groupCount).toBe(filters.length);
    const got = owners(m.match(event({ tags: [['t', 'x']] }))).sort();
    expect(got).toEqual(['0/s0', '1/s1', '3/s3', '4/s4', '6/s6', '8/s8'].sort());
  });
});
