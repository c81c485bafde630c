import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptAll } from '../../relay/policy.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { Author, now, RawClient, until } from '../helpers/client.ts';

/** Everything a relay stored, acknowledged or tombstoned survives a stop and a start on the same dataDir. */

const dirs: string[] = [];
const relays: TestRelay[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of relays.splice(0)) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hamlet-persist-'));
  dirs.push(d);
  return d;
}

async function start(dir: string, transport: 'uws' | 'ws' = 'uws'): Promise<{ relay: TestRelay; c: RawClient }> {
  const relay = await startTestRelay({ storage: { dataDir: dir }, relay: { transport } }, { policies: async () => acceptAll });
  relays.push(relay);
  const c = await RawClient.open(relay.url);
  clients.push(c);
  return { relay, c };
}

async function stop(relay: TestRelay): Promise<void> {
  relays.splice(relays.indexOf(relay), 1);
  await relay.close();
}

let subs = 0;
async function query(c: RawClient, filter: object): Promise<NostrEvent[]> {
  const id = `q${subs++}`;
  const { events, closed } = await c.req(id, filter);
  expect(closed).toBeUndefined();
  c.send(['CLOSE', id]);
  return events;
}

const ids = (events: NostrEvent[]): string[] => events.map((e) => e.id);

describe('persistence across a restart', () => {
  it('keeps events, replaceable slots, deletions, tombstones, vanish requests and the search index', async () => {
    const dir = dataDir();
    const alice = new Author();
    const bob = new Author();
    const vanisher = new Author();
    const t = now() - 1000;

    const first = await start(dir);
    const ok = async (e: NostrEvent) => expect(await first.c.publish(e), JSON.stringify(e).slice(0, 120)).toEqual([true, '']);

    const notes = Array.from({ length: 20 }, (_, i) => alice.sign({ content: `note ${i} about ${i % 2 ? 'gardening' : 'beekeeping'}`, created_at: t + i, tags: [['t', `tag${i % 3}`]] }));
    for (const e of notes) await ok(e);
    const profileOld = alice.sign({ kind: 0, content: '{"name":"old"}', created_at: t });
    const profileNew = alice.sign({ kind: 0, content: '{"name":"new"}', created_at: t + 5 });
    await ok(profileOld);
    await ok(profileNew);
    const article1 = alice.sign({ kind: 30023, content: 'draft', tags: [['d', 'essay']], created_at: t + 1 });
    const article2 = alice.sign({ kind: 30023, content: 'kept', tags: [['d', 'other']], created_at: t + 1 });
    await ok(article1);
    await ok(article2);
    // NIP-09: an `e` deletion and an `a` deletion.
    const delE = alice.sign({ kind: 5, tags: [['e', notes[0]!.id]], created_at: t + 30 });
    const delA = alice.sign({ kind: 5, tags: [['a', `30023:${alice.pubkey}:essay`]], created_at: t + 10 });
    await ok(delE);
    await ok(delA);
    const bobNote = bob.sign({ content: 'bob was here', created_at: t });
    await ok(bobNote);
    // NIP-62: a vanish request for every relay.
    const gone = vanisher.sign({ content: 'soon gone', created_at: t });
    await ok(gone);
    const vanish = vanisher.sign({ kind: 62, tags: [['relay', 'ALL_RELAYS']], created_at: t + 2 });
    await ok(vanish);

    const authors = [alice.pubkey, bob.pubkey, vanisher.pubkey];
    const before = await query(first.c, { authors });
    expect(ids(before)).not.toContain(notes[0]!.id);
    expect(ids(before)).not.toContain(profileOld.id);
    expect(ids(before)).not.toContain(article1.id);
    expect(ids(before)).not.toContain(gone.id);
    const searchBefore = ids(await query(first.c, { search: 'gardening' }));
    expect(searchBefore).toHaveLength(10);

    await stop(first.relay);
    const second = await start(dir);
    const c = second.c;

    expect(await query(c, { authors })).toEqual(before);
    expect(ids(await query(c, { search: 'gardening' }))).toEqual(searchBefore);
    expect(ids(await query(c, { '#t': ['tag1'] }))).toEqual(ids(before.filter((e) => e.tags.some((x) => x[0] === 't' && x[1] === 'tag1'))));
    expect(ids(await query(c, { kinds: [0], authors: [alice.pubkey] }))).toEqual([profileNew.id]);

    // Tombstones still refuse re-publication.
    const refused = async (e: NostrEvent) => {
      const [accepted, message] = await c.publish(e);
      expect(accepted, message).toBe(false);
      expect(message).toMatch(/^[a-z-]+: /);
    };
    await refused(notes[0]!);
    await refused(article1);
    await refused(alice.sign({ kind: 30023, content: 'older than the a deletion', tags: [['d', 'essay']], created_at: t + 9 }));
    await refused(gone);
    await refused(profileOld);
    // Re-sending a stored event is a duplicate.
    expect(await c.publish(notes[1]!)).toEqual([true, expect.stringMatching(/^duplicate: /)]);

    // The replaceable slot still points at the stored version: a newer one replaces it.
    const profileNewer = alice.sign({ kind: 0, content: '{"name":"newer"}', created_at: t + 6 });
    expect(await c.publish(profileNewer)).toEqual([true, '']);
    expect(ids(await query(c, { kinds: [0], authors: [alice.pubkey] }))).toEqual([profileNewer.id]);
    const articleNewer = alice.sign({ kind: 30023, content: 'after the deletion', tags: [['d', 'essay']], created_at: t + 11 });
    expect(await c.publish(articleNewer)).toEqual([true, '']);

    // New events after the restart get fresh serials: nothing old is overwritten.
    const fresh = Array.from({ length: 5 }, (_, i) => bob.sign({ content: `fresh ${i}`, created_at: t + 100 + i }));
    for (const e of fresh) expect(await c.publish(e)).toEqual([true, '']);
    const after = await query(c, { authors });
    const expected = [...before.filter((e) => e.id !== profileNew.id), profileNewer, articleNewer, ...fresh].map((e) => e.id).sort();
    expect(ids(after).sort()).toEqual(expected);
    for (const e of after) expect(e).toEqual([...notes, profileNewer, article2, articleNewer, delE, delA, bobNote, vanish, ...fresh].find((x) => x.id === e.id));
  });

  it('keeps NIP-40 expirations: an event that expires after the restart is hidden, then purged', async () => {
    const dir = dataDir();
    const author = new Author();
    const first = await start(dir);
    const expiring = author.sign({ content: 'short-lived', tags: [['expiration', String(now() + 2)]] });
    const lasting = author.sign({ content: 'lasting' });
    expect(await first.c.publish(expiring)).toEqual([true, '']);
    expect(await first.c.publish(lasting)).toEqual([true, '']);
    await stop(first.relay);

    const relay = await startTestRelay({ storage: { dataDir: dir, expirySweepSeconds: 1 } }, { policies: async () => acceptAll });
    relays.push(relay);
    const c = await RawClient.open(relay.url);
    clients.push(c);
    // Hidden from readers once expired, and removed from disk by the sweeper (the expiry index survived).
    await until(async () => (await query(c, { authors: [author.pubkey] })).length === 1, 8000);
    expect(ids(await query(c, { authors: [author.pubkey] }))).toEqual([lasting.id]);
    await until(() => relay.services.getById(expiring.id) === undefined, 8000);
    expect(relay.services.getById(lasting.id)?.id).toBe(lasting.id);
  });

  for (const transport of ['uws', 'ws'] as const) {
    it(`every OK true sent before or during close() is readable after a restart (${transport})`, async () => {
      const dir = dataDir();
      const { relay, c } = await start(dir, transport);
      const author = new Author();
      const t = now() - 100;
      const events = Array.from({ length: 300 }, (_, i) => author.sign({ content: `in flight ${i}`, created_at: t + (i % 50) }));
      const acked = new Set<string>();
      const refusedOk: string[] = [];
      c.ws.on('message', (data) => {
        const f = JSON.parse(data.toString()) as unknown[];
        if (f[0] !== 'OK') return;
        if (f[2] === true) acked.add(f[1] as string);
        else refusedOk.push(String(f[3]));
      });
      for (const e of events) c.send(['EVENT', e]);
      // Stop while the rest is still being verified and written.
      const end = Date.now() + 10_000;
      while (acked.size < 20 && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
      expect(acked.size).toBeGreaterThanOrEqual(20);
      await stop(relay);
      const ackedAtClose = new Set(acked);
      expect(ackedAtClose.size).toBeGreaterThan(0);

      const second = await start(dir, transport);
      const stored = new Set(ids(await query(second.c, { authors: [author.pubkey], limit: 5000 })));
      for (const id of ackedAtClose) expect(stored.has(id), `acknowledged ${id} lost`).toBe(true);
      // Nothing that was not sent got stored, and every stored event is intact.
      for (const id of stored) expect(events.some((e) => e.id === id)).toBe(true);
      // The relay still takes writes on the same data.
      const more = author.sign({ content: 'after the restart' });
      expect(await second.c.publish(more)).toEqual([true, '']);
      expect(refusedOk.filter((m) => !/^[a-z-]+: /.test(m))).toEqual([]);
    });
  }
});
