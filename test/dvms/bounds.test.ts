import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngagementIndex } from '../../dvms/signals/engagement.ts';
import { Interests } from '../../dvms/signals/interests.ts';
import { LabelIndex } from '../../dvms/signals/labels.ts';
import { PostIndex, postOf, type Post } from '../../dvms/signals/posts.ts';
import { quantise } from '../../dvms/signals/vectors.ts';
import { MAX_POST_WORDS, WordQuery } from '../../dvms/signals/words.ts';
import { ResultCache } from '../../dvms/runtime/cache.ts';
import { VillageVocabulary } from '../../dvms/tags/vocabulary.ts';
import { builtinEmbed, VectorIndex } from '../../models/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { until } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { Author, dvmPubkey, items, now, RawClient, runJob, startDvmRelay } from './helpers.ts';

const alice = new Author();
const bob = new Author();
const NO_CAP = { maxCount: Infinity, maxBytes: Infinity };

/** A long post: `n` distinct words (about 8 characters each). */
const longText = (n: number, salt: string) => Array.from({ length: n }, (_, i) => `w${salt}x${i}`).join(' ');
const post = (content: string, createdAt: number, author = alice): Post => postOf(author.sign({ content, created_at: createdAt }))!;

describe('the feeds keep no post text', () => {
  it('a post keeps the hashes of its words, not its content: muted words and topics still match, as whole words', () => {
    const p = post('The Village Market opens on Saturday; bring crypto-free cash and a basket', 1000);
    expect(Object.values(p).some((v) => typeof v === 'string' && v.includes('Market'))).toBe(false);
    expect(new WordQuery('market').in(p.words)).toBe(true);
    expect(new WordQuery('CRYPTO').in(p.words)).toBe(true);
    expect(new WordQuery('village market').in(p.words)).toBe(true); // a phrase: all its words
    expect(new WordQuery('mark').in(p.words)).toBe(false); // whole words only
    expect(new WordQuery('bitcoin').in(p.words)).toBe(false);
    expect(new WordQuery('!!!').in(p.words)).toBe(false); // no words: matches nothing
  });

  it('a 99 KB post costs a bounded few KB: at most MAX_POST_WORDS word hashes, no copy of its text', () => {
    const big = post(longText(11_000, 'big'), 1000);
    expect(big.words.length).toBe(MAX_POST_WORDS);
    expect(big.bytes).toBeLessThan(4 * MAX_POST_WORDS + 2000);
    const small = post('tomatoes in the garden', 1000);
    expect(small.bytes).toBeLessThan(1000);
  });
});

describe('in-memory indexes are bounded in count and bytes', () => {
  it('posts: the newest are kept, whatever order they arrive in; older ones are then turned away', () => {
    const removed: string[] = [];
    const index = new PostIndex({ maxCount: 100, maxBytes: Infinity }, (p) => removed.push(p.id));
    // newest first, as the signals load from LMDB
    const posts = Array.from({ length: 150 }, (_, i) => post(`post number ${i}`, 10_000 - i));
    const turnedAway = posts.filter((p) => !index.add(p)).map((p) => p.id);
    expect(index.size).toBeLessThanOrEqual(100);
    const kept = [...index.posts.values()].map((p) => p.createdAt);
    const newest = posts.slice(0, index.size).map((p) => p.createdAt);
    expect(kept.sort()).toEqual(newest.sort());
    expect(turnedAway.length).toBeGreaterThan(0);
    // every post not kept was turned away, or heard leaving (or both: shed as it came in)
    expect(new Set([...removed, ...turnedAway]).size).toBe(150 - index.size);
    expect(index.add(post('an old straggler', 1))).toBe(false);
    expect(index.add(post('a new post', 20_000))).toBe(true);
  });

  it('posts: the bytes cap holds with big posts and vectors; byAuthor follows', () => {
    const index = new PostIndex({ maxCount: 10_000, maxBytes: 100_000 });
    for (let i = 0; i < 60; i++) {
      const p = post(longText(1000, String(i)), 1000 + i, i % 2 ? alice : bob);
      index.add(p);
      index.setVector(p.id, quantise(builtinEmbed(`post ${i}`)));
      expect(index.bytes).toBeLessThanOrEqual(100_000);
    }
    expect(index.size).toBeGreaterThan(0);
    expect(index.size).toBeLessThan(60);
    const authorIds = [...index.byAuthor.values()].flatMap((s) => [...s]);
    expect(authorIds.sort()).toEqual([...index.posts.keys()].sort());
    expect(index.get([...index.posts.keys()][0]!)!.vector).toBeDefined();
  });

  it('engagement: past the cap the events engaged with longest ago are forgotten, person by person too', () => {
    const idx = new EngagementIndex({ maxCount: 50, maxBytes: Infinity });
    const people = Array.from({ length: 10 }, (_, i) => `person${i}`);
    for (let e = 0; e < 20; e++) for (const who of people) idx.add({ target: `event${e}`, who, kind: 'reaction', at: 1000 + e });
    expect(idx.size.acts).toBeLessThanOrEqual(50);
    expect(idx.get('event19')?.reactions).toBe(10);
    expect(idx.get('event0')).toBeUndefined();
    expect(idx.engagedWith('person3', 'event0')).toBe(false);
    expect(idx.engagedWith('person3', 'event19')).toBe(true);
    for (const m of idx.byPerson.values()) for (const id of m.keys()) expect(idx.get(id)).toBeDefined();
  });

  it('engagement: the bytes cap holds', () => {
    const idx = new EngagementIndex({ maxCount: Infinity, maxBytes: 50_000 });
    for (let e = 0; e < 500; e++) idx.add({ target: `event${e}`, who: `p${e % 7}`, kind: 'repost', at: e });
    expect(idx.size.bytes).toBeLessThanOrEqual(50_000);
    expect(idx.get('event499')).toBeDefined();
  });

  it('interests: at most maxCount people and maxBytes; the least recently used profile goes first', () => {
    const interests = new Interests({ maxCount: 20, maxBytes: 10_000_000 });
    const v = quantise(builtinEmbed('gardening tomatoes'));
    interests.add('keeper', 'e0', v, ['garden'], 'post');
    for (let i = 0; i < 100; i++) {
      interests.add(`person${i}`, `e${i}`, v, ['garden'], 'post');
      expect(interests.vector('keeper')).toBeDefined(); // asked for its feed: stays
    }
    expect(interests.size.people).toBe(20);
    expect(interests.vector('person0')).toBeUndefined();
    const tight = new Interests({ maxCount: 1000, maxBytes: 30_000 });
    for (let i = 0; i < 100; i++) tight.add(`person${i}`, `e${i}`, v, ['garden'], 'post');
    expect(tight.size.bytes).toBeLessThanOrEqual(30_000);
    expect(tight.size.people).toBeLessThan(100);
  });

  it('interests: one person who engages forever keeps a bounded profile, and an event counts once', () => {
    const interests = new Interests({ maxCount: 10, maxBytes: 10_000_000 });
    const v = quantise(builtinEmbed('bitcoin lightning'));
    for (let i = 0; i < 5000; i++) interests.add('busy', `event${i}`, v, [`tag${i}`], 'reaction');
    expect(interests.size.bytes).toBeLessThan(20_000);
    const before = interests.evidence('busy');
    interests.add('busy', 'event4999', v, [], 'reaction');
    expect(interests.evidence('busy')).toBe(before);
  });

  it('labels: only on wanted events, bounded, and forgotten with their post', () => {
    const labeler = new Author();
    const wanted = new Set(Array.from({ length: 30 }, (_, i) => `${i}`.padStart(64, '0')));
    const labels = new LabelIndex(() => true, { maxCount: 20, maxBytes: Infinity }, (id) => wanted.has(id));
    const label = (id: string, at: number) => labeler.sign({ kind: 1985, created_at: at, tags: [['L', 'ugc'], ['l', 'spam', 'ugc'], ['e', id]] });
    labels.apply(label('f'.repeat(64), 500)); // not a candidate post: not kept
    expect(labels.of('f'.repeat(64), bob.pubkey)).toBeUndefined();
    [...wanted].forEach((id, i) => labels.apply(label(id, 1000 + i)));
    expect(labels.size.targets).toBeLessThanOrEqual(20);
    expect(labels.of('29'.padStart(64, '0'), bob.pubkey)?.has('spam')).toBe(true);
    expect(labels.of('0'.padStart(64, '0'), bob.pubkey)).toBeUndefined();
    labels.forget('29'.padStart(64, '0'));
    expect(labels.of('29'.padStart(64, '0'), bob.pubkey)).toBeUndefined();
  });

  it('vector index: at most maxRows rows (the oldest go), and its buffer shrinks back', () => {
    const index = new VectorIndex(4, 8, 100);
    for (let i = 0; i < 1000; i++) index.add(`v${i}`, i, new Float32Array([1, 0, 0, i / 1000]));
    expect(index.size).toBeLessThanOrEqual(100);
    expect(index.has('v999')).toBe(true);
    expect(index.has('v0')).toBe(false);
    expect(index.search(new Float32Array([1, 0, 0, 0]), { k: 200 }).every((h) => h.createdAt >= 1000 - index.size)).toBe(true);
    const grown = index.bytes;
    expect(grown).toBeLessThanOrEqual(4 * 4 * 256);
    index.pruneBefore(995);
    expect(index.bytes).toBeLessThan(grown);
    expect(index.search(new Float32Array([1, 0, 0, 0]), { k: 10 }).map((h) => h.id).sort()).toEqual(['v995', 'v996', 'v997', 'v998', 'v999']);
  });

  it('feed results: bounded in bytes as well as entries', async () => {
    const cache = new ResultCache<number[]>({ ttlMs: 60_000, maxEntries: 100, maxBytes: 10_000, sizeOf: (r) => 100 * r.length });
    for (let i = 0; i < 20; i++) await cache.through(`k${i}`, async () => Array.from({ length: 10 }, () => i));
    expect(cache.size.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.size.entries).toBe(10);
    expect(cache.get('k19')).toHaveLength(10);
    expect(cache.get('k0')).toBeUndefined();
    // a result larger than the whole cache is served, not kept
    expect(await cache.through('huge', async () => Array.from({ length: 1000 }, () => 1))).toHaveLength(1000);
    expect(cache.get('huge')).toBeUndefined();
  });
});

describe('bounded signals in a running relay', () => {
  let relay: TestRelay;
  let client: RawClient;

  beforeAll(async () => {
    relay = await startDvmRelay({ dvms: { feeds: ['following'], maxPosts: 100, maxEngagements: 100 } });
    client = await RawClient.open(relay.url);
  });
  afterAll(async () => {
    client.close();
    await relay.destroy();
  });

  it('keeps the newest maxPosts posts: the feed serves those, and engagement with the others is forgotten', async () => {
    const t = now() - 3600;
    expect(await client.publish(alice.sign({ kind: 3, tags: [['p', bob.pubkey]] }))).toEqual([true, '']);
    const signals = relay.dvms!.signals!;
    const posts: NostrEvent[] = [];
    for (let i = 0; i < 150; i++) {
      const e = bob.sign({ content: `village note ${i}`, created_at: t + i });
      posts.push(e);
      // in process: a client would be rate-limited long before 150 posts
      expect((await relay.services.publish(e)).ok).toBe(true);
      if (i === 0) {
        // alice likes the first post while the feeds still hold it
        expect(await client.publish(alice.sign({ kind: 7, content: '+', tags: [['e', e.id]] }))).toEqual([true, '']);
        await until(() => signals.engagement.get(e.id) !== undefined);
      }
    }
    expect(await client.publish(alice.sign({ kind: 7, content: '+', tags: [['e', posts[149]!.id]] }))).toEqual([true, '']);
    await until(() => signals.engagement.get(posts[149]!.id) !== undefined);
    await signals.flush();
    expect(signals.posts.size).toBeLessThanOrEqual(100);
    expect(signals.posts.get(posts[149]!.id)?.vector).toBeDefined();
    expect(signals.posts.get(posts[0]!.id)).toBeUndefined();
    expect(signals.engagement.get(posts[0]!.id)).toBeUndefined();
    const { result } = await runJob(client, alice.sign({ kind: 5300, tags: [['p', dvmPubkey(relay, 'feed-following')], ['param', 'max_results', '200']] }));
    const ids = items(result!).map((i) => i[1]);
    expect(ids.length).toBe(signals.posts.size);
    expect(ids[0]).toBe(posts[149]!.id);
    expect(ids).not.toContain(posts[0]!.id);
  });
});

describe('the village vocabulary', () => {
  it('counts at most maxCounted distinct hashtags; the most used survive', async () => {
    const { startTestRelay } = await import('../helpers/relay.ts');
    const relay = await startTestRelay();
    try {
      const vocabulary = new VillageVocabulary(relay.services, { fixed: [], size: 5, kinds: [1], maxCounted: 50 });
      for (let i = 0; i < 200; i++) {
        const tags = [['t', `once${i}`], ...(i % 2 ? [['t', 'garden']] : [])];
        expect((await relay.services.publish(alice.sign({ content: `post ${i}`, tags }))).ok).toBe(true);
      }
      await relay.relay.drain();
      await until(() => vocabulary.terms().includes('garden'));
      expect(vocabulary.counted).toBeLessThanOrEqual(50);
      expect(vocabulary.terms()).toEqual(['garden']);
      vocabulary.close();
    } finally {
      await relay.destroy();
    }
  });
});
