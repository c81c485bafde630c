import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Author, fetchEvents, publish, Relay, RawClient, until } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { httpUrl, rpc } from './helpers.ts';

const nip11 = async (t: TestRelay) =>
  (await (await fetch(httpUrl(t.url), { headers: { Accept: 'application/nostr+json' } })).json()) as Record<string, unknown>;

describe('NIP-86 methods, with their effects on WebSocket clients and NIP-11', () => {
  const admin = new Author();
  let t: TestRelay;
  let url: string;
  let client: Relay;
  const call = async (method: string, params: unknown[] = []) => {
    const r = await rpc(url, admin, method, params);
    expect(r.status, method).toBe(200);
    expect(r.body.error, method).toBeUndefined();
    return r.body.result;
  };

  beforeAll(async () => {
    t = await startTestRelay({
      relay: { admins: [admin.pubkey] },
      // Only the hold rule for the moderation queue: the default flood rules would get in the way.
      policies: { connection: [], read: [], write: [{ use: 'keywords', options: { keywords: ['needsreview'], action: 'hold', rule: 'content' } }] },
    });
    url = httpUrl(t.url);
    client = await Relay.connect(t.url);
  });
  afterAll(async () => {
    client.close();
    await t.destroy();
  });

  it('lists every method it implements in supportedmethods', async () => {
    expect(await call('supportedmethods')).toEqual(
      [
        'allowevent', 'allowkind', 'allowpubkey', 'banevent', 'banpubkey', 'blockip', 'changerelaydescription', 'changerelayicon',
        'changerelayname', 'disallowkind', 'listallowedkinds', 'listallowedpubkeys', 'listbannedevents', 'listbannedpubkeys',
        'listblockedips', 'listdisallowedkinds', 'listeventsneedingmoderation', 'supportedmethods', 'unallowpubkey', 'unbanpubkey', 'unblockip',
        // village moderation's case queue (moderation/methods.ts)
        'listcases', 'getcase', 'decidecase', 'moderationstats',
        // the commons' datasets (commons/methods.ts)
        'exportdataset', 'listdatasets', 'datasetsof',
        // the everyday questions of `hamlet insights ask` (cli/tools/insightMethods.ts)
        'askinsights',
      ].sort(),
    );
  });

  it('banpubkey / unbanpubkey / listbannedpubkeys take effect on the next EVENT and REQ', async () => {
    const troll = new Author();
    expect((await publish(client, troll.sign({ content: 'before the ban' }))).ok).toBe(true);
    const mine = async () => (await fetchEvents(client, [{ authors: [troll.pubkey] }])).events.length;
    expect(await mine()).toBe(1);
    expect(await call('banpubkey', [troll.pubkey, 'spam'])).toBe(true);
    expect(await call('listbannedpubkeys')).toEqual([{ pubkey: troll.pubkey, reason: 'spam' }]);
    const refused = await publish(client, troll.sign({ content: 'during the ban' }));
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/^blocked: /);
    expect(await mine()).toBe(0);
    expect(await call('unbanpubkey', [troll.pubkey])).toBe(true);
    expect(await call('listbannedpubkeys')).toEqual([]);
    expect(await mine()).toBe(1);
    expect((await publish(client, troll.sign({ content: 'after the ban' }))).ok).toBe(true);
  });

  it('allowpubkey turns the allowlist on; unallowpubkey empties it again', async () => {
    const member = new Author();
    const outsider = new Author();
    expect(await call('allowpubkey', [member.pubkey, 'member'])).toBe(true);
    expect(await call('listallowedpubkeys')).toEqual([{ pubkey: member.pubkey, reason: 'member' }]);
    expect((await publish(client, member.sign({ content: 'member speaks' }))).ok).toBe(true);
    const refused = await publish(client, outsider.sign({ content: 'outsider speaks' }));
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/^restricted: /) });
    expect(await call('unallowpubkey', [member.pubkey])).toBe(true);
    expect(await call('listallowedpubkeys')).toEqual([]);
    expect((await publish(client, outsider.sign({ content: 'outsider speaks again' }))).ok).toBe(true);
  });

  it('banevent removes a stored event from reads and refuses it again; allowevent lifts the ban', async () => {
    const author = new Author();
    const e = author.sign({ content: 'a post the moderators will remove' });
    expect((await publish(client, e)).ok).toBe(true);
    expect((await fetchEvents(client, [{ ids: [e.id] }])).events).toHaveLength(1);
    expect(await call('banevent', [e.id, 'off-topic'])).toBe(true);
    expect((await fetchEvents(client, [{ ids: [e.id] }])).events).toHaveLength(0);
    expect(await call('listbannedevents')).toEqual([{ id: e.id, reason: 'off-topic' }]);
    expect((await publish(client, e)).ok).toBe(false);
    expect(await call('allowevent', [e.id])).toBe(true);
    expect(await call('listbannedevents')).toEqual([]);
    expect((await publish(client, e)).ok).toBe(true);
  });

  it('listeventsneedingmoderation shows held events; allowevent releases one to readers', async () => {
    const author = new Author();
    const held = author.sign({ content: 'needsreview: is this fine?' });
    const r = await publish(client, held);
    expect(r.ok).toBe(true);
    const queue = (await call('listeventsneedingmoderation')) as Array<{ id: string; reason: string }>;
    expect(queue.map((q) => q.id)).toContain(held.id);
    expect((await fetchEvents(client, [{ ids: [held.id] }])).events).toHaveLength(0);
    expect(await call('allowevent', [held.id, 'fine'])).toBe(true);
    expect((await fetchEvents(client, [{ ids: [held.id] }])).events.map((x) => x.id)).toEqual([held.id]);
    expect(((await call('listeventsneedingmoderation')) as unknown[]).length).toBe(0);
  });

  it('allowkind / disallowkind / listallowedkinds', async () => {
    const author = new Author();
    expect(await call('disallowkind', [7])).toBe(true);
    const refused = await publish(client, author.sign({ kind: 7, content: '+' }));
    expect(refused).toEqual({ ok: false, message: 'blocked: kind 7 is not accepted here' });
    expect(await call('listdisallowedkinds')).toEqual([7]);
    expect(await call('allowkind', [1])).toBe(true);
    expect(await call('listallowedkinds')).toEqual([1]);
    expect((await publish(client, author.sign({ kind: 1, content: 'kind one is allowed' }))).ok).toBe(true);
    expect((await publish(client, author.sign({ kind: 30023, content: 'long form', tags: [['d', 'x']] }))).ok).toBe(false);
    // allowkind takes a kind off the disallowed list and onto the allowed one.
    expect(await call('allowkind', [7])).toBe(true);
    expect(await call('listallowedkinds')).toEqual([1, 7]);
    expect(await call('listdisallowedkinds')).toEqual([]);
    expect((await publish(client, author.sign({ kind: 7, content: '+' }))).ok).toBe(true);
  });

  it('rejects bad params with {"error"}', async () => {
    for (const [method, params] of [
      ['banpubkey', ['nope']],
      ['banevent', [42]],
      ['allowkind', [-1]],
      ['blockip', ['300.1.1.1']],
      ['changerelayname', [{}]],
    ] as const) {
      const r = await rpc(url, admin, method, [...params]);
      expect(r.body.error, method).toMatch(/^invalid: /);
    }
  });

  it('blockip closes open connections from the address and refuses new ones; unblockip lets them in', async () => {
    const raw = await RawClient.open(t.url);
    const closed = new Promise<number>((resolve) => raw.ws.once('close', (code) => resolve(code)));
    expect(await call('blockip', ['127.0.0.1', 'flood'])).toBe(true);
    expect(await closed).toBe(1008);
    expect(await call('listblockedips')).toEqual([{ ip: '127.0.0.1', reason: 'flood' }]);
    await expect(RawClient.open(t.url)).rejects.toThrow();
    expect(await call('unblockip', ['127.0.0.1'])).toBe(true);
    expect(await call('listblockedips')).toEqual([]);
    const again = await RawClient.open(t.url);
    again.ws.close();
    client = await Relay.connect(t.url);
  });

  it('changerelayname / description / icon show in NIP-11 at once and survive a restart', async () => {
    expect(await call('changerelayname', ['The Green'])).toBe(true);
    expect(await call('changerelaydescription', ['Our village square'])).toBe(true);
    expect(await call('changerelayicon', ['https://village.example/icon.png'])).toBe(true);
    expect(await nip11(t)).toMatchObject({ name: 'The Green', description: 'Our village square', icon: 'https://village.example/icon.png' });

    client.close();
    await t.close();
    t = await startTestRelay({ relay: { admins: [admin.pubkey] }, storage: { dataDir: t.dataDir } });
    url = httpUrl(t.url);
    client = await Relay.connect(t.url);
    await until(async () => (await nip11(t)).name === 'The Green');
    expect(await nip11(t)).toMatchObject({ description: 'Our village square', icon: 'https://village.example/icon.png' });
  });
});
