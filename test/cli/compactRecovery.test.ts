import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openLocal } from '../../cli/tools/local.ts';
import { databaseFiles } from '../../relay/store/dataFiles.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { fakeEvent, storeAll } from '../sync/helpers.ts';
import { dataDirs, hamlet, toolConfig } from './helpers.ts';
import { Author } from '../helpers/client.ts';

const tempDir = dataDirs();
const EVENTS = 400;

/** A data directory with EVENTS stored events. */
async function filledDir(): Promise<string> {
  const dir = tempDir();
  const local = await openLocal(toolConfig(dir));
  const t = Math.floor(Date.now() / 1000);
  await storeAll(local.store, Array.from({ length: EVENTS }, (_, i) => fakeEvent(t - i)));
  await local.close();
  return dir;
}

/**
 * What a crash between compact's two renames leaves: the whole compacted copy (written by LMDB's
 * copy, as compact does) and the original set aside, but no events.lmdb.
 */
async function crashBetweenRenames(dir: string): Promise<void> {
  const f = databaseFiles(dir);
  const local = await openLocal(toolConfig(dir));
  await local.store.env.backup(f.compacted, true);
  await local.close();
  renameSync(f.db, f.old);
  expect(existsSync(f.db)).toBe(false);
}

const noStack = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

describe('a compaction stopped between its two renames', { timeout: 120_000 }, () => {
  it('is finished by the next open: every event is there and the original is kept', async () => {
    const dir = await filledDir();
    await crashBetweenRenames(dir);
    const f = databaseFiles(dir);
    const stats = await hamlet(['stats', '-d', dir, '--json']);
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ events: EVENTS });
    expect(stats.stderr).toContain('finished a compaction that was interrupted');
    expect(existsSync(f.db)).toBe(true);
    expect(existsSync(f.compacted)).toBe(false);
    expect(existsSync(f.old)).toBe(true);
  });

  it('is finished by the next hamlet compact, which then compacts: nothing is deleted', async () => {
    const dir = await filledDir();
    await crashBetweenRenames(dir);
    const r = await hamlet(['compact', '-d', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('finished a compaction that was interrupted');
    expect(r.stdout).toMatch(/^compacted: /);
    const count = await hamlet(['scan', '{}', '--count', '-d', dir]);
    expect(count.stdout.trim()).toBe(String(EVENTS));
  });

  it('is finished when the relay starts on the directory', async () => {
    const dir = await filledDir();
    await crashBetweenRenames(dir);
    const relay = await startTestRelay({ storage: { dataDir: dir } });
    try {
      expect(relay.services.query([{ limit: 1000 }])).toHaveLength(EVENTS);
    } finally {
      await relay.close();
    }
  });
});

describe('an open never creates an empty database where the files say one was', { timeout: 120_000 }, () => {
  it('refuses while the original a compaction set aside is there, and changes nothing', async () => {
    const dir = await filledDir();
    await crashBetweenRenames(dir);
    const f = databaseFiles(dir);
    rmSync(f.compacted); // now only the set-aside original and the lock file are left
    const before = readFileSync(f.old);
    const event = new Author().sign();
    for (const args of [['import', '-d', dir], ['stats', '-d', dir], ['compact', '-d', dir]]) {
      const r = await hamlet(args, { input: JSON.stringify(event) + '\n' });
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr).toMatch(/^hamlet: .*events\.lmdb is missing but .*events\.lmdb\.old is there .*rename it to events\.lmdb/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      noStack(r.stderr);
      expect(existsSync(f.db)).toBe(false);
    }
    expect(readFileSync(f.old).equals(before)).toBe(true);
    // Following the advice gets every event back.
    renameSync(f.old, f.db);
    expect((await hamlet(['scan', '{}', '--count', '-d', dir])).stdout.trim()).toBe(String(EVENTS));
  });

  it('refuses where only the lock file of a lost database is left (import, the relay)', async () => {
    const dir = await filledDir();
    const f = databaseFiles(dir);
    rmSync(f.db);
    expect(existsSync(f.lock)).toBe(true);
    const r = await hamlet(['import', '-d', dir], { input: JSON.stringify(new Author().sign()) + '\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hamlet: .*events\.lmdb is missing but its lock file is there.*restore it/);
    noStack(r.stderr);
    await expect(startTestRelay({ storage: { dataDir: dir } })).rejects.toThrow(/events\.lmdb is missing but its lock file is there/);
    expect(existsSync(f.db)).toBe(false);
  });
});

describe('a compaction stopped before its swap', { timeout: 120_000 }, () => {
  it('leaves the database in use; the next compact clears the partial copy', async () => {
    const dir = await filledDir();
    const f = databaseFiles(dir);
    writeFileSync(f.compacting, Buffer.alloc(8192, 7)); // half a copy
    expect((await hamlet(['scan', '{}', '--count', '-d', dir])).stdout.trim()).toBe(String(EVENTS));
    const r = await hamlet(['compact', '-d', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(f.compacting)).toBe(false);
    expect(existsSync(f.compacted)).toBe(false);
    expect(statSync(f.db).size).toBeGreaterThan(0);
    expect((await hamlet(['scan', '{}', '--count', '-d', dir])).stdout.trim()).toBe(String(EVENTS));
  });
});
