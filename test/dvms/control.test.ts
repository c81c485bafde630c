import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEANING_DEFAULTS, meaningFile, saveMeaning, trainMeaning } from '../../models/index.ts';
import { meaningTokens } from '../../models/meaning/tokens.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { meaningCorpus } from '../models/meaningCorpus.ts';
import { Author, dvmPubkey, items, now, RawClient, runJob, startDvmRelay } from './helpers.ts';

/**
 * Member control of for-you: each advertised weight moves the ranking the way it says, saved
 * settings (kind 30078) stand in for params a client does not send, exclusion works by meaning,
 * reasons differ by item, and a spam ring reaches no feed. The village's meaning model is
 * trained first (as `hamlet train meaning` would) on a corpus where a topic is written in many
 * words: the gardening posts below never say "garden".
 */
let relay: TestRelay;
let client: RawClient;
const modelsDir = mkdtempSync(join(tmpdir(), 'hamlet-control-models-'));
const me = new Author();
const friend = new Author(); // I follow them; they post about cooking
const neighbour = new Author(); // likes what I like, and a music post
const gardener = new Author();
const musician = new Author();
const popularOne = new Author();
const fans = Array.from({ length: 5 }, () => new Author());
const ring = Array.from({ length: 3 }, () => new Author());
const garden = new Set<string>();
const cooking = new Set<string>();
const spam = new Set<string>();
const age = new Map<string, number>();
let coLiked: NostrEvent;
let popular: NostrEvent;

async function post(a: Author, content: string, ago: number, tags: string[][] = []): Promise<NostrEvent> {
  const e = a.sign({ content, tags, created_at: now() - ago });
  const [ok, msg] = await client.publish(e);
  if (!ok) throw new Error(msg);
  age.set(e.id, ago);
  return e;
}
const like = (a: Author, e: NostrEvent) => client.publish(a.sign({ kind: 7, content: '+', tags: [['e', e.id], ['p', e.pubkey]] }));

async function feed(params: Record<string, string> = {}, author = me): Promise<{ ids: string[]; rows: string[][] }> {
  const tags = [['p', dvmPubkey(relay, 'feed-for-you')], ['param', 'max_results', '60'], ...Object.entries(params).map(([k, v]) => ['param', k, v])];
  const { result, error } = await runJob(client, author.sign({ kind: 5300, content: '', tags }));
  if (!result) throw new Error(`no result: ${error?.content}`);
  const rows = items(result);
  return { ids: rows.map((r) => r[1]!), rows };
}
const rankIn = (ids: string[], id: string) => (ids.includes(id) ? ids.indexOf(id) : ids.length);
const meanRank = (ids: string[], set: Set<string>) => [...set].reduce((s, id) => s + rankIn(ids, id), 0) / set.size;
const share = (ids: string[], set: Set<string>, n = 5) => ids.slice(0, n).filter((id) => set.has(id)).length / n;
const meanAge = (ids: string[], n = 5) => ids.slice(0, n).reduce((s, id) => s + age.get(id)!, 0) / n;
const base = { max_per_author: '100' };

beforeAll(async () => {
  const corpus = meaningCorpus();
  saveMeaning(meaningFile(modelsDir), trainMeaning(() => corpus.map((p) => meaningTokens(p.text)), { ...MEANING_DEFAULTS, dims: 32 }));
  relay = await startDvmRelay({ models: { dir: modelsDir } });
  client = await RawClient.open(relay.url);
  await client.publish(me.sign({ kind: 3, tags: [['p', friend.pubkey]] }));
  // what I post and like: gardening, in the corpus's words
  await post(me, 'tomato seedling compost soil', 90_000);
  await post(me, 'raised bed watering and mulch', 80_000);
  const liked1 = await post(gardener, 'trowel pruning roses in the greenhouse', 70_000);
  const liked2 = await post(gardener, 'beans lettuce sprout fertiliser', 60_000);
  await like(me, liked1);
  await like(me, liked2);
  // more gardening, other words, older
  for (const [i, t] of ['harvest weeds allotment compost', 'greenhouse seedling tomato mulch', 'soil watering raised bed beans', 'roses pruning trowel lettuce'].entries()) garden.add((await post(gardener, t, 40_000 + i * 100)).id);
  // my friend cooks
  for (const [i, t] of ['recipe oven simmer garlic', 'onion sauce bake dough', 'flour spice pan roast'].entries()) cooking.add((await post(friend, t, 30_000 + i * 100)).id);
  // music: new; one co-liked by my neighbour, one liked by five fans
  await like(neighbour, liked1);
  await like(neighbour, liked2);
  coLiked = await post(musician, 'guitar chord melody drums', 600);
  await like(neighbour, coLiked);
  popular = await post(popularOne, 'concert album rehearsal tuning', 500);
  for (const f of fans) await like(f, popular);
  for (const [i, t] of ['amplifier lyrics chorus bass', 'piano setlist vinyl gig', 'drummer band concert melody'].entries()) await post(musician, t, 300 + i * 60);
  // a spam ring: hashtag-stuffed promos, each liking the others'
  for (const [i, a] of ring.entries()) {
    const tags = ['garden', 'tomato', 'compost', 'music', 'deal', 'free'].map((t) => ['t', t]);
    for (let k = 0; k < 2; k++) spam.add((await post(a, `cheap seeds deal ${i}${k} click now`, 200 + k, tags)).id);
  }
  for (const a of ring) for (const id of spam) await client.publish(a.sign({ kind: 7, content: '+', tags: [['e', id]] }));
}, 60_000);

afterAll(async () => {
  client?.close();
  await relay?.destroy();
  rmSync(modelsDir, { recursive: true, force: true });
});

describe('for-you: member control (issue 20)', () => {
  it('announces every weight with its type, range and default', async () => {
    const sub = 'ann';
    client.send(['REQ', sub, { kinds: [31990], authors: [dvmPubkey(relay, 'feed-for-you')] }]);
    const f = await client.next((f) => f[0] === 'EVENT' && f[1] === sub);
    client.send(['CLOSE', sub]);
    const params = JSON.parse((f[2] as NostrEvent).content).nip90Params as Record<string, { type: string; min: number; max: number; default: string }>;
    for (const p of ['relevance_weight', 'social_weight', 'trust_weight', 'popularity_weight', 'freshness_weight']) expect(params[p]).toMatchObject({ type: 'number', min: 0, max: 5, default: '1' });
    expect(params.recency_half_life_h).toMatchObject({ min: 0.5, max: 720 });
  });

  it('relevance_weight: more of what I post about (by meaning: these posts never say what mine say)', async () => {
    const low = await feed({ ...base, relevance_weight: '0' });
    const high = await feed({ ...base, relevance_weight: '5' });
    expect(share(high.ids, garden)).toBeGreaterThan(share(low.ids, garden));
    expect(meanRank(high.ids, garden)).toBeLessThan(meanRank(low.ids, garden));
  });

  it('trust_weight: the people I follow come up', async () => {
    const low = await feed({ ...base, trust_weight: '0' });
    const high = await feed({ ...base, trust_weight: '5' });
    expect(meanRank(high.ids, cooking)).toBeLessThan(meanRank(low.ids, cooking));
  });

  it('social_weight: what people with my taste liked comes up, and says so', async () => {
    const low = await feed({ ...base, social_weight: '0' });
    const high = await feed({ ...base, social_weight: '5' });
    expect(rankIn(high.ids, coLiked.id)).toBeLessThan(rankIn(low.ids, coLiked.id));
    const row = high.rows.find((r) => r[1] === coLiked.id)!;
    expect(row[3]).toBe('co_liked');
    expect(row[5]).toBe('liked by 1 person who likes what you like');
  });

  it('popularity_weight: what the village engages with comes up', async () => {
    const low = await feed({ ...base, popularity_weight: '0' });
    const high = await feed({ ...base, popularity_weight: '5' });
    expect(rankIn(high.ids, popular.id)).toBeLessThan(rankIn(low.ids, popular.id));
  });

  it('freshness_weight and recency_half_life_h: newer posts first', async () => {
    const stale = await feed({ ...base, freshness_weight: '0' });
    const fresh = await feed({ ...base, freshness_weight: '5' });
    expect(meanAge(fresh.ids)).toBeLessThan(meanAge(stale.ids));
    // the half-life: the posts of the last hour move up
    const newest = new Set([...age].filter(([id, a]) => a < 3600 && !spam.has(id)).map(([id]) => id));
    const long = await feed({ ...base, recency_half_life_h: '720' });
    const short = await feed({ ...base, recency_half_life_h: '0.5' });
    expect(meanRank(short.ids, newest)).toBeLessThan(meanRank(long.ids, newest));
  });

  it('exclude_topics works by meaning: gardening in other words leaves too, the rest stays', async () => {
    const all = await feed(base);
    expect(all.ids.filter((id) => garden.has(id)).length).toBeGreaterThan(0);
    const without = await feed({ ...base, exclude_topics: 'gardening' });
    expect(without.ids.filter((id) => garden.has(id))).toEqual([]);
    expect(without.ids.filter((id) => cooking.has(id)).length).toBe(cooking.size);
    expect(without.ids).toContain(popular.id);
  });

  it('reasons name the signal and differ between items', async () => {
    const { rows } = await feed(base);
    const details = new Set(rows.map((r) => r[5]));
    expect(details.size).toBeGreaterThanOrEqual(3);
    for (const r of rows) expect(r[5]).toMatch(/^(about|close to|from|liked by|popular|new in the village)/);
  });

  it('spam: the ring\'s stuffed posts reach no feed, and its likes make nothing popular', async () => {
    const { ids } = await feed(base);
    expect(ids.filter((id) => spam.has(id))).toEqual([]);
    const trending = await runJob(client, me.sign({ kind: 5300, content: '', tags: [['p', dvmPubkey(relay, 'feed-trending')], ['param', 'max_results', '60']] }));
    expect(items(trending.result!).filter((r) => spam.has(r[1]!))).toEqual([]);
    const topic = await runJob(client, me.sign({ kind: 5300, content: '', tags: [['p', dvmPubkey(relay, 'feed-topic')], ['param', 'topics', 'garden']] }));
    expect(items(topic.result!).filter((r) => spam.has(r[1]!))).toEqual([]);
  });

  it('saved settings (kind 30078) stand in for params the client does not send; a sent param wins', async () => {
    const explicit = await feed({ ...base, trust_weight: '5', relevance_weight: '0' });
    const [ok] = await client.publish(me.sign({ kind: 30078, tags: [['d', 'hamlet/feed-settings']], content: JSON.stringify({ trust_weight: '5', relevance_weight: '0', max_per_author: '100' }) }));
    expect(ok).toBe(true);
    const saved = await feed();
    expect(saved.ids).toEqual(explicit.ids);
    const overridden = await feed({ relevance_weight: '5' });
    expect(overridden.ids).toEqual((await feed({ ...base, trust_weight: '5', relevance_weight: '5' })).ids);
    // a broken settings event is as good as none
    await client.publish(me.sign({ kind: 30078, tags: [['d', 'hamlet/feed-settings']], content: 'not json', created_at: now() + 1 }));
    expect((await feed()).ids.length).toBeGreaterThan(0);
  });
});
