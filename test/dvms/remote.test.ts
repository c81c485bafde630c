import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { until } from '../helpers/client.ts';
import { amethystParse, Author, dvmPubkey, now, RawClient, runJob, startDvmRelay, status } from './helpers.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

/** A second Hamlet relay (no DVMs) plays the remote relay our DVMs take jobs from. */
let remote: TestRelay;
let home: TestRelay;
let atRemote: RawClient;
let atHome: RawClient;
const alice = new Author();
const bob = new Author();

beforeAll(async () => {
  remote = await startTestRelay();
  home = await startDvmRelay({ dvms: { remoteRelays: [remote.url], remoteJobsPerMinute: 4 } });
  atHome = await RawClient.open(home.url);
  atRemote = await RawClient.open(remote.url);
  await atHome.publish(alice.sign({ kind: 3, tags: [['p', bob.pubkey]] }));
  for (let i = 0; i < 4; i++) await atHome.publish(bob.sign({ content: `home relay note ${i}`, created_at: now() - 50 + i }));
});

afterAll(async () => {
  atHome.close();
  atRemote.close();
  await home.destroy();
  await remote.destroy();
});

describe('jobs from a remote relay', () => {
  it('takes a request published only on the remote relay and answers there (and at home)', async () => {
    const dvm = dvmPubkey(home, 'feed-following');
    const req = alice.sign({ kind: 5300, tags: [['p', dvm], ['param', 'max_results', '3']] });
    const { result, feedback } = await runJob(atRemote, req);
    expect(feedback.map((f) => status(f)[1])).toContain('processing');
    expect(result!.pubkey).toBe(dvm);
    expect(amethystParse(result!.content)).toHaveLength(3);
    // the relay hint names the home relay, where the items are
    expect(result!.tags).toContainEqual(['e', req.id, home.url]);
    // The DVM publishes to both relays at once: the remote copy can arrive before home commits its own.
    const atHome6300 = async () => (await atHome.req('r', { kinds: [6300], '#e': [req.id] })).events.map((e) => e.id);
    await until(async () => (await atHome6300()).length > 0, 8000);
    expect(await atHome6300()).toEqual([result!.id]);
  });

  it('answers once when the same request arrives from both relays', async () => {
    const dvm = dvmPubkey(home, 'feed-following');
    const req = alice.sign({ kind: 5300, tags: [['p', dvm], ['relays', remote.url, home.url]] });
    await atRemote.publish(req);
    await atHome.publish(req);
    await until(async () => (await atRemote.req('x', { kinds: [6300], '#e': [req.id] })).events.length > 0 && (await atHome.req('y', { kinds: [6300], '#e': [req.id] })).events.length > 0, 8000);
    const r = await atRemote.req('x2', { kinds: [6300, 7000], '#e': [req.id] });
    const h = await atHome.req('y2', { kinds: [6300, 7000], '#e': [req.id] });
    expect(r.events.filter((e) => e.kind === 6300)).toHaveLength(1);
    expect(h.events.filter((e) => e.kind === 6300)).toHaveLength(1);
    expect(h.events.filter((e) => e.kind === 7000 && status(e)[1] === 'processing')).toHaveLength(1);
  });

  it('publishes its announcements and heartbeats to the remote relay too', async () => {
    // the four feeds and the people DVM
    await until(async () => (await atRemote.req('a', { kinds: [31990] })).events.length === 5, 8000);
    const beats = await atRemote.req('h', { kinds: [11998], authors: home.dvms!.dvms.map((d) => d.pubkey) });
    expect(beats.events).toHaveLength(5);
  });

  it('holds a remote customer to dvms.remoteJobsPerMinute: past it, an error feedback says why', async () => {
    const dvm = dvmPubkey(home, 'feed-following');
    const carol = new Author();
    // one clock reading: were now() read per request, a second ticking over between two of them
    // gave both the same created_at, hence the same id, and the second publish a "duplicate:"
    const t = now();
    const requests = Array.from({ length: 6 }, (_, i) => carol.sign({ kind: 5300, tags: [['p', dvm], ['param', 'max_results', '1']], created_at: t - i }));
    const ids = requests.map((r) => r.id);
    // One live subscription, opened first, sees every answer. (Polling with a REQ every few ms
    // spent the remote relay's read rate limit, 200 at once from one address, within seconds on a
    // slow machine; its REQs then came back CLOSED and empty until the test timed out.)
    atRemote.send(['REQ', 'rl', { kinds: [6300, 7000], '#e': ids }]);
    await atRemote.next((f) => f[0] === 'EOSE' && f[1] === 'rl');
    for (const r of requests) expect(await atRemote.publish(r)).toEqual([true, '']);
    const answers: NostrEvent[] = [];
    const isAnswer = (e: NostrEvent) => e.kind === 6300 || status(e)[1] === 'error';
    // however slow a loaded machine makes the remote round trips (within the 30 s test timeout)
    const end = Date.now() + 25_000;
    while (answers.filter(isAnswer).length < 6) {
      const f = await atRemote.next((f) => f[1] === 'rl' && (f[0] === 'EVENT' || f[0] === 'CLOSED'), Math.max(1, end - Date.now()));
      expect(f[0], `subscription closed: ${String(f[2])}`).toBe('EVENT');
      answers.push(f[2] as NostrEvent);
    }
    atRemote.send(['CLOSE', 'rl']);
    expect(answers.filter((e) => e.kind === 6300)).toHaveLength(4);
    const refused = answers.filter((e) => e.kind === 7000 && status(e)[1] === 'error');
    expect(refused).toHaveLength(2);
    expect(status(refused[0]!)[2]).toMatch(/^rate-limited: at most 4 requests a minute/);
  });
});
