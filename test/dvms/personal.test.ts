import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, dvmPubkey, items, now, RawClient, runJob, startDvmRelay } from './helpers.ts';

/**
 * A small village where the right answers are known: Alice gardens (she posts and likes
 * gardening), follows Bob; Dave (a stranger to her) posts about bitcoin; a labeler the village
 * trusts marks one post spam; Alice mutes Mallory and the word "crypto".
 */
let relay: TestRelay;
let client: RawClient;
const alice = new Author();
const bob = new Author();
const carol = new Author(); // followed by Bob: in Alice's circle at 2 hops
const dave = new Author();
const erin = new Author();
const mallory = new Author();
const labeler = new Author();
const strangers = Array.from({ length: 6 }, () => new Author());
const byId = new Map<string, NostrEvent>();
let spam: NostrEvent;
let bait: NostrEvent;
let french: NostrEvent;
let villageFavourite: NostrEvent;
let strangerFavourite: NostrEvent;

const GARDEN = ['tomatoes ripening in the raised garden beds', 'compost and mulch for the vegetable garden', 'planting garlic and onions in the garden this weekend', 'seed saving from heirloom tomatoes and beans', 'watering the garden beds early in the morning'];
const BITCOIN = ['bitcoin price and lightning channels', 'running a bitcoin node with lightning liquidity', 'bitcoin halving and mining difficulty', 'lightning wallet and bitcoin fees today'];

async function post(a: Author, content: string, tags: string[][] = [], ago = 300): Promise<NostrEvent> {
  const e = a.sign({ content, tags, created_at: now() - ago });
  byId.set(e.id, e);
  const [ok, msg] = await client.publish(e);
  if (!ok) throw new Error(msg);
  return e;
}

beforeAll(async () => {
  relay = await startDvmRelay({ dvms: { trustedLabelers: [labeler.pubkey] }, policies: { members: [alice.pubkey] } });
  client = await RawClient.open(relay.url);
  await client.publish(alice.sign({ kind: 3, tags: [['p', bob.pubkey], ['p', erin.pubkey]] }));
  await client.publish(bob.sign({ kind: 3, tags: [['p', carol.pubkey]] }));
  await client.publish(alice.sign({ kind: 10000, tags: [['p', mallory.pubkey], ['word', 'crypto']] }));
  // Alice's interests: her own gardening posts, and a like of one
  const own = await post(alice, 'my garden: tomatoes, beans and compost', [['t', 'garden']], 2000);
  void own;
  const liked = await post(erin, 'mulch keeps the garden beds moist', [['t', 'garden']], 1900);
  await client.publish(alice.sign({ kind: 7, content: '+', tags: [['e', liked.id], ['p', erin.pubkey]] }));
  let i = 0;
  for (const text of GARDEN) await post(dave, text, [['t', 'garden']], 600 + i++ * 10);
  for (const text of BITCOIN) await post(dave, text, [['t', 'bitcoin']], 600 + i++ * 10);
  for (const text of GARDEN) await post(carol, text + ' again', [['t', 'garden']], 700 + i++ * 10);
  await post(mallory, 'tomatoes and garden beds from mallory', [['t', 'garden']], 500);
  await post(erin, 'new crypto token for gardeners, tomatoes', [['t', 'garden']], 500);
  spam = await post(erin, 'cheap garden tomatoes seeds click here', [['t', 'garden']], 450);
  await client.publish(labeler.sign({ kind: 1985, tags: [['L', 'social.nos.ontology'], ['l', 'spam', 'social.nos.ontology'], ['e', spam.id]] }));
  bait = await post(erin, 'Like if you love tomatoes in your garden beds', [['t', 'garden']], 440);
  french = await post(erin, 'les tomates du jardin sont mûres', [['t', 'garden'], ['L', 'ISO-639-1'], ['l', 'fr', 'ISO-639-1']], 430);
  // trending: a post liked by two people Alice trusts vs one liked by six strangers
  villageFavourite = await post(dave, 'village market on saturday', [['t', 'market']], 400);
  strangerFavourite = await post(dave, 'buy my market stall goods', [['t', 'market']], 400);
  for (const a of [bob, erin]) await client.publish(a.sign({ kind: 7, content: '+', tags: [['e', villageFavourite.id]] }));
  for (const s of strangers) await client.publish(s.sign({ kind: 7, content: '🔥', tags: [['e', strangerFavourite.id]] }));
});

afterAll(async () => {
  client.close();
  await relay.destroy();
});

let seq = 0;
async function feed(dvm: string, extra: string[][] = []): Promise<{ list: string[][]; events: NostrEvent[] }> {
  // a client's nonce: the same request twice in one second would be one event (the same id)
  const tags = [['p', dvmPubkey(relay, dvm)], ['param', 'max_results', '50'], ['param', 'client_nonce', String(seq++)], ...extra];
  const { result, error } = await runJob(client, alice.sign({ kind: 5300, tags }));
  if (error) throw new Error(JSON.stringify(error.tags));
  const list = items(result!);
  return { list, events: list.map((i) => byId.get(i[1]!)!) };
}

describe('personalised feeds', () => {
  it('for-you puts what matches her interests first, says why, and leaves out her own and already-liked posts', async () => {
    const { list, events } = await feed('feed-for-you', [['param', 'max_per_author', '20']]);
    expect(events.every(Boolean)).toBe(true);
    const top = events.slice(0, 8);
    expect(top.filter((e) => e.tags.some((t) => t[1] === 'garden')).length).toBeGreaterThanOrEqual(7);
    const bitcoinRanks = events.flatMap((e, i) => (e.tags.some((t) => t[1] === 'bitcoin') ? [i] : []));
    const gardenRanks = events.flatMap((e, i) => (e.tags.some((t) => t[1] === 'garden') ? [i] : []));
    expect(Math.min(...bitcoinRanks)).toBeGreaterThan(Math.min(...gardenRanks));
    expect(events.some((e) => e.pubkey === alice.pubkey)).toBe(false);
    expect(events.some((e) => e.content.startsWith('mulch'))).toBe(false);
    // explanations: every item has a code; Carol (2 hops) shows as in_your_circles or by relevance
    expect(list.every((i) => typeof i[3] === 'string' && i[3].length > 0)).toBe(true);
    expect(new Set(list.map((i) => i[3]))).toContain('similar_to_your_posts');
  });

  it('honours mutes (people and words) and hides labelled posts; hide_labels=none shows them', async () => {
    const { events } = await feed('feed-for-you', [['param', 'max_per_author', '50']]);
    expect(events.some((e) => e.pubkey === mallory.pubkey)).toBe(false);
    expect(events.some((e) => e.content.includes('crypto'))).toBe(false);
    expect(events.some((e) => e.id === spam.id)).toBe(false);
    const shown = await feed('feed-for-you', [['param', 'max_per_author', '50'], ['param', 'hide_labels', 'none']]);
    expect(shown.events.some((e) => e.id === spam.id)).toBe(true);
    expect(shown.events.some((e) => e.pubkey === mallory.pubkey)).toBe(false);
  });

  it('applies no_engagement_bait, language, exclude_topics, wot_hops and max_per_author', async () => {
    const all = await feed('feed-for-you', [['param', 'max_per_author', '50']]);
    expect(all.events.some((e) => e.id === bait.id)).toBe(true);
    expect(all.events.some((e) => e.id === french.id)).toBe(true);
    const tuned = await feed('feed-for-you', [['param', 'max_per_author', '50'], ['param', 'no_engagement_bait', 'true'], ['param', 'language', 'en'], ['param', 'exclude_topics', 'bitcoin']]);
    expect(tuned.events.some((e) => e.id === bait.id)).toBe(false);
    expect(tuned.events.some((e) => e.id === french.id)).toBe(false);
    expect(tuned.events.some((e) => e.tags.some((t) => t[1] === 'bitcoin'))).toBe(false);
    const circle = await feed('feed-for-you', [['param', 'wot_hops', '2'], ['param', 'max_per_author', '50']]);
    expect(new Set(circle.events.map((e) => e.pubkey))).toEqual(new Set([erin.pubkey, carol.pubkey]));
    const capped = await feed('feed-for-you', [['param', 'max_per_author', '2']]);
    const counts = new Map<string, number>();
    for (const e of capped.events) counts.set(e.pubkey, (counts.get(e.pubkey) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
  });

  it('trending weighs who engaged: two trusted likes beat six strangers', async () => {
    const { list, events } = await feed('feed-trending');
    const a = events.findIndex((e) => e.id === villageFavourite.id);
    const b = events.findIndex((e) => e.id === strangerFavourite.id);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    expect(list[a]![3]).toBe('liked_by_follows');
  });

  it('topic feed finds posts by hashtag and by similar text, with topic reasons', async () => {
    const { list, events } = await feed('feed-topic', [['param', 'topics', 'bitcoin'], ['param', 'max_per_author', '50']]);
    expect(events.length).toBeGreaterThanOrEqual(BITCOIN.length);
    expect(events.slice(0, BITCOIN.length).every((e) => e.tags.some((t) => t[1] === 'bitcoin'))).toBe(true);
    expect(list.every((i) => i[3] === 'topic:bitcoin')).toBe(true);
    const text = await feed('feed-topic', [['param', 'max_per_author', '50']].concat([['i', 'lightning channels and node liquidity', 'text']]));
    expect(text.events[0]!.tags.some((t) => t[1] === 'bitcoin')).toBe(true);
  });

  it('takes the hashtags of her interest list (kind 10015) as topics for her for-you feed', async () => {
    const [ok, msg] = await client.publish(alice.sign({ kind: 10015, tags: [['t', 'bitcoin']] }));
    expect(msg).toBe('');
    expect(ok).toBe(true);
    const { list, events } = await feed('feed-for-you', [['param', 'max_per_author', '50']]);
    const isBitcoin = (e: NostrEvent) => e.tags.some((t) => t[1] === 'bitcoin');
    const bitcoinRanks = events.flatMap((e, i) => (isBitcoin(e) ? [i] : []));
    expect(bitcoinRanks).toHaveLength(BITCOIN.length);
    expect(bitcoinRanks.map((i) => list[i]![3])).toEqual(BITCOIN.map(() => 'topic:bitcoin'));
    // her interests still count: bitcoin now comes among her gardening, no longer after all of it
    const lastGarden = Math.max(...events.flatMap((e, i) => (e.tags.some((t) => t[1] === 'garden') ? [i] : [])));
    expect(Math.max(...bitcoinRanks)).toBeLessThan(lastGarden);
  });

  it('learns from new events at once: a new follow shows up in the following feed', async () => {
    const before = await feed('feed-following');
    expect(before.events.some((e) => e.pubkey === dave.pubkey)).toBe(false);
    await client.publish(alice.sign({ kind: 3, tags: [['p', bob.pubkey], ['p', erin.pubkey], ['p', dave.pubkey]], created_at: now() + 1 }));
    const after = await feed('feed-following', [['param', 'max_per_author', '100']]);
    expect(after.events.some((e) => e.pubkey === dave.pubkey)).toBe(true);
  });
});
