import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Filter, NostrEvent } from '../../relay/nostr/types.ts';
import { serialise } from '../../relay/nostr/canonical.ts';
import { Store } from '../../relay/store/store.ts';
import { matching } from '../../relay/store/query.ts';
import { scanIndex } from '../../relay/store/scan.ts';
import { ALL_KEY, hexBytes, idKey, serialOf, tagPrefix, u16 } from '../../relay/store/keys.ts';
import { ensureFormat, FORMAT } from '../../relay/store/format.ts';
import { openEnv, openTables } from '../../relay/store/env.ts';
import { fakeEvent, writeFormatV1 } from './formatV1.ts';
import { wordHash } from '../../relay/store/words.ts';
import { countWork } from '../../relay/store/query.ts';
import { finish, Meter } from '../../relay/store/work.ts';

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hamlet-format-'));
  dirs.push(d);
  return d;
}

const logged: string[] = [];
function openStore(dir: string): Store {
  const store = new Store({
    dataDir: dir,
    mapSizeMb: 256,
    batchSize: 100,
    searchEnabled: true,
    unsearchableKinds: new Set([4]),
    vanishApplies: () => false,
    log: { info: (_obj, msg) => void logged.push(msg) },
  });
  stores.push(store);
  return store;
}

const ALICE = 'a1'.repeat(32);
const BOB = 'b2'.repeat(32);
const ctx = { now: 2_000_000_000 };
const ids = (store: Store, f: Filter, order?: 'newest' | 'oldest') => [...matching(store.tables, f, { ...ctx, order })].map((r) => r.id);
const stored = async (store: Store, e: NostrEvent) => expect((await store.store(e, serialise(e).json)).status).toBe('stored');

describe('storage format 2: dupSort index tables', () => {
  it('range scans honour since/until at the edges, newest first and oldest first', async () => {
    const store = openStore(dataDir());
    const times = [0, 99, 100, 100, 150, 200, 200, 201, 2 ** 32 - 1];
    const events = times.map((t, i) => fakeEvent(ALICE, { kind: 1, created_at: t, tags: [['t', 'edge']], content: `edge case ${i}` }, i));
    for (const e of events) await stored(store, e);
    const expectIds = (since: number | undefined, until: number | undefined) => {
      const want = events.filter((e) => (since === undefined || e.created_at >= since) && (until === undefined || e.created_at <= until));
      const newest = [...want].sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? -1 : 1)).map((e) => e.id);
      for (const f of [{ kinds: [1] }, { authors: [ALICE] }, { authors: [ALICE], kinds: [1] }, { tags: new Map([['t', ['edge']]]) }, {}, { search: 'edge' }] as Filter[]) {
        const got = ids(store, { ...f, since, until });
        expect(new Set(got), JSON.stringify({ f: [...Object.keys(f)], since, until })).toEqual(new Set(newest));
        const gotOld = ids(store, { ...f, since, until }, 'oldest');
        expect(new Set(gotOld)).toEqual(new Set(newest));
        // Order by created_at both ways (ties in store order).
        const at = (id: string) => events.find((e) => e.id === id)!.created_at;
        expect(got.map(at)).toEqual([...got.map(at)].sort((a, b) => b - a));
        expect(gotOld.map(at)).toEqual([...gotOld.map(at)].sort((a, b) => a - b));
      }
    };
    expectIds(undefined, undefined);
    expectIds(100, 200);
    expectIds(101, 199);
    expectIds(0, 0);
    expectIds(200, 200);
    expectIds(201, undefined);
    expectIds(undefined, 99);
    expectIds(2 ** 32 - 1, undefined);
    expectIds(202, 2 ** 32 - 2);
    // The raw scan: values are created_at ‖ serial, in order, bounds inclusive.
    const values = [...scanIndex(store.tables.kinds, u16(1), 100, 200, true)].map((v) => [v.readUInt32BE(0), serialOf(v)]);
    expect(values).toEqual([[200, 7], [200, 6], [150, 5], [100, 4], [100, 3]]);
    const oldest = [...scanIndex(store.tables.kinds, u16(1), 100, 200, false, 2)].map((v) => serialOf(v));
    expect(oldest).toEqual([3, 4]);
    expect([...scanIndex(store.tables.kinds, u16(2), undefined, undefined, true)]).toEqual([]);
  });

  it('removes every index entry of a replaced or deleted event', async () => {
    const store = openStore(dataDir());
    const t = store.tables;
    const v1 = fakeEvent(ALICE, { kind: 0, created_at: 100, tags: [['p', BOB]], content: 'first profile words' }, 1);
    const v2 = fakeEvent(ALICE, { kind: 0, created_at: 200, tags: [], content: 'second profile' }, 2);
    const note = fakeEvent(ALICE, { kind: 1, created_at: 150, tags: [['t', 'gone']], content: 'doomed note' }, 3);
    // Each one's words indexed before the next comes (they are written after the commit, wordIndexer.ts).
    for (const e of [v1, v2, note]) {
      await stored(store, e);
      await store.wordsIndexed();
    }
    const serials = (table: typeof t.kinds, key: Buffer) => [...scanIndex(table, key, undefined, undefined, true)].map(serialOf);
    // The word index's raw entries (not through scanWord, which skips entries without a record).
    const wordSerials = (word: string) => {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(wordHash(word));
      const keys = [...(t.words.getKeys() as Iterable<Buffer>)].filter((k) => k.subarray(0, head.length).equals(head));
      return keys.flatMap((k) => [...t.words.getValues(k)].map((v) => v.readUInt32BE(0)));
    };
    // v2 replaced v1 (and, v1 having been the newest record, took its serial: serials are last + 1).
    const s2 = store.getById(v2.id)!.serial;
    const s3 = store.getById(note.id)!.serial;
    expect(serials(t.kinds, u16(0))).toEqual([s2]);
    expect(serials(t.pubkeys, hexBytes(ALICE))).toEqual([s2, s3]);
    expect(serials(t.pubkeyKinds, Buffer.concat([hexBytes(ALICE), u16(0)]))).toEqual([s2]);
    expect(serials(t.created, ALL_KEY)).toEqual([s2, s3]);
    expect(serials(t.tags, tagPrefix('p', BOB))).toEqual([]);
    expect(wordSerials('first')).toEqual([]);
    expect(wordSerials('profile')).toEqual([s2]);
    expect(store.has(v1.id)).toBe(false);
    expect(store.has(v2.id)).toBe(true);
    expect([...t.ids.getValues(idKey(v1.id))].map((v) => v.readUInt32BE(0))).toEqual([]);

    expect(await store.remove(note.id)).toBe(true);
    expect(serials(t.tags, tagPrefix('t', 'gone'))).toEqual([]);
    expect(wordSerials('doomed')).toEqual([]);
    expect(wordSerials('note')).toEqual([]);
    expect(serials(t.pubkeys, hexBytes(ALICE))).toEqual([s2]);
    expect(serials(t.created, ALL_KEY)).toEqual([s2]);
    expect([...t.ids.getValues(idKey(note.id))]).toEqual([]);
    expect(store.getById(note.id)).toBeUndefined();
    expect(t.events.get(s3)).toBeUndefined();
  });

  it('finds an event by id when another id shares its 8-byte key', async () => {
    const store = openStore(dataDir());
    const a = fakeEvent(ALICE, { kind: 1, created_at: 10, tags: [], content: 'a' }, 1);
    const b = { ...fakeEvent(BOB, { kind: 1, created_at: 11, tags: [], content: 'b' }, 2) };
    b.id = a.id.slice(0, 16) + 'f'.repeat(48);
    await stored(store, a);
    await stored(store, b);
    expect([...store.tables.ids.getValues(idKey(a.id))]).toHaveLength(2);
    expect(store.getById(a.id)?.pubkey).toBe(ALICE);
    expect(store.getById(b.id)?.pubkey).toBe(BOB);
    expect(store.getById(a.id.slice(0, 16) + '0'.repeat(48))).toBeUndefined();
    expect((await store.store(b, serialise(b).json)).status).toBe('duplicate');
    expect(ids(store, { ids: [a.id, b.id] }).sort()).toEqual([a.id, b.id].sort());
  });

  it('search is exact when two words share a word-index hash', async () => {
    const store = openStore(dataDir());
    // Found by brute force: distinct words, one FNV-1a hash, so one word-index key.
    expect(wordHash('yaczfa')).toBe(wordHash('glbppa'));
    const a = fakeEvent(ALICE, { kind: 1, created_at: 10, tags: [], content: 'yaczfa here' }, 1);
    const b = fakeEvent(BOB, { kind: 1, created_at: 11, tags: [], content: 'glbppa there' }, 2);
    for (const e of [a, b]) await stored(store, e);
    expect(store.query([{ search: 'yaczfa' }], ctx).map((r) => r.id)).toEqual([a.id]);
    expect(store.query([{ search: 'glbppa' }], ctx).map((r) => r.id)).toEqual([b.id]);
    expect(finish(countWork(store.tables, [{ search: 'glbppa' }], ctx, new Meter()))).toBe(1);
  });

  it('stores canonical JSON and reads id and pubkey from it', async () => {
    const store = openStore(dataDir());
    const e = fakeEvent(ALICE, { kind: 1, created_at: 10, tags: [['t', 'x']], content: 'he said "hi"' }, 1);
    // Not canonical (key order): stored in canonical form.
    const { content, ...rest } = e;
    await store.store(e, JSON.stringify({ content, ...rest }));
    const rec = store.getById(e.id)!;
    expect(rec.json.toString()).toBe(serialise(e).json);
    expect([rec.id, rec.pubkey, rec.kind, rec.createdAt]).toEqual([e.id, e.pubkey, 1, 10]);
  });
});

describe('storage format migration', () => {
  it('migrates a format-1 data directory: records re-encoded, indexes rebuilt, old tables dropped', async () => {
    const dir = dataDir();
    const events: { e: NostrEvent; json?: string; expiration?: number; held?: boolean }[] = [];
    for (let i = 0; i < 2_500; i++) {
      const author = i % 3 === 0 ? BOB : ALICE;
      const kind = i % 10 === 0 ? 7 : 1;
      events.push({ e: fakeEvent(author, { kind, created_at: 1_000 + i, tags: [['t', `topic${i % 5}`]], content: `village note number${i} about bread` }, i) });
    }
    const profile = fakeEvent(ALICE, { kind: 0, created_at: 500, tags: [], content: 'alice profile' }, 9_000);
    const dm = fakeEvent(BOB, { kind: 4, created_at: 600, tags: [['p', ALICE]], content: 'secret words' }, 9_001);
    const expiring = fakeEvent(BOB, { kind: 1, created_at: 700, tags: [], content: 'short lived' }, 9_002);
    const held = fakeEvent(BOB, { kind: 1, created_at: 800, tags: [], content: 'held for review' }, 9_003);
    events.push({ e: profile }, { e: dm }, { e: expiring, expiration: 1_900_000_000 }, { e: held, held: true });
    // Records in format 1 held whatever JSON they were given (here, not canonical).
    const { sig, ...unsigned } = events[0]!.e;
    events[0]!.json = JSON.stringify({ sig, ...unsigned });
    await writeFormatV1(dir, events);

    logged.length = 0;
    const store = openStore(dir);
    expect(logged.some((m) => m.includes('migrating'))).toBe(true);
    expect(logged.some((m) => m.includes('done'))).toBe(true);
    expect(store.tables.meta.get('format')).toBe(FORMAT);

    const all = events.map((x) => x.e);
    const byNewest = (xs: NostrEvent[]) => [...xs].sort((a, b) => b.created_at - a.created_at).map((e) => e.id);
    const visible = all.filter((e) => e !== held);
    const q = (f: Filter) => store.query([f], ctx).map((r) => r.id);
    expect(q({ limit: 10 })).toEqual(byNewest(visible).slice(0, 10));
    expect(q({ authors: [BOB], limit: 5 })).toEqual(byNewest(visible.filter((e) => e.pubkey === BOB)).slice(0, 5));
    expect(q({ kinds: [7], since: 1_100, until: 1_500 })).toEqual(byNewest(visible.filter((e) => e.kind === 7 && e.created_at >= 1_100 && e.created_at <= 1_500)));
    expect(q({ authors: [ALICE], kinds: [0] })).toEqual([profile.id]);
    expect(q({ tags: new Map([['t', ['topic3']]]), limit: 3 })).toEqual(byNewest(visible.filter((e) => e.tags[0]?.[1] === 'topic3')).slice(0, 3));
    expect(q({ search: 'number1234' })).toEqual([all[1234]!.id]);
    expect(q({ search: 'secret' })).toEqual([]); // kind 4 is not word-indexed
    expect(q({ ids: [all[0]!.id, dm.id] }).sort()).toEqual([all[0]!.id, dm.id].sort());
    expect(store.query([{ ids: [held.id] }], { ...ctx, includeHeld: true }).map((r) => r.id)).toEqual([held.id]);
    expect(store.getById(held.id)?.held).toBe(true);
    expect(store.getById(expiring.id)?.expiration).toBe(1_900_000_000);
    expect(store.getById(all[0]!.id)!.json.toString()).toBe(serialise(all[0]!).json);
    expect(store.getById(all[1]!.id)!.json.toString()).toBe(JSON.stringify(all[1]!));

    // The old index tables are gone; writes go on from the last serial.
    const raw = open({ path: `${dir}/events.lmdb`, maxDbs: 64, readOnly: true });
    const names = [...raw.getKeys()].map(String);
    await raw.close();
    for (const old of ['ids', 'idx-created', 'idx-kind', 'idx-pubkey', 'idx-pubkey-kind', 'idx-tag', 'idx-word', 'idx-expiry']) expect(names).not.toContain(old);
    const later = fakeEvent(ALICE, { kind: 1, created_at: 5_000, tags: [], content: 'after the migration' }, 9_999);
    await stored(store, later);
    expect(store.getById(later.id)?.serial).toBe(events.length + 1);
    expect(q({ search: 'migration' })).toEqual([later.id]);
    // Removing and replacing work on migrated entries.
    expect(await store.remove(all[1_234]!.id)).toBe(true);
    expect(q({ search: 'number1234' })).toEqual([]);
    const newProfile = fakeEvent(ALICE, { kind: 0, created_at: 900, tags: [], content: 'new profile' }, 9_998);
    await stored(store, newProfile);
    expect(q({ authors: [ALICE], kinds: [0] })).toEqual([newProfile.id]);
    expect(q({ search: 'alice' })).toEqual([]);

    // Opening again does not migrate again.
    await store.close();
    stores.splice(stores.indexOf(store), 1);
    logged.length = 0;
    const again = openStore(dir);
    expect(logged).toEqual([]);
    expect(again.query([{ authors: [BOB], limit: 1 }], ctx)).toHaveLength(1);
  });

  it('stamps a new data directory and refuses one with a newer format', async () => {
    const dir = dataDir();
    const store = openStore(dir);
    expect(store.tables.meta.get('format')).toBe(FORMAT);
    await store.tables.meta.put('format', FORMAT + 1);
    await store.close();
    stores.splice(0);
    expect(() => openStore(dir)).toThrow(new RegExp(`storage format ${FORMAT + 1}`));
  });
});

describe('storage format migration, stopped part way', () => {
  it('resumes after the last committed batch and migrates each record once', async () => {
    const dir = dataDir();
    const events = Array.from({ length: 50 }, (_, i) => ({
      e: fakeEvent(i % 2 ? ALICE : BOB, { kind: 1, created_at: 100 + i, tags: [['t', `n${i % 3}`]], content: `resume word${i}` }, i),
    }));
    await writeFormatV1(dir, events);
    // A first open stops after two batches of 10, as if the process had died there.
    const env = openEnv(dir, 256);
    const t = openTables(env);
    ensureFormat(t, { searchEnabled: true, unsearchableKinds: new Set() }, { info: () => undefined }, { batch: 10, stopAfterBatches: 2 });
    expect(t.meta.get('migrated-up-to')).toBe(20);
    expect(t.meta.get('format')).toBeUndefined();
    await env.close();

    logged.length = 0;
    const store = openStore(dir);
    expect(logged.some((m) => m.includes('migrating'))).toBe(true);
    expect(store.tables.meta.get('format')).toBe(FORMAT);
    const all = events.map((x) => x.e);
    expect(store.query([{ limit: 100 }], ctx).map((r) => r.id)).toEqual([...all].reverse().map((e) => e.id));
    for (const e of all) expect(store.getById(e.id)?.json.toString()).toBe(JSON.stringify(e));
    expect(store.query([{ search: 'word7' }], ctx).map((r) => r.id)).toEqual([all[7]!.id]);
    expect(store.query([{ search: 'word42' }], ctx).map((r) => r.id)).toEqual([all[42]!.id]);
    expect(store.query([{ tags: new Map([['t', ['n1']]]) }], ctx)).toHaveLength(17);
  });
});
