import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Author, fetchEvents, publish, Relay } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { dataDirs, hamlet } from './helpers.ts';

const tempDir = dataDirs();
const relays: TestRelay[] = [];
const clients: Relay[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of relays.splice(0)) await r.close();
});

const ids = (events: NostrEvent[]) => events.map((e) => e.id).sort();

describe('hamlet backup and restore', { timeout: 120_000 }, () => {
  it('backs up a running relay; the restored directory serves every event it had', async () => {
    const live = tempDir();
    const relay = await startTestRelay({ storage: { dataDir: live } });
    relays.push(relay);
    // other state of the data directory, as the DVMs keep it
    mkdirSync(join(live, 'dvm-keys'));
    writeFileSync(join(live, 'dvm-keys', 'for-you.key'), 'a'.repeat(64));
    const client = await Relay.connect(relay.url);
    clients.push(client);
    const authors = [new Author(), new Author(), new Author()];
    const published: NostrEvent[] = [];
    for (let i = 0; i < 30; i++) {
      const e = authors[i % 3]!.sign({ content: `village note ${i}`, created_at: Math.floor(Date.now() / 1000) - i });
      expect((await publish(client, e)).ok).toBe(true);
      published.push(e);
    }
    const profile = authors[0]!.sign({ kind: 0, content: '{"name":"baker"}' });
    expect((await publish(client, profile)).ok).toBe(true);
    published.push(profile);

    const backupDir = join(tempDir(), 'backup');
    const backup = await hamlet(['backup', '-d', live, '--out', backupDir]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^backed up ${published.length} events \\(.*\\) from ${live} to ${backupDir}, with .*dvm-keys.*\\n$`));
    // written after the backup: not in it
    const later = authors[1]!.sign({ content: 'after the backup' });
    expect((await publish(client, later)).ok).toBe(true);

    const restored = join(tempDir(), 'restored');
    const restore = await hamlet(['restore', backupDir, '-d', restored]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(new RegExp(`^restored ${published.length} events .* into ${restored}, with .*dvm-keys.*\\n$`));
    expect(readFileSync(join(restored, 'dvm-keys', 'for-you.key'), 'utf8')).toBe('a'.repeat(64));

    const second = await startTestRelay({ storage: { dataDir: restored } });
    relays.push(second);
    const reader = await Relay.connect(second.url);
    clients.push(reader);
    const served = await fetchEvents(reader, [{ limit: 500 }]);
    expect(ids(served.events)).toEqual(ids(published));
    expect(ids((await fetchEvents(reader, [{ kinds: [0], authors: [authors[0]!.pubkey] }])).events)).toEqual([profile.id]);
  });

  it('restore never writes over a database, and backup never into one', async () => {
    const a = tempDir();
    const relay = await startTestRelay({ storage: { dataDir: a } });
    const client = await Relay.connect(relay.url);
    expect((await publish(client, new Author().sign())).ok).toBe(true);
    client.close();
    await relay.close();
    const backupDir = join(tempDir(), 'b');
    expect((await hamlet(['backup', '-d', a, '--out', backupDir])).code).toBe(0);
    const before = readFileSync(join(a, 'events.lmdb'));

    const over = await hamlet(['restore', backupDir, '-d', a]);
    expect(over.code, over.stderr).toBe(2);
    expect(over.stderr).toMatch(/^hamlet: .* already has a database \(events\.lmdb\): restore never overwrites one; move it away first\n$/);
    expect(readFileSync(join(a, 'events.lmdb')).equals(before)).toBe(true);

    const into = await hamlet(['backup', '-d', a, '--out', backupDir]);
    expect(into.code).toBe(2);
    expect(into.stderr).toMatch(/already holds a database/);
    const noOut = await hamlet(['backup', '-d', a]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out <dir>/);
    const fromNothing = await hamlet(['restore', join(a, 'nothing-here'), '-d', tempDir()]);
    expect(fromNothing.code).toBe(1);
    expect(fromNothing.stderr).toMatch(/no Hamlet database in .*nothing-here/);
    expect(existsSync(join(a, 'nothing-here'))).toBe(false);
  });
});
