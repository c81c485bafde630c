import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, dvmPubkey, items, now, RawClient, runJob, startDvmRelay, status } from './helpers.ts';

/**
 * Clients that send nothing (Amethyst's bare request): a quiet village where nothing was liked
 * in the last day, a member with her own topics, a newcomer with none; and what each DVM says
 * about itself (kind 0, 10002) and about each job (kind 7000).
 */
let relay: TestRelay;
let client: RawClient;
const alice = new Author(); // posts about bread
const bob = new Author(); // posts about bikes and gardens
const newcomer = new Author();
const stranger = new Author(); // has done nothing at all
const riders = Array.from({ length: 4 }, () => new Author());
const DAY = 86_400;
const posts = new Map<string, NostrEvent>();

async function publish(e: NostrEvent): Promise<NostrEvent> {
  const [ok, msg] = await client.publish(e);
  if (!ok) throw new Error(msg);
  return e;
}
async function post(a: Author, content: string, tag: string, ago: number): Promise<NostrEvent> {
  const e = await publish(a.sign({ content, tags: [['t', tag]], created_at: now() - ago }));
  posts.set(e.id, e);
  return e;
}

beforeAll(async () => {
  relay = await startDvmRelay({ dvms: { remoteRelays: ['ws://127.0.0.1:9'] } });
  client = await RawClient.open(relay.url);
  for (let i = 0; i < 3; i++) await post(alice, `sourdough bread baking, loaf number ${i}`, 'bread', 3 * DAY + i);
  for (let i = 0; i < 4; i++) {
    const p = await post(riders[i]!, `a bike ride past the garden, part ${i}`, i % 2 ? 'bikes' : 'garden', 3 * DAY + 100 + i);
    // liked three days ago: outside trending's usual reach (four 6-hour half-lives)
    await publish(alice.sign({ kind: 7, content: '+', tags: [['e', p.id]], created_at: now() - 3 * DAY + 50 }));
  }
  const fresh = await post(bob, 'the bike shop is open today', 'bikes', 600);
  await publish(newcomer.sign({ kind: 7, content: '+', tags: [['e', fresh.id]], created_at: now() - 60 }));
});

afterAll(async () => {
  client.close();
  await relay.destroy();
});

let seq = 0;
/** A bare request, as Amethyst sends it: only `p` (and a nonce so that two requests differ). */
async function bare(who: Author, dvm: string): Promise<{ list: string[][]; feedback: NostrEvent[]; result: NostrEvent }> {
  const { result, error, feedback } = await runJob(client, who.sign({ kind: 5300, tags: [['p', dvmPubkey(relay, dvm)], ['param', 'client_nonce', String(seq++)]] }));
  expect(error, JSON.stringify(error?.tags)).toBeUndefined();
  return { list: items(result!), feedback, result: result! };
}

describe('clients that send nothing', () => {
  it('trending in a quiet village looks further back, and says so; a fresh like still trends as usual', async () => {
    const { list } = await bare(newcomer, 'feed-trending');
    const old = list.filter((i) => posts.get(i[1]!)!.created_at < now() - 2 * DAY);
    expect(old).toHaveLength(4);
    for (const i of old) {
      expect(i[3]).toBe('trending');
      // five posts in all: it widens to the signals' whole window (a week)
      expect(i[5]).toBe('engaged with in the last 7 days: the village has been quiet lately');
    }
    const fresh = list.find((i) => posts.get(i[1]!)!.created_at > now() - DAY)!;
    expect(fresh[3]).toBe('trending');
    expect(fresh[5]).not.toMatch(/quiet/);
    expect(list[0]![1]).toBe(fresh[1]);
  });

  it('topic without a topic: the requester\'s own topics; a newcomer gets the village\'s', async () => {
    const mine = await bare(alice, 'feed-topic');
    // Alice liked bike and garden posts and wrote about bread (her own posts are never in her feed)
    expect(mine.list.length).toBeGreaterThan(0);
    const topics = new Set(mine.list.map((i) => i[3]));
    for (const t of topics) expect(['topic:bikes', 'topic:garden', 'topic:bread']).toContain(t);
    expect(mine.list.some((i) => posts.get(i[1]!)!.pubkey === alice.pubkey)).toBe(false);
    expect(mine.list.length).toBe(5);

    const theirs = await bare(stranger, 'feed-topic');
    expect(theirs.list.length).toBeGreaterThan(0);
    expect(theirs.list.some((i) => posts.get(i[1]!)!.pubkey === alice.pubkey)).toBe(true);
  });

  it('each DVM publishes a kind 0 profile (name, about, a data: picture) and a kind 10002 relay list', async () => {
    const keys = relay.dvms!.dvms;
    const profiles = (await client.req('k0', { kinds: [0], authors: keys.map((d) => d.pubkey) })).events;
    expect(profiles).toHaveLength(keys.length);
    for (const p of profiles) {
      const dvm = keys.find((d) => d.pubkey === p.pubkey)!;
      const c = JSON.parse(p.content) as Record<string, unknown>;
      expect(c.name).toBe(dvm.name);
      expect(String(c.about).length).toBeGreaterThan(20);
      expect(c.picture).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(String(c.picture).split(',')[1]!, 'base64').toString()).toMatch(/^<svg /);
      expect(c.bot).toBe(true);
    }
    const lists = (await client.req('k10002', { kinds: [10002], authors: keys.map((d) => d.pubkey) })).events;
    expect(lists).toHaveLength(keys.length);
    for (const l of lists) expect(l.tags).toEqual([['r', relay.url], ['r', 'ws://127.0.0.1:9']]);
  });

  it('re-publishes the profile when it changes (a renamed village), and keeps one per DVM', async () => {
    const before = (await client.req('p0', { kinds: [0], authors: [dvmPubkey(relay, 'feed-for-you')] })).events[0]!;
    client.close();
    await relay.close();
    relay = await startDvmRelay({ storage: { dataDir: relay.dataDir }, dvms: { name: 'Riverside' } });
    client = await RawClient.open(relay.url);
    const after = (await client.req('p1', { kinds: [0], authors: [dvmPubkey(relay, 'feed-for-you')] })).events;
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before.id);
    expect(JSON.parse(after[0]!.content).name).toBe('Riverside: For you');
    const lists = (await client.req('r1', { kinds: [10002], authors: [dvmPubkey(relay, 'feed-for-you')] })).events;
    expect(lists.map((l) => l.tags)).toEqual([[['r', relay.url]]]);
  });

  it('kind 7000: processing, then the result, then success', async () => {
    const req = alice.sign({ kind: 5300, tags: [['p', dvmPubkey(relay, 'feed-following')], ['param', 'client_nonce', 'x']] });
    const { result } = await runJob(client, req);
    expect(result).toBeDefined();
    let feedback: NostrEvent[] = [];
    for (let i = 0; i < 50 && !feedback.some((e) => status(e)[1] === 'success'); i++) {
      feedback = (await client.req(`f${i}`, { kinds: [7000], '#e': [req.id] })).events;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(feedback.map((e) => status(e)[1]).sort()).toEqual(['processing', 'success']);
    const success = feedback.find((e) => status(e)[1] === 'success')!;
    expect(success.tags).toContainEqual(['p', alice.pubkey]);
    expect(success.tags.find((t) => t[0] === 'e')![1]).toBe(req.id);
    expect(success.created_at).toBeGreaterThanOrEqual(result!.created_at);
  });
});
