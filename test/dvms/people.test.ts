import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, dvmPubkey, items, RawClient, runJob, startDvmRelay } from './helpers.ts';

/**
 * People to meet, in a village whose right answers are known. Alice gardens; she follows Bob and
 * Erin and mutes Mallory. Bob follows Carol (gardens too), Dave (liked what Alice liked), Frank
 * (bitcoin only), Mallory, and two of the village's own DVM keys; Erin follows Henry, whose posts
 * Alice liked. Gina gardens but is outside Alice's circles; a hashtag stuffer "gardens" too.
 */
let relay: TestRelay;
let client: RawClient;
const [alice, bob, carol, dave, erin, frank, gina, henry, mallory, stuffer] = Array.from({ length: 10 }, () => new Author());
const name = new Map([alice, bob, carol, dave, erin, frank, gina, henry, mallory].map((a, i) => [a.pubkey, 'alice bob carol dave erin frank gina henry mallory'.split(' ')[i]!]));

async function publish(e: NostrEvent): Promise<NostrEvent> {
  const [ok, msg] = await client.publish(e);
  if (!ok) throw new Error(msg);
  return e;
}
const post = (a: Author, content: string, tags: string[] = []) => publish(a.sign({ content, tags: tags.map((t) => ['t', t]) }));
const like = (a: Author, e: NostrEvent) => publish(a.sign({ kind: 7, content: '+', tags: [['e', e.id], ['p', e.pubkey]] }));

beforeAll(async () => {
  relay = await startDvmRelay();
  client = await RawClient.open(relay.url);
  const staff = [dvmPubkey(relay, 'feed-for-you'), dvmPubkey(relay, 'people')];
  await publish(alice.sign({ kind: 3, tags: [bob, erin].map((a) => ['p', a.pubkey]) }));
  await publish(bob.sign({ kind: 3, tags: [...[carol, dave, frank, mallory].map((a) => ['p', a.pubkey]), ...staff.map((pk) => ['p', pk])] }));
  await publish(erin.sign({ kind: 3, tags: [['p', henry.pubkey]] }));
  await publish(alice.sign({ kind: 10000, tags: [['p', mallory.pubkey]] }));
  await post(alice, 'raised garden beds and compost this spring', ['garden', 'compost']);
  await post(alice, 'my tomatoes in the garden', ['garden']);
  await post(carol, 'turning the compost heap in the garden', ['garden', 'compost']);
  await post(carol, 'garden seedlings under the window', ['garden']);
  await post(erin, 'erin in the garden', ['garden']);
  await post(mallory, 'mallory garden compost tips', ['garden', 'compost']);
  await post(gina, 'gina grows a garden with compost', ['garden', 'compost']);
  // a hashtag stuffer shares every topic, and is never suggested
  for (let i = 0; i < 2; i++) await post(stuffer, `buy seeds now ${i}`, ['garden', 'compost', 'seeds', 'sale', 'cheap', 'deal']);
  await post(frank, 'bitcoin node sync finished', ['bitcoin']);
  const news = await post(bob, 'the village fair is on saturday');
  const poem = await post(bob, 'a short poem about rain');
  for (const p of [news, poem]) for (const a of [alice, dave]) await like(a, p);
  for (const text of ['henry reads by the fire', 'henry cooked soup tonight']) await like(alice, await post(henry, text));
});

afterAll(async () => {
  client.close();
  await relay.destroy();
});

let seq = 0;
async function suggest(params: string[][] = [], who = alice): Promise<string[][]> {
  const req = who.sign({ kind: 5301, tags: [['p', dvmPubkey(relay, 'people')], ['param', 'nonce', String(seq++)], ...params] });
  const { result, error } = await runJob(client, req);
  expect(error, JSON.stringify(error?.tags)).toBeUndefined();
  expect(result!.kind).toBe(6301);
  return items(result!);
}

describe('people to meet (kind 5301)', () => {
  it('suggests people within the circle with reasons, never herself, her follows, her mutes or the village\'s keys', async () => {
    const list = await suggest();
    const who = list.map((p) => name.get(p[1]!) ?? p[1]!.slice(0, 8));
    for (const p of list) {
      expect(p[0]).toBe('p');
      expect(p[2]).toBe(relay.url);
      expect(Number(p[4])).toBeGreaterThan(0);
    }
    expect(new Set(who)).toEqual(new Set(['carol', 'dave', 'frank', 'henry']));
    const reason = new Map(list.map((p) => [name.get(p[1]!), p[3]!]));
    expect(reason.get('carol')).toMatch(/^shared_topics:(garden,compost|compost,garden)$/);
    expect(reason.get('dave')).toBe('liked_same_posts:2');
    expect(reason.get('henry')).toBe('you_liked:2');
    expect(reason.get('frank')).toBe('followed_by_follows:1');
    expect(list.find((p) => p[1] === carol.pubkey)![5]).toMatch(/^Also into (garden, compost|compost, garden)\.$/);
    expect(list.find((p) => p[1] === henry.pubkey)![5]).toBe('You engaged with 2 of their posts.');
    // the one sharing her topics comes first; the one vouched for only by her circle last
    expect(who[0]).toBe('carol');
    expect(who.at(-1)).toBe('frank');
  });

  it('wot_hops 0 reaches the whole village; topics narrows; max_results caps; the announcement types its params', async () => {
    const village = (await suggest([['param', 'wot_hops', '0']])).map((p) => name.get(p[1]!));
    expect(village).toContain('gina');
    expect(village).not.toContain('erin');
    expect(village).not.toContain('mallory');
    expect(village.indexOf('carol')).toBeLessThan(village.indexOf('gina'));
    const compost = (await suggest([['param', 'topics', 'compost'], ['param', 'wot_hops', '0']])).map((p) => name.get(p[1]!));
    expect(new Set(compost)).toEqual(new Set(['carol', 'gina']));
    expect(await suggest([['param', 'max_results', '1']])).toHaveLength(1);
    const { error } = await runJob(client, alice.sign({ kind: 5301, tags: [['param', 'wot_hops', 'far']] }));
    expect(error!.tags.find((t) => t[0] === 'status')![2]).toMatch(/wot_hops must be an integer/);

    const ann = (await client.req('a', { kinds: [31990], '#k': ['5301'] })).events;
    expect(ann).toHaveLength(1);
    const params = JSON.parse(ann[0]!.content).nip90Params as Record<string, { type: string; default?: string }>;
    expect(params.max_results).toMatchObject({ type: 'integer', default: '10' });
    expect(params.wot_hops).toMatchObject({ type: 'integer', default: '2' });
    expect(params.topics!.type).toBe('string[]');
  });
});
