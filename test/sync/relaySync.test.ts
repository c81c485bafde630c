import { afterEach, describe, expect, it } from 'vitest';
import { acceptAll } from '../../relay/policy.ts';
import { syncWithRelay } from '../../relay/sync/client.ts';
import { openLocal } from '../../cli/tools/local.ts';
import { scanRecords } from '../../cli/tools/records.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, now } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { dataDirs, hamlet, toolConfig } from '../cli/helpers.ts';
import { fakeEvent, storeAll } from './helpers.ts';

const relays: TestRelay[] = [];
afterEach(async () => {
  for (const r of relays.splice(0)) await r.destroy();
});
const tempDir = dataDirs();

async function relay(overrides: Record<string, Record<string, unknown>> = {}): Promise<TestRelay> {
  const r = await startTestRelay(overrides, { policies: async () => acceptAll });
  relays.push(r);
  return r;
}

const ids = (r: TestRelay): string[] => [...scanRecords(r.relay.store.tables, {}, { includeHeld: true })].map((x) => x.id).sort();
const sorted = (events: NostrEvent[]): string[] => events.map((e) => e.id).sort();

async function publishAll(r: TestRelay, events: NostrEvent[]): Promise<void> {
  const results = await Promise.all(events.map((e) => r.relay.ingest.submit(e, 'internal')));
  expect(results.every((x) => x.ok)).toBe(true);
}

function notes(author: Author, n: number, kind = 1): NostrEvent[] {
  return Array.from({ length: n }, (_, i) => author.sign({ kind, created_at: now() - 1000 + i, content: `note ${i}` }));
}

describe('sync between two Hamlet relays (NIP-77)', () => {
  it('both directions: each ends with the union; DMs are not learned without AUTH', async () => {
    const a = await relay();
    const b = await relay();
    const alice = new Author();
    const bob = new Author();
    const shared = notes(alice, 40);
    const onlyA = notes(alice, 25, 7);
    const onlyB = notes(bob, 35);
    const dm = bob.sign({ kind: 4, tags: [['p', alice.pubkey]], content: 'secret?iv=x' });
    await publishAll(a, [...shared, ...onlyA]);
    await publishAll(b, [...shared, ...onlyB, dm]);

    const report = await syncWithRelay({ url: b.url, store: a.relay.store, submit: (raw) => a.relay.ingest.submit(raw, 'sync'), dir: 'both' });
    expect(report.need).toBe(onlyB.length);
    expect(report.have).toBe(onlyA.length);
    expect(report.down).toMatchObject({ stored: onlyB.length, rejected: 0, missing: 0 });
    expect(report.up).toMatchObject({ stored: onlyA.length, rejected: 0 });
    const union = sorted([...shared, ...onlyA, ...onlyB]);
    expect(ids(a)).toEqual(union);
    expect(ids(b)).toEqual(sorted([...shared, ...onlyA, ...onlyB, dm]));

    // In sync now: nothing differs.
    const again = await syncWithRelay({ url: b.url, store: a.relay.store, submit: (raw) => a.relay.ingest.submit(raw, 'sync') });
    expect([again.have, again.need]).toEqual([0, 0]);
  });

  it('a filter limits what is reconciled; --dir down never uploads', async () => {
    const a = await relay();
    const b = await relay();
    const carol = new Author();
    const theirNotes = notes(carol, 5);
    const theirReactions = notes(carol, 5, 7);
    const mine = notes(new Author(), 3);
    await publishAll(b, [...theirNotes, ...theirReactions]);
    await publishAll(a, mine);
    const report = await syncWithRelay({ url: b.url, store: a.relay.store, submit: (raw) => a.relay.ingest.submit(raw, 'sync'), filter: { kinds: [1] }, dir: 'down' });
    expect(report.down.stored).toBe(5);
    expect(report.have).toBe(3);
    expect(ids(a)).toEqual(sorted([...mine, ...theirNotes]));
    expect(ids(b)).toEqual(sorted([...theirNotes, ...theirReactions]));
  });

  it('splits the time range when the other relay caps a query (NEG-ERR blocked:)', async () => {
    const a = await relay();
    const b = await relay({ limits: { maxCountScan: 1000 } });
    // Unsigned stand-ins: reconciliation sees only ids; the download then refuses them all.
    const t0 = now();
    const events = Array.from({ length: 2500 }, (_, i) => fakeEvent(t0 - 5000 + i));
    await storeAll(b.relay.store, events);
    const report = await syncWithRelay({ url: b.url, store: a.relay.store, submit: (raw) => a.relay.ingest.submit(raw, 'sync'), dir: 'down', batch: 500 });
    expect(report.windows).toBeGreaterThan(2);
    expect(report.need).toBe(2500);
    expect(report.down.rejected).toBe(2500);
    expect(ids(a)).toEqual([]);
  });

  it('answers NIP-42 AUTH with a key: syncs with a relay that requires auth, and learns that key\'s DMs', async () => {
    const a = await relay();
    const b = await relay({ nips: { authRequired: true } });
    const bob = new Author();
    const alice = new Author();
    const dm = alice.sign({ kind: 4, tags: [['p', bob.pubkey]], content: 'for bob?iv=x' });
    const other = alice.sign({ kind: 4, tags: [['p', alice.pubkey]], content: 'note to self?iv=x' });
    const pub = notes(alice, 3);
    await publishAll(b, [dm, other, ...pub]);
    const submit = (raw: unknown) => a.relay.ingest.submit(raw, 'sync');
    await expect(syncWithRelay({ url: b.url, store: a.relay.store, submit })).rejects.toThrow(/auth-required: /);
    const report = await syncWithRelay({ url: b.url, store: a.relay.store, submit, authKey: bob.sk });
    expect(report.down.stored).toBe(4);
    expect(ids(a)).toEqual(sorted([dm, ...pub]));
  });

  it('hamlet sync in a child process: a data directory and a running relay, both ways', async () => {
    const b = await relay();
    const dir = tempDir();
    const mine = notes(new Author(), 6);
    const theirs = notes(new Author(), 4);
    const local = await openLocal(toolConfig(dir), { ingest: true });
    await Promise.all(mine.map((e) => local.relay!.ingest.submit(e, 'import')));
    await local.close();
    await publishAll(b, theirs);

    const run = await hamlet(['sync', b.url, '-d', dir, '--dir', 'both', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { have: number; need: number; down: { stored: number }; up: { stored: number } };
    expect(report).toMatchObject({ have: 6, need: 4, down: { stored: 4 }, up: { stored: 6 } });
    expect(ids(b)).toEqual(sorted([...mine, ...theirs]));
    const after = await openLocal(toolConfig(dir));
    expect([...scanRecords(after.store.tables, {})].map((r) => r.id).sort()).toEqual(sorted([...mine, ...theirs]));
    await after.close();

    const bad = await hamlet(['sync', 'http://nope', '-d', dir]);
    expect(bad.code).toBe(2);
  });
});
