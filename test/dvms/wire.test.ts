import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { REASONS } from '../../dvms/feeds/reasons.ts';
import { amethystParse, amethystRequest, Author, dvmPubkey, items, nostrudelRequest, now, RawClient, runJob, startDvmRelay, status } from './helpers.ts';

let relay: TestRelay;
let client: RawClient;
const alice = new Author();
const bob = new Author();
const carol = new Author();
const posts: NostrEvent[] = [];

beforeAll(async () => {
  relay = await startDvmRelay();
  client = await RawClient.open(relay.url);
  await client.publish(alice.sign({ kind: 3, tags: [['p', bob.pubkey]] }));
  const t = now() - 600;
  for (let i = 0; i < 12; i++) {
    const author = i % 2 ? bob : carol;
    const e = author.sign({ content: `note ${i} about the village garden and tomatoes`, tags: [['t', i % 3 ? 'garden' : 'market']], created_at: t + i });
    posts.push(e);
    await client.publish(e);
  }
});

afterAll(async () => {
  client.close();
  await relay.destroy();
});

const knownReason = (r: string) => r.startsWith('topic:') || r in REASONS;

describe('kind 5300 over a real WebSocket', () => {
  it("answers Amethyst's request: processing at once, then a 6300 Amethyst can parse", async () => {
    const dvm = dvmPubkey(relay, 'feed-for-you');
    const req = amethystRequest(alice, dvm, relay.url);
    const { feedback, result, error } = await runJob(client, req);
    expect(error).toBeUndefined();
    expect(feedback.map((f) => status(f)[1])).toContain('processing');
    expect(result!.kind).toBe(6300);
    expect(result!.pubkey).toBe(dvm);
    // NIP-90 result tags
    expect(JSON.parse(result!.tags.find((t) => t[0] === 'request')![1]!)).toEqual(req);
    expect(result!.tags).toContainEqual(['e', req.id, relay.url]);
    expect(result!.tags).toContainEqual(['p', alice.pubkey]);
    const ids = amethystParse(result!.content);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => posts.some((p) => p.id === id))).toBe(true);
    // extra elements: relay hint, reason code, score; best first
    const list = items(result!);
    for (const item of list) {
      expect(item[0]).toBe('e');
      expect(item[2]).toBe(relay.url);
      expect(knownReason(item[3]!)).toBe(true);
      expect(Number.isFinite(Number(item[4]))).toBe(true);
    }
    const scores = list.map((i) => Number(i[4]));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // default max_per_author 3: Bob and Carol each at most 3 on the page
    expect(list.filter((i) => posts.find((p) => p.id === i[1])!.pubkey === bob.pubkey).length).toBeLessThanOrEqual(3);
  });

  it('takes a request with no p tag (the default DVM answers) and a param user given as npub or p', async () => {
    const { nip19 } = await import('nostr-tools');
    const req = alice.sign({ kind: 5300, tags: [['param', 'user', nip19.npubEncode(alice.pubkey)], ['param', 'max_results', '2']] });
    const { result } = await runJob(client, req);
    expect(result!.pubkey).toBe(dvmPubkey(relay, 'feed-for-you'));
    expect(items(result!).length).toBe(2);
    const asP = bob.sign({ kind: 5300, tags: [['p', dvmPubkey(relay, 'feed-following')], ['param', 'p', alice.pubkey]] });
    const { result: r2 } = await runJob(client, asP);
    // the following feed of Alice (she follows Bob), though Bob sent the request
    const authors = items(r2!).map((i) => posts.find((p) => p.id === i[1])!.pubkey);
    expect(authors.length).toBeGreaterThan(0);
    expect(new Set(authors)).toEqual(new Set([bob.pubkey]));
    expect(items(r2!).every((i) => i[3] === 'followed')).toBe(true);
  });

  it("pages with noStrudel's chained i and with our cursor, never repeating an item", async () => {
    const dvm = dvmPubkey(relay, 'feed-following');
    const extra = [['param', 'max_results', '2']];
    const first = await runJob(client, nostrudelRequest(alice, dvm, relay.url, undefined, extra));
    const p1 = items(first.result!).map((i) => i[1]);
    const second = await runJob(client, nostrudelRequest(alice, dvm, relay.url, (JSON.parse(first.result!.tags.find((t) => t[0] === 'request')![1]!) as NostrEvent).id, extra));
    const p2 = items(second.result!).map((i) => i[1]);
    const cursor = second.result!.tags.find((t) => t[0] === 'cursor')![1]!;
    const third = await runJob(client, alice.sign({ kind: 5300, tags: [['p', dvm], ['param', 'max_results', '2'], ['param', 'cursor', cursor]] }));
    const p3 = items(third.result!).map((i) => i[1]);
    expect(p1).toHaveLength(2);
    expect(p2).toHaveLength(2);
    expect(p3).toHaveLength(2);
    expect(new Set([...p1, ...p2, ...p3]).size).toBe(6);
    // chronological: each page older than the one before
    const at = (id: string) => posts.find((p) => p.id === id)!.created_at;
    expect(Math.min(...p1.map(at))).toBeGreaterThan(Math.max(...p2.map(at)));
    expect(Math.min(...p2.map(at))).toBeGreaterThan(Math.max(...p3.map(at)));
  });

  it('answers bad params with error feedback that says why, and ignores unknown params', async () => {
    const dvm = dvmPubkey(relay, 'feed-for-you');
    for (const [param, value, words] of [
      ['max_results', 'lots', 'max_results'],
      ['wot_hops', '-1', 'wot_hops'],
      ['no_engagement_bait', 'maybe', 'true or false'],
      ['algorithm', 'astrology', 'algorithm'],
      ['user', 'not-a-key', 'user'],
      ['language', 'english', 'ISO-639-1'],
    ] as const) {
      const { error, result } = await runJob(client, alice.sign({ kind: 5300, tags: [['p', dvm], ['param', param, value]] }));
      expect(result).toBeUndefined();
      expect(status(error!)[1]).toBe('error');
      expect(status(error!)[2]).toContain(words);
      expect(error!.tags).toContainEqual(['p', alice.pubkey]);
    }
    const topicless = await runJob(client, alice.sign({ kind: 5300, tags: [['p', dvmPubkey(relay, 'feed-topic')]] }));
    // no topic: the requester's own topics (or the village's) stand in, as Amethyst sends none (issue 20)
    expect(topicless.error).toBeUndefined();
    for (const i of items(topicless.result!)) expect(i[3]).toMatch(/^topic:/);
    const badInput = await runJob(client, alice.sign({ kind: 5300, tags: [['p', dvm], ['i', 'x', 'carrier-pigeon']] }));
    expect(status(badInput.error!)[2]).toMatch(/input type/);
    const { result } = await runJob(client, alice.sign({ kind: 5300, tags: [['p', dvm], ['param', 'colour', 'blue'], ['param', 'max_results', '500']] }));
    // capped, not refused
    expect(items(result!).length).toBeGreaterThan(0);
  });

  it('copies clear i tags into the result and writes text/plain when asked', async () => {
    const dvm = dvmPubkey(relay, 'feed-topic');
    const req = alice.sign({ kind: 5300, tags: [['p', dvm], ['i', 'garden', 'text'], ['output', 'text/plain']] });
    const { result } = await runJob(client, req);
    expect(result!.tags).toContainEqual(['i', 'garden', 'text']);
    expect(result!.content).toMatch(/^1\. nostr:note1/);
    expect(result!.content).toContain('About garden');
  });

  it('leaves alone a request addressed to another provider', async () => {
    const other = new Author();
    const req = alice.sign({ kind: 5300, tags: [['p', other.pubkey]] });
    await expect(runJob(client, req, 1500)).rejects.toThrow(/no matching frame/);
  });
});
