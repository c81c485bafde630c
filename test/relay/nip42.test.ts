import { describe, expect, it } from 'vitest';
import { Author, now, type RawClient } from '../helpers/client.ts';
import { protocolHarness } from './setup.ts';
import type { TestRelay } from '../helpers/relay.ts';

const h = protocolHarness();

async function auth(c: RawClient, r: TestRelay, who: Author, over: { challenge?: string; relay?: string; kind?: number; created_at?: number } = {}) {
  const e = who.sign({
    kind: over.kind ?? 22242,
    created_at: over.created_at ?? now(),
    tags: [
      ['relay', over.relay ?? r.url],
      ['challenge', over.challenge ?? c.challenge!],
    ],
    content: '',
  });
  c.send(['AUTH', e]);
  const f = await c.next((f) => f[0] === 'OK' && f[1] === e.id);
  return [f[2], f[3]];
}

describe('NIP-42 authentication', () => {
  it('sends a challenge and accepts a valid AUTH; several pubkeys may authenticate', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    await c.req('wait', { limit: 0 });
    expect(c.challenge).toMatch(/^[0-9a-f]{32}$/);
    expect(await auth(c, r, new Author())).toEqual([true, '']);
    expect(await auth(c, r, new Author())).toEqual([true, '']);
  });

  it('refuses a wrong challenge, relay, kind, time or signature', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    await c.req('wait', { limit: 0 });
    const a = new Author();
    expect(await auth(c, r, a, { challenge: 'nope' })).toEqual([false, 'invalid: AUTH challenge does not match']);
    expect(await auth(c, r, a, { relay: 'wss://elsewhere.example' })).toEqual([false, 'invalid: AUTH relay tag does not name this relay']);
    expect(await auth(c, r, a, { kind: 1 })).toEqual([false, 'invalid: AUTH needs a kind 22242 event']);
    expect(await auth(c, r, a, { created_at: now() - 3600 })).toEqual([false, 'invalid: AUTH event created_at is too far from now']);
    const e = a.sign({ kind: 22242, tags: [['relay', r.url], ['challenge', c.challenge!]] });
    c.send(['AUTH', { ...e, sig: '0'.repeat(128) }]);
    expect((await c.next((f) => f[0] === 'OK'))[3]).toBe('invalid: AUTH event has a bad id or signature');
  });

  it('serves DMs and gift wraps only to their author or p-tagged recipient (REQ, COUNT, live)', async () => {
    const r = await h.relay();
    const alice = new Author();
    const bob = new Author();
    const eve = new Author();
    const sender = await h.raw(r);
    const dm = alice.sign({ kind: 4, tags: [['p', bob.pubkey]], content: 'secret?iv=x' });
    const wrap = new Author().sign({ kind: 1059, tags: [['p', bob.pubkey]], content: 'sealed' });
    const pub = alice.sign({ kind: 1, content: 'public' });
    for (const e of [dm, wrap, pub]) expect((await sender.publish(e))[0]).toBe(true);

    const anon = await h.raw(r);
    expect((await anon.req('dm', { kinds: [4] })).closed).toMatch(/^auth-required: /);
    anon.send(['COUNT', 'cnt', { kinds: [1059] }]);
    expect((await anon.next((f) => f[1] === 'cnt'))[0]).toBe('CLOSED');
    // A broad filter is served without the restricted kinds.
    expect((await anon.req('all', {})).events.map((e) => e.id)).toEqual([pub.id]);

    const snoop = await h.raw(r);
    await snoop.req('w', { limit: 0 });
    await auth(snoop, r, eve);
    expect((await snoop.req('dm', { kinds: [4, 1059] })).events).toEqual([]);

    const reader = await h.raw(r);
    await reader.req('w', { limit: 0 });
    await auth(reader, r, bob);
    expect((await reader.req('dm', { kinds: [4, 1059] })).events.map((e) => e.id).sort()).toEqual([dm.id, wrap.id].sort());
    reader.send(['COUNT', 'n', { kinds: [4, 1059] }]);
    expect(await reader.next((f) => f[0] === 'COUNT')).toEqual(['COUNT', 'n', { count: 2 }]);

    const author = await h.raw(r);
    await author.req('w', { limit: 0 });
    await auth(author, r, alice);
    expect((await author.req('dm', { kinds: [4] })).events).toEqual([dm]);

    // Live: only bob's connection receives a new DM to bob.
    const dm2 = alice.sign({ kind: 4, tags: [['p', bob.pubkey]], content: 'again?iv=y' });
    await reader.req('live', { kinds: [4], limit: 0 });
    await snoop.req('live', { kinds: [4], limit: 0 });
    await anon.req('live', { limit: 0 });
    await sender.publish(dm2);
    expect((await reader.next((f) => f[0] === 'EVENT' && f[1] === 'live'))[2]).toEqual(dm2);
    await new Promise((res) => setTimeout(res, 100));
    expect(snoop.pending().filter((f) => f[0] === 'EVENT')).toEqual([]);
    expect(anon.pending().filter((f) => f[0] === 'EVENT')).toEqual([]);
  });

  it('treats NIP-59 seals and NIP-17 rumors (13, 14, 15) as private by default: never served to third parties', async () => {
    const r = await h.relay();
    const alice = new Author();
    const bob = new Author();
    const sender = await h.raw(r);
    // A seal names its real sender and has no p tag: only its author may read it. A rumor is plain text.
    const seal = alice.sign({ kind: 13, tags: [], content: 'encrypted rumor' });
    const chat = alice.sign({ kind: 14, tags: [['p', bob.pubkey]], content: 'meet at the well at noon' });
    const file = alice.sign({ kind: 15, tags: [['p', bob.pubkey]], content: 'https://files.example/x' });
    const pub = alice.sign({ kind: 1, content: 'public' });
    for (const e of [seal, chat, file, pub]) expect((await sender.publish(e))[0]).toBe(true);

    const anon = await h.raw(r);
    expect((await anon.req('k', { kinds: [13] })).closed).toMatch(/^auth-required: /);
    expect((await anon.req('k14', { kinds: [14, 15] })).closed).toMatch(/^auth-required: /);
    expect((await anon.req('all', { authors: [alice.pubkey] })).events.map((e) => e.id)).toEqual([pub.id]);
    expect((await anon.req('ids', { ids: [seal.id, chat.id, file.id] })).events).toEqual([]);

    const eve = await h.raw(r);
    await eve.req('w', { limit: 0 });
    await auth(eve, r, new Author());
    expect((await eve.req('k', { kinds: [13, 14, 15] })).events).toEqual([]);

    const recipient = await h.raw(r);
    await recipient.req('w', { limit: 0 });
    await auth(recipient, r, bob);
    expect((await recipient.req('k', { kinds: [13, 14, 15] })).events.map((e) => e.id).sort()).toEqual([chat.id, file.id].sort());

    const own = await h.raw(r);
    await own.req('w', { limit: 0 });
    await auth(own, r, alice);
    expect((await own.req('k', { kinds: [13] })).events).toEqual([seal]);
  });

  it('with nips.authRequired, refuses everything before AUTH', async () => {
    const r = await h.relay({ nips: { authRequired: true } });
    const c = await h.raw(r);
    const a = new Author();
    expect((await c.publish(a.sign()))[1]).toMatch(/^auth-required: /);
    expect((await c.req('s', { kinds: [1] })).closed).toMatch(/^auth-required: /);
    await auth(c, r, a);
    expect(await c.publish(a.sign())).toEqual([true, '']);
    const nip11 = (await (await fetch(`http://127.0.0.1:${r.port}/`, { headers: { accept: 'application/nostr+json' } })).json()) as {
      limitation: { auth_required: boolean };
    };
    expect(nip11.limitation.auth_required).toBe(true);
  });
});
