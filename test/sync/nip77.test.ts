import { describe, expect, it } from 'vitest';
import { Author, now, RawClient, until } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { protocolHarness } from '../relay/setup.ts';
import { nip77 } from 'nostr-tools';
import { acceptAll } from '../../relay/policy.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { fakeEvent, reconcile, storeAll } from './helpers.ts';

const h = protocolHarness();
const sorted = (ids: string[]) => [...ids].sort();

async function authAs(c: RawClient, r: TestRelay, who: Author): Promise<void> {
  await c.req('wait', { limit: 0 });
  const e = who.sign({ kind: 22242, tags: [['relay', r.url], ['challenge', c.challenge!]], content: '' });
  c.send(['AUTH', e]);
  const ok = await c.next((f) => f[0] === 'OK' && f[1] === e.id);
  expect(ok[2]).toBe(true);
}

describe('NIP-77 negentropy sync (relay side)', () => {
  it('answers NEG-OPEN with a V1 message (0x61) and is advertised in NIP-11', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    c.send(['NEG-OPEN', 'n1', {}, '61']);
    const f = await c.next((f) => f[0] === 'NEG-MSG');
    expect(f[1]).toBe('n1');
    expect((f[2] as string).slice(0, 2)).toBe('61');
    const doc = (await (await fetch(r.url.replace('ws', 'http'), { headers: { accept: 'application/nostr+json' } })).json()) as { supported_nips: number[] };
    expect(doc.supported_nips).toContain(77);
  });

  it('a full reconciliation against a known set yields the exact have and need, small and large sets', async () => {
    const r = await h.relay();
    const t = now() - 10_000;
    for (const [relayOnly, both, clientOnly] of [
      [3, 5, 4],
      [400, 1500, 300],
    ] as const) {
      const base = t + relayOnly * 7;
      const a = Array.from({ length: relayOnly }, (_, i) => fakeEvent(base + (i % 50)));
      const b = Array.from({ length: both }, (_, i) => fakeEvent(base + (i % 90)));
      const cOnly = Array.from({ length: clientOnly }, (_, i) => fakeEvent(base + (i % 70)));
      await storeAll(r.relay.store, [...a, ...b]);
      const c = await h.raw(r);
      const kinds = { kinds: [1], since: base, until: base + 100 };
      const got = await reconcile(c, 'k', kinds, [...b, ...cOnly]);
      expect(got.error).toBeUndefined();
      expect(sorted(got.need)).toEqual(sorted(a.map((e) => e.id)));
      expect(sorted(got.have)).toEqual(sorted(cOnly.map((e) => e.id)));
    }
  });

  it('splits replies at the frame size limit and still converges (several rounds)', async () => {
    const r = await h.relay({ limits: { maxMessageBytes: 1024 } });
    const events = Array.from({ length: 2000 }, (_, i) => fakeEvent(now() - 5000 + (i % 300)));
    await storeAll(r.relay.store, events);
    const c = await h.raw(r);
    const got = await reconcile(c, 's', {}, [], 4096);
    expect(got.error).toBeUndefined();
    expect(got.rounds).toBeGreaterThan(1);
    expect(sorted(got.need)).toEqual(sorted(events.map((e) => e.id)));
  });

  it('never reveals DMs or gift wraps to a client that is not their party', async () => {
    const r = await h.relay();
    const alice = new Author();
    const bob = new Author();
    const dm = alice.sign({ kind: 4, tags: [['p', bob.pubkey]], content: 'secret?iv=x' });
    const wrap = new Author().sign({ kind: 1059, tags: [['p', bob.pubkey]], content: 'sealed' });
    const pub = alice.sign({ kind: 1, content: 'public' });
    const sender = await h.raw(r);
    for (const e of [dm, wrap, pub]) expect((await sender.publish(e))[0]).toBe(true);

    const anon = await h.raw(r);
    expect((await reconcile(anon, 'all', {}, [])).need).toEqual([pub.id]);
    expect((await reconcile(anon, 'dm', { kinds: [4] }, [])).error).toMatch(/^auth-required: /);
    // Knowing the ids does not help either: the relay's side simply lacks them.
    const probe = await reconcile(anon, 'probe', { authors: [alice.pubkey] }, [dm, pub]);
    expect(probe.have).toEqual([dm.id]);
    expect(probe.need).toEqual([]);

    const eve = await h.raw(r);
    await authAs(eve, r, new Author());
    expect((await reconcile(eve, 'all', {}, [])).need).toEqual([pub.id]);
    expect((await reconcile(eve, 'dm', { kinds: [4, 1059] }, [])).need).toEqual([]);

    const bobs = await h.raw(r);
    await authAs(bobs, r, bob);
    expect(sorted((await reconcile(bobs, 'dm', { kinds: [4, 1059] }, [])).need)).toEqual(sorted([dm.id, wrap.id]));
  });

  it('applies the read policies and authRequired as REQ does', async () => {
    const r = await startTestRelay({}, { policies: async () => ({ ...acceptAll, read: () => ({ action: 'reject', reason: 'blocked: no scraping here' }) }) });
    try {
      const c = await RawClient.open(r.url);
      expect((await reconcile(c, 'p', {}, [])).error).toBe('blocked: no scraping here');
      c.close();
    } finally {
      await r.destroy();
    }
    const locked = await h.relay({ nips: { authRequired: true } });
    const anon = await h.raw(locked);
    expect((await reconcile(anon, 'a', {}, [])).error).toMatch(/^auth-required: /);
    const member = await h.raw(locked);
    await authAs(member, locked, new Author());
    expect((await reconcile(member, 'a', {}, [])).error).toBeUndefined();
  });

  it('interoperates with nostr-tools NegentropySync (what DVMs and clients use)', async () => {
    const r = await h.relay();
    const relayOnly = Array.from({ length: 60 }, (_, i) => fakeEvent(now() - 500 + i));
    const both = Array.from({ length: 60 }, (_, i) => fakeEvent(now() - 400 + i));
    const clientOnly = Array.from({ length: 40 }, (_, i) => fakeEvent(now() - 300 + i));
    await storeAll(r.relay.store, [...relayOnly, ...both]);
    const client = await h.client(r);
    const storage = new nip77.NegentropyStorageVector();
    for (const e of [...both, ...clientOnly]) storage.insert(e.created_at, e.id);
    storage.seal();
    const have: string[] = [];
    const need: string[] = [];
    await new Promise<void>((resolve) => {
      const sync = new nip77.NegentropySync(client as never, storage, { kinds: [1] }, { onhave: (id) => have.push(id), onneed: (id) => need.push(id), onclose: () => resolve() });
      void sync.start();
    });
    expect(sorted(need)).toEqual(sorted(relayOnly.map((e) => e.id)));
    expect(sorted(have)).toEqual(sorted(clientOnly.map((e) => e.id)));
  });

  it('a re-used subid replaces the session; NEG-CLOSE frees it', async () => {
    const r = await h.relay();
    const notes = Array.from({ length: 3 }, () => fakeEvent(now() - 100, 1));
    const reactions = Array.from({ length: 2 }, () => fakeEvent(now() - 100, 7));
    await storeAll(r.relay.store, [...notes, ...reactions]);
    const c = await h.raw(r);
    c.send(['NEG-OPEN', 'x', { kinds: [1] }, '61']);
    await c.next((f) => f[0] === 'NEG-MSG');
    const second = await reconcile(c, 'x', { kinds: [7] }, []);
    expect(sorted(second.need)).toEqual(sorted(reactions.map((e) => e.id)));
    // reconcile() sent NEG-CLOSE: the session is gone.
    c.send(['NEG-MSG', 'x', '61']);
    expect((await c.next((f) => f[0] === 'NEG-ERR'))[2]).toMatch(/^closed: /);
  });

  it('refuses an over-limit query with NEG-ERR blocked:', async () => {
    const r = await h.relay({ limits: { maxCountScan: 1000 } });
    const t0 = now();
    await storeAll(r.relay.store, Array.from({ length: 1001 }, (_, i) => fakeEvent(t0 - 2000 + i)));
    const c = await h.raw(r);
    const over = await reconcile(c, 'big', {}, []);
    expect(over.error).toMatch(/^blocked: /);
    const under = await reconcile(c, 'small', { since: t0 - 1500 }, []);
    expect(under.error).toBeUndefined();
    expect(under.need.length).toBe(501);
  });

  it('bounds memory: sessions per connection, and records held relay-wide (freed when a connection goes)', async () => {
    const r = await h.relay({ limits: { maxCountScan: 1000 } });
    await storeAll(r.relay.store, Array.from({ length: 900 }, (_, i) => fakeEvent(now() - 2000 + i)));
    const first = await h.raw(r);
    for (const id of ['a', 'b', 'c', 'd']) {
      first.send(['NEG-OPEN', id, {}, '61']);
      expect((await first.next((f) => f[1] === id))[0]).toBe('NEG-MSG');
    }
    // 4 × 900 held of a budget of 4 × 1000: a fifth set does not fit, whoever asks.
    const second = await h.raw(r);
    second.send(['NEG-OPEN', 'e', {}, '61']);
    expect((await second.next((f) => f[1] === 'e'))[2]).toMatch(/^rate-limited: /);
    first.close();
    await until(() => r.relay.sessions.size === 1);
    second.send(['NEG-OPEN', 'e', {}, '61']);
    expect((await second.next((f) => f[1] === 'e'))[0]).toBe('NEG-MSG');
    // At most 8 open sessions on one connection.
    const third = await h.raw(r);
    for (let i = 0; i < 9; i++) third.send(['NEG-OPEN', `s${i}`, { limit: 1 }, '61']);
    const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => third.next((f) => f[1] === `s${i}`)));
    expect(answers.filter((f) => f[0] === 'NEG-MSG')).toHaveLength(8);
    expect(answers.find((f) => f[0] === 'NEG-ERR')![2]).toMatch(/^rate-limited: too many open negentropy sessions/);
  });

  it('closes an idle session with NEG-ERR closed: (limits.syncIdleSeconds)', async () => {
    const r = await h.relay({ limits: { syncIdleSeconds: 0.15 } });
    const c = await h.raw(r);
    c.send(['NEG-OPEN', 'idle', {}, '61']);
    await c.next((f) => f[0] === 'NEG-MSG');
    const err = await c.next((f) => f[0] === 'NEG-ERR');
    expect(err[1]).toBe('idle');
    expect(err[2]).toMatch(/^closed: /);
  });

  it('answers an unsupported protocol version with a single byte naming V1; garbage gets NEG-ERR', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    c.send(['NEG-OPEN', 'v', {}, '62']);
    expect(await c.next((f) => f[0] === 'NEG-MSG')).toEqual(['NEG-MSG', 'v', '61']);
    c.send(['NEG-OPEN', 'g', {}, '61ffffffffffffffffffff']);
    expect((await c.next((f) => f[0] === 'NEG-ERR'))[2]).toMatch(/^invalid: /);
    c.send(['NEG-OPEN', 'h', {}, 'zz']);
    expect((await c.next((f) => f[0] === 'NEG-ERR'))[2]).toMatch(/^invalid: /);
    c.send(['NEG-OPEN', 'f', { kinds: 'no' }, '61']);
    expect((await c.next((f) => f[0] === 'NEG-ERR'))[2]).toMatch(/^invalid: /);
    // The connection still works.
    c.send(['NEG-OPEN', 'ok', {}, '61']);
    expect((await c.next((f) => f[0] === 'NEG-MSG'))[1]).toBe('ok');
  });
});
