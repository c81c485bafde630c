import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, afterEach } from 'vitest';
import { acceptAll } from '../../relay/policy.ts';
import { openLocal } from '../../cli/tools/local.ts';
import { storeStats } from '../../cli/tools/stats.ts';
import { compactDataDir } from '../../cli/tools/compact.ts';
import { deleteMatching } from '../../cli/tools/deleter.ts';
import { scanRecords } from '../../cli/tools/records.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { fakeEvent, storeAll } from '../sync/helpers.ts';
import { dataDirs, hamlet, toolConfig } from './helpers.ts';
import { generateVillage } from './village.ts';

const tempDir = dataDirs();
const relays: TestRelay[] = [];
afterEach(async () => {
  for (const r of relays.splice(0)) await r.destroy();
});

describe('stats', () => {
  it('counts events by kind and top authors from the indexes, and sizes on disk', async () => {
    const dir = tempDir();
    const v = generateVillage({ posts: 12 });
    const local = await openLocal(toolConfig(dir), { ingest: true });
    await Promise.all(v.events.map((e) => local.relay!.ingest.submit(e, 'import')));
    const s = storeStats(local.store, 3);
    await local.close();
    expect(s.events).toBe(v.events.length);
    const kinds = new Map<number, number>();
    for (const e of v.events) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    expect(s.byKind).toEqual([...kinds].map(([kind, events]) => ({ kind, events })).sort((a, b) => b.events - a.events || a.kind - b.kind));
    const authors = new Map<string, number>();
    for (const e of v.events) authors.set(e.pubkey, (authors.get(e.pubkey) ?? 0) + 1);
    expect(s.authors).toBe(authors.size);
    expect(s.topAuthors).toHaveLength(3);
    expect(s.topAuthors[0]!.events).toBe(Math.max(...authors.values()));
    expect(s.oldest).toBe(Math.min(...v.events.map((e) => e.created_at)));
    expect(s.newest).toBe(Math.max(...v.events.map((e) => e.created_at)));
    expect(s.disk.fileBytes).toBeGreaterThan(0);
    expect(s.tables.find((t) => t.name === 'events')!.entries).toBe(v.events.length);

    const cli = await hamlet(['stats', '-d', dir, '--json']);
    expect(cli.code).toBe(0);
    // The store closed above wrote the search words it owed.
    expect(JSON.parse(cli.stdout)).toMatchObject({ events: v.events.length, byKind: s.byKind, searchWordsOwed: 0 });
    const text = await hamlet(['stats', '-d', dir]);
    expect(text.stdout).toContain(`${v.events.length} events by ${authors.size} authors`);
  });
});

describe('compact', () => {
  it('gives back the space of deleted events and keeps every remaining one', async () => {
    const dir = tempDir();
    const config = toolConfig(dir);
    const local = await openLocal(config);
    const t = Math.floor(Date.now() / 1000);
    await storeAll(local.store, Array.from({ length: 3000 }, (_, i) => fakeEvent(t - i, i % 10 === 0 ? 7 : 1)));
    await deleteMatching(local.store, { kinds: [1] });
    await local.close();
    const before = statSync(join(dir, 'events.lmdb')).size;
    const r = await compactDataDir(config);
    expect(r.beforeBytes).toBe(before);
    expect(r.afterBytes).toBeLessThan(before / 2);
    expect(existsSync(join(dir, 'events.lmdb.old'))).toBe(false);
    const after = await openLocal(config);
    expect([...scanRecords(after.store.tables, {})]).toHaveLength(300);
    await after.close();
  });

  it('hamlet compact refuses while a relay has the database open, and works once it stopped', async () => {
    const r = await startTestRelay({}, { policies: async () => acceptAll });
    relays.push(r);
    const refused = await hamlet(['compact', '-d', r.dataDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/open in process .*stop it first/);
    await r.close();
    const ok = await hamlet(['compact', '-d', r.dataDir, '--keep-old']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^compacted: /);
    expect(existsSync(join(r.dataDir, 'events.lmdb.old'))).toBe(true);
  });
});
