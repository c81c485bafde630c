import { describe, expect, it } from 'vitest';
import { actWeight, engagementOf, EngagementIndex, type Engagement } from '../../dvms/signals/engagement.ts';
import { FollowGraph } from '../../relay/nostr/followGraph.ts';
import { dotQ, quantise, normalise } from '../../dvms/signals/vectors.ts';
import { postOf } from '../../dvms/signals/posts.ts';
import { isEngagementBait } from '../../dvms/feeds/bait.ts';
import { takePage } from '../../dvms/feeds/page.ts';
import { coLikes } from '../../dvms/feeds/coLikes.ts';
import { builtinEmbed } from '../../models/index.ts';
import { Author } from '../helpers/client.ts';

const [a, b, c, d] = [new Author(), new Author(), new Author(), new Author()];
const target = a.sign({ content: 'a post' });

describe('signals', () => {
  it('reads reactions, dislikes, reposts, replies and zap receipts as engagement with the right target and person', () => {
    expect(engagementOf(b.sign({ kind: 7, content: '+', tags: [['e', 'x'.repeat(64)], ['e', target.id]] }))).toMatchObject({ target: target.id, who: b.pubkey, kind: 'reaction' });
    expect(engagementOf(b.sign({ kind: 7, content: '-', tags: [['e', target.id]] }))?.kind).toBe('dislike');
    expect(engagementOf(b.sign({ kind: 6, tags: [['e', target.id, 'wss://r']] }))?.kind).toBe('repost');
    const root = 'f'.repeat(64);
    expect(engagementOf(b.sign({ kind: 1, tags: [['e', root, '', 'root'], ['e', target.id, '', 'reply']] }))).toMatchObject({ target: target.id, kind: 'reply' });
    // a zap receipt is signed by the LNURL server; the sender is in the zap request
    const zapRequest = c.sign({ kind: 9734, tags: [['p', a.pubkey], ['e', target.id], ['amount', '21000']] });
    const receipt = d.sign({ kind: 9735, tags: [['p', a.pubkey], ['e', target.id], ['bolt11', 'lnbc210n1...'], ['description', JSON.stringify(zapRequest)]] });
    expect(engagementOf(receipt)).toMatchObject({ target: target.id, who: c.pubkey, kind: 'zap', sats: 21 });
    const forged = d.sign({ kind: 9735, tags: [['e', target.id], ['description', JSON.stringify(c.sign({ kind: 9734, tags: [['e', 'e'.repeat(64)]] }))]] });
    expect(engagementOf(forged)).toBeUndefined();
  });

  it('counts one engagement per person and kind', () => {
    const idx = new EngagementIndex();
    for (let i = 0; i < 5; i++) idx.add({ target: target.id, who: b.pubkey, kind: 'reaction', at: i });
    idx.add({ target: target.id, who: b.pubkey, kind: 'repost', at: 9 });
    expect(idx.count(target.id)).toBe(2);
    expect(idx.engagedWith(b.pubkey, target.id)).toBe(true);
  });

  it('keeps each post\'s engagers as numbers with their summed act weights, in step with who engaged, across pruning and renumbering', () => {
    const idx = new EngagementIndex();
    const people = Array.from({ length: 1500 }, (_, i) => `p${i}`);
    const kinds = ['reaction', 'repost', 'reply', 'zap', 'dislike'] as const;
    // old posts engaged by many (their people go when they are pruned), a few new posts by some
    for (let i = 0; i < 1500; i++) idx.add({ target: `old${i % 3}`, who: people[i]!, kind: kinds[i % 5]!, at: 10, sats: i });
    for (let i = 0; i < 40; i++) for (const kind of kinds) if ((i + kind.length) % 3) idx.add({ target: `new${i % 7}`, who: people[i * 3]!, kind, at: 100, sats: 5 });
    const expected = (e: Engagement) => [...e.by].map(([who, acts]) => [who, acts.reduce((w, a) => w + actWeight(a.kind, a.sats), 0)]);
    const compact = (e: Engagement) => [...e.by.keys()].map((_, slot) => [idx.numbers.names[e.people[slot]!], e.weights[slot]]);
    const check = () => {
      for (const e of idx.byEvent.values()) {
        const want = expected(e);
        const got = compact(e);
        expect(got.map((x) => x[0])).toEqual(want.map((x) => x[0]));
        got.forEach((x, i) => expect(x[1]).toBeCloseTo(want[i]![1] as number, 4));
      }
    };
    check();
    expect(idx.numbers.size).toBe(1500);
    idx.prune(50); // the old posts go, and with them most people: numbered afresh
    expect(idx.byEvent.size).toBe(7);
    expect(idx.numbers.size).toBe(40);
    check();
    idx.add({ target: 'new0', who: 'someone new', kind: 'zap', at: 101, sats: 1000 });
    idx.add({ target: 'new0', who: people[0]!, kind: 'reaction', at: 101 });
    check();
    expect(actWeight('zap', 1000)).toBeGreaterThan(actWeight('repost'));
    expect(actWeight('dislike')).toBe(0);
  });

  it('co-likes: a post scores by how much its engagers share the member\'s engagements, and a popular crowd counts little', () => {
    const idx = new EngagementIndex();
    const like = (who: string, target: string) => idx.add({ target, who, kind: 'reaction', at: 1 });
    const [me, alice, bob] = ['me', 'alice', 'bob'];
    const crowd = Array.from({ length: 10 }, (_, i) => `crowd${i}`);
    for (const t of ['A', 'B']) like(me, t);
    for (const t of ['A', 'B', 'X']) like(alice, t); // shares both of my posts
    for (const t of ['A', 'Y']) like(bob, t); // shares one
    like(crowd[0]!, 'A');
    for (const who of crowd) like(who, 'Z'); // liked by many, of whom one shares a post with me
    const scores = coLikes(idx, me);
    expect(scores.has('A')).toBe(false); // what I engaged with is not suggested
    expect(scores.get('X')).toEqual({ score: 1, neighbours: 1 });
    expect(scores.get('Y')!.score).toBeGreaterThan(scores.get('Z')!.score);
    expect(scores.get('X')!.score).toBeGreaterThan(scores.get('Y')!.score);
    expect(scores.get('Z')!.score).toBeLessThan(0.2);
    expect(coLikes(idx, me, (who) => who === alice).has('X')).toBe(false); // an excluded person counts for nothing
  });

  it('keeps hop distances (trust circles) and the newest follow list', () => {
    const g = new FollowGraph();
    g.apply(a.sign({ kind: 3, tags: [['p', b.pubkey]], created_at: 100 }));
    g.apply(b.sign({ kind: 3, tags: [['p', c.pubkey]], created_at: 100 }));
    g.apply(c.sign({ kind: 3, tags: [['p', d.pubkey]], created_at: 100 }));
    expect([...g.hops(a.pubkey, 3)]).toEqual([[a.pubkey, 0], [b.pubkey, 1], [c.pubkey, 2], [d.pubkey, 3]]);
    expect(g.apply(a.sign({ kind: 3, tags: [['p', d.pubkey]], created_at: 99 }))).toBe(false);
    expect(g.apply(a.sign({ kind: 3, tags: [['p', d.pubkey]], created_at: 101 }))).toBe(true);
    expect(g.hops(a.pubkey, 3).get(d.pubkey)).toBe(1);
  });

  it('quantised vectors keep cosine similarity', () => {
    const x = builtinEmbed('tomatoes in the garden beds');
    const y = builtinEmbed('garden beds full of tomatoes');
    const exact = x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(Math.abs(dotQ(x, quantise(y)) - exact)).toBeLessThan(0.02);
    expect(normalise(new Float32Array([3, 4]))).toEqual(new Float32Array([0.6, 0.8]));
  });

  it('flags engagement bait by the documented heuristic', () => {
    const post = (content: string, tags: string[][] = []) => postOf(a.sign({ content, tags }))!;
    expect(isEngagementBait(post('Repost if you agree!'))).toBe(true);
    expect(isEngagementBait(post('follow for follow'))).toBe(true);
    expect(isEngagementBait(post('THIS IS THE BEST THING EVER EVERYONE LOOK'))).toBe(true);
    expect(isEngagementBait(post('x', ['a', 'b', 'c', 'd', 'e', 'f'].map((t) => ['t', t])))).toBe(true);
    expect(isEngagementBait(post('The council meets on Tuesday about the bridge.'))).toBe(false);
  });

  it('diversifies a page: author cap holds, a topic takes at most half unless nothing else is left', () => {
    const ranked = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, pubkey: i < 6 ? 'alice' : `x${i}`, score: 10 - i, reason: 'village' as const, topic: i < 8 ? 'garden' : 'music' }));
    const page = takePage(ranked, new Set(), 4, 2);
    expect(page.filter((r) => r.pubkey === 'alice')).toHaveLength(2);
    expect(page.filter((r) => r.topic === 'garden')).toHaveLength(2);
    expect(page.map((r) => r.id)).toEqual(['p0', 'p1', 'p8', 'p9']);
    expect(takePage(ranked, new Set(['p0', 'p1']), 4, 2).map((r) => r.id)).toEqual(['p2', 'p3', 'p8', 'p9']);
  });
});
