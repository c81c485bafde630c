import { describe, expect, it } from 'vitest';
import { generateSecretKey, getPublicKey, nip19 } from 'nostr-tools';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { TrustGraph } from '../../policies/trust/graph.ts';
import { toHexPubkey } from '../../relay/nostr/keys.ts';
import { signed } from './helpers.ts';

const person = () => {
  const sk = generateSecretKey();
  return { sk, pk: getPublicKey(sk) };
};

describe('trust graph', () => {
  it('walks stored follow lists from the members, loading each author once', () => {
    const [m, a, b, c] = [person(), person(), person(), person()];
    const stored: NostrEvent[] = [
      signed({ kind: 3, tags: [['p', a.pk]], created_at: 100 }, m.sk),
      signed({ kind: 3, tags: [['p', b.pk]] }, a.sk),
      signed({ kind: 3, tags: [['p', c.pk]] }, b.sk),
    ];
    const asked: string[][] = [];
    const g = new TrustGraph((pks) => (asked.push(pks), stored.filter((e) => pks.includes(e.pubkey))));
    g.configure([m.pk], 2);
    expect([g.distance(m.pk), g.distance(a.pk), g.distance(b.pk), g.distance(c.pk)]).toEqual([0, 1, 2, undefined]);
    expect(asked).toEqual([[m.pk], [a.pk]]);
    // A newer list from a member moves distances; an older one is ignored.
    g.update(signed({ kind: 3, tags: [['p', c.pk]], created_at: 50 }, m.sk));
    expect(g.distance(c.pk)).toBeUndefined();
    g.update(signed({ kind: 3, tags: [['p', c.pk]], created_at: 200 }, m.sk));
    expect(g.distance(c.pk)).toBe(1);
    expect(g.distance(a.pk)).toBeUndefined();
    expect(g.size).toBe(2);
  });

  it('is empty without members', () => {
    const g = new TrustGraph();
    expect(g.enabled).toBe(false);
    expect(g.distance(person().pk)).toBeUndefined();
  });

  it('reads hex and npub members', () => {
    const { pk } = person();
    expect(toHexPubkey(pk.toUpperCase())).toBe(pk);
    expect(toHexPubkey(nip19.npubEncode(pk))).toBe(pk);
    expect(() => toHexPubkey('alice')).toThrow(/not a pubkey/);
  });
});
