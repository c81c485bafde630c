import { afterEach, describe, expect, it } from 'vitest';
import { acceptAll } from '../../relay/policy.ts';
import { createPolicyEngine } from '../../policies/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, now, RawClient } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { reconcile } from '../sync/helpers.ts';
import { authHeader, httpUrl, post, rpc, sha256 } from '../management/helpers.ts';

/**
 * Restricted kinds (DMs, gift wraps, and one the operator added) reach only their author and
 * p-tagged recipients: through REQ, COUNT, live delivery and NIP-77 sync. NIP-70 protected
 * events are accepted only from their authenticated author.
 */

const RESTRICTED = [4, 1059, 4444];
const relays: TestRelay[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of relays.splice(0)) await r.destroy();
});

async function client(relay: TestRelay, as?: Author): Promise<RawClient> {
  const c = await RawClient.open(relay.url);
  clients.push(c);
  await c.req('hello', { limit: 0 }); // the challenge has arrived once anything has
  if (as) {
    const e = as.sign({ kind: 22242, created_at: now(), tags: [['relay', relay.url], ['challenge', c.challenge!]], content: '' });
    c.send(['AUTH', e]);
    expect(await c.next((f) => f[0] === 'OK' && f[1] === e.id)).toEqual(['OK', e.id, true, '']);
  }
  return c;
}

let n = 0;
async function count(c: RawClient, filter: object): Promise<number | string> {
  const id = `count${n++}`;
  c.send(['COUNT', id, filter]);
  const f = await c.next((f) => (f[0] === 'COUNT' || f[0] === 'CLOSED') && f[1] === id);
  return f[0] === 'CLOSED' ? (f[2] as string) : (f[2] as { count: number }).count;
}

describe('no leaks of restricted kinds', () => {
  it('DMs, gift wraps and operator-restricted kinds reach only their parties through REQ, COUNT, live delivery and NIP-77', async () => {
    const relay = await startTestRelay({ nips: { restrictedKinds: RESTRICTED } }, { policies: async () => acceptAll });
    relays.push(relay);
    const [alice, bob, carol, wrapper] = [new Author(), new Author(), new Author(), new Author()];
    const t0 = now() - 10;
    const secret = (kind: number, from: Author) => from.sign({ kind, content: `secret ${kind}`, tags: [['p', bob.pubkey]], created_at: t0 });
    const dm = secret(4, alice);
    const wrap = secret(1059, wrapper);
    const custom = secret(4444, alice);
    const hidden = [dm, wrap, custom];
    const hiddenIds = new Set(hidden.map((e) => e.id));
    // One public note that every probe below also matches: the probes do find things.
    const pub = alice.sign({ content: 'secret but public', tags: [['p', bob.pubkey]], created_at: t0 });

    const probes: object[] = [
      {},
      { ids: [...hiddenIds, pub.id] },
      { authors: [alice.pubkey, wrapper.pubkey] },
      { '#p': [bob.pubkey] },
      { search: 'secret' },
      { since: t0 - 1, until: t0 + 1 },
      { kinds: [1, ...RESTRICTED] },
    ];
    const outsiders = { anonymous: await client(relay), carol: await client(relay, carol) };
    const parties = { bob: await client(relay, bob), alice: await client(relay, alice) };
    // Live subscriptions opened before anything is published.
    for (const c of [...Object.values(outsiders), ...Object.values(parties)]) {
      probes.forEach((f, i) => c.send(['REQ', `live${i}`, f]));
    }
    const publisher = await client(relay);
    for (const e of [...hidden, pub]) expect(await publisher.publish(e)).toEqual([true, '']);
    // Live delivery is in commit order: once the last public note has arrived, everything has.
    const sentinel = alice.sign({ content: 'sentinel', tags: [['p', bob.pubkey]], created_at: t0 });
    expect(await publisher.publish(sentinel)).toEqual([true, '']);

    const seen = (c: RawClient) => c.pending().filter((f) => f[0] === 'EVENT').map((f) => (f[2] as NostrEvent).id);
    for (const [who, c] of Object.entries(outsiders)) {
      await c.next((f) => f[0] === 'EVENT' && f[1] === 'live0' && (f[2] as NostrEvent).id === sentinel.id);
      expect(seen(c).filter((id) => hiddenIds.has(id)), `${who}: live`).toEqual([]);
      for (const [i, f] of probes.entries()) {
        const { events, closed } = await c.req(`past${i}`, f);
        if (closed !== undefined) {
          // Asking for restricted kinds without AUTH is refused outright.
          expect(closed, `${who}: ${JSON.stringify(f)}`).toMatch(/^auth-required: /);
          expect(who).toBe('anonymous');
        }
        expect(events.filter((e) => hiddenIds.has(e.id)), `${who}: REQ ${JSON.stringify(f)}`).toEqual([]);
        const counted = await count(c, f);
        if (typeof counted === 'string') expect(counted).toMatch(/^auth-required: /);
        // The public note (and the sentinel where it matches) only.
        else expect(counted, `${who}: COUNT ${JSON.stringify(f)}`).toBe(events.length);
      }
      const sync = await reconcile(c, 'neg', {}, []);
      expect(sync.error).toBeUndefined();
      expect(sync.need).toContain(pub.id);
      expect(sync.need.filter((id) => hiddenIds.has(id)), `${who}: NIP-77`).toEqual([]);
      const byKind = await reconcile(c, 'neg2', { kinds: RESTRICTED }, []);
      if (byKind.error !== undefined) expect(byKind.error).toMatch(/^auth-required: /);
      expect(byKind.need, `${who}: NIP-77 by kind`).toEqual([]);
    }

    // The parties do get them: the probes are not vacuous.
    const expected = { bob: [dm.id, wrap.id, custom.id], alice: [dm.id, custom.id] };
    for (const [who, c] of Object.entries(parties)) {
      await c.next((f) => f[0] === 'EVENT' && f[1] === 'live0' && (f[2] as NostrEvent).id === sentinel.id);
      const mine = expected[who as keyof typeof expected];
      expect(new Set(seen(c).filter((id) => hiddenIds.has(id))), `${who}: live`).toEqual(new Set(mine));
      const { events } = await c.req('past', { kinds: RESTRICTED });
      expect(events.map((e) => e.id).sort()).toEqual([...mine].sort());
      expect(await count(c, { kinds: RESTRICTED })).toBe(mine.length);
      expect((await reconcile(c, 'neg', { kinds: RESTRICTED }, [])).need.sort()).toEqual([...mine].sort());
    }
  });
});

describe('NIP-70 protected events', () => {
  it('are accepted only from their authenticated author, never through a repost', async () => {
    const relay = await startTestRelay({}, { policies: async () => acceptAll });
    relays.push(relay);
    const [alice, carol] = [new Author(), new Author()];
    const note = alice.sign({ content: 'members only', tags: [['-']] });
    expect(await (await client(relay)).publish(note)).toEqual([false, 'auth-required: this event may only be published by its author']);
    expect((await (await client(relay, carol)).publish(note))[1]).toMatch(/^restricted: /);
    const repost = carol.sign({ kind: 6, content: JSON.stringify(note), tags: [['e', note.id]] });
    expect((await (await client(relay, carol)).publish(repost))[1]).toMatch(/^blocked: /);
    const own = await client(relay, alice);
    expect(await own.publish(note)).toEqual([true, '']);
    expect((await own.publish(alice.sign({ kind: 6, content: JSON.stringify(note), tags: [['e', note.id]] })))[0]).toBe(false);
  });
});

describe('NIP-86 management refuses what NIP-98 does not prove', () => {
  it('missing, expired, wrong-URL, replayed-for-another-call and non-admin calls get 401, reveal nothing and change nothing', async () => {
    const [admin, stranger, victim] = [new Author(), new Author(), new Author()];
    // The moderation state lives in the policy engine: a real one, with no pipelines.
    const relay = await startTestRelay(
      { relay: { admins: [admin.pubkey] }, policies: { connection: [], write: [], read: [] } },
      { policies: (s) => createPolicyEngine(s) },
    );
    relays.push(relay);
    const url = httpUrl(relay.url);
    const ban = JSON.stringify({ method: 'banpubkey', params: [victim.pubkey, 'spam'] });
    const list = JSON.stringify({ method: 'listbannedpubkeys', params: [] });
    const attempts: Array<[string, string, string | undefined]> = [
      ['no Authorization', ban, undefined],
      ['expired', ban, authHeader(admin, { u: url, payload: sha256(ban), created_at: now() - 3600 })],
      ['signed for another relay', ban, authHeader(admin, { u: 'https://other-relay.example/', payload: sha256(ban) })],
      ['signed for another path', ban, authHeader(admin, { u: `${url}admin`, payload: sha256(ban) })],
      ['signed for another call', ban, authHeader(admin, { u: url, payload: sha256(list) })],
      ['not an admin', ban, authHeader(stranger, { u: url, payload: sha256(ban) })],
      ['not an admin, reading', list, authHeader(stranger, { u: url, payload: sha256(list) })],
    ];
    for (const [why, body, header] of attempts) {
      const r = await post(url, body, header);
      expect(r.status, why).toBe(401);
      expect(r.body.error, why).toMatch(/^unauthorized: /);
      expect(r.body.result, why).toBeUndefined();
    }
    // Nothing happened: the victim still publishes, and the admin sees no ban.
    const c = await client(relay);
    expect(await c.publish(victim.sign({ content: 'still here' }))).toEqual([true, '']);
    expect((await rpc(url, admin, 'listbannedpubkeys')).body.result).toEqual([]);
    // The same call, properly signed by the admin, does take effect (the refusals were not vacuous).
    expect((await rpc(url, admin, 'banpubkey', [victim.pubkey, 'spam'])).status).toBe(200);
    expect((await c.publish(victim.sign({ content: 'banned now' })))[0]).toBe(false);
  });
});
