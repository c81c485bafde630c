import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { finalizeEvent, generateSecretKey, nip19 } from 'nostr-tools';
import { openLocal } from '../../cli/tools/local.ts';
import { importLines } from '../../cli/tools/importer.ts';
import { scanRecords } from '../../cli/tools/records.ts';
import { dataDirs, hamlet, jsonl, toolConfig } from './helpers.ts';
import { Author } from '../helpers/client.ts';

const tempDir = dataDirs();

/** A data directory with a few events, for the commands that need one. */
async function smallDir(): Promise<string> {
  const dir = tempDir();
  const local = await openLocal(toolConfig(dir), { ingest: true });
  const a = new Author();
  for (let i = 0; i < 3; i++) await local.relay!.ingest.submit(a.sign({ content: `note ${i}` }), 'import');
  await local.close();
  return dir;
}

describe('keys, ids and relay URLs on the command line', { timeout: 120_000 }, () => {
  it('moderation refuses an invalid event id or pubkey in one line, and takes note1 / uppercase hex', async () => {
    const dir = await smallDir();
    const bad = await hamlet(['moderation', 'ban', 'zzz', '-d', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'zzz' is invalid for argument 'event-id'\. not an event id/);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
    const short = await hamlet(['moderation', 'allow', 'ab'.repeat(31), '-d', dir]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/not an event id/);
    const pubkey = await hamlet(['moderation', 'decisions', '--pubkey', 'npub1nope', '-d', dir]);
    expect(pubkey.code).toBe(2);
    expect(pubkey.stderr).toMatch(/option '--pubkey <key>' argument 'npub1nope' is invalid\. not a pubkey/);

    const id = 'c0ffee'.padEnd(64, '0');
    const byNote = await hamlet(['moderation', 'ban', nip19.noteEncode(id), '-d', dir]);
    expect(byNote.code, byNote.stderr).toBe(0);
    expect(byNote.stdout).toBe(`banned ${id}\n`);
    const upper = await hamlet(['moderation', 'decisions', '--event', id.toUpperCase(), '--json', '-d', dir]);
    expect(upper.code, upper.stderr).toBe(0);
    expect(upper.stdout).toContain(id);
  });

  it('sync takes only ws:// and wss:// URLs with a host', async () => {
    for (const url of ['http://relay.example', 'relay.example', 'wss://']) {
      const r = await hamlet(['sync', url, '-d', tempDir()]);
      expect(r.code, url).toBe(2);
      expect(r.stderr).toMatch(/is invalid for argument 'url'\. not a relay URL/);
    }
  });
});

describe('import counts each line once, whatever the batch size', { timeout: 120_000 }, () => {
  /**
   * Lines that depend on earlier ones, far enough apart to be verified in different tasks on
   * different threads: an old profile and its newer version, a note and its deletion, a
   * deletion arriving before its note, a vanish request and a note after it.
   */
  function dependentLines(groups: number): { text: string; lines: number; deletedFirst: number; vanished: number } {
    const now = Math.floor(Date.now() / 1000);
    const events: object[] = [];
    let vanished = 0;
    for (let g = 0; g < groups; g++) {
      const sk = generateSecretKey();
      const target = finalizeEvent({ kind: 1, created_at: now - 50, tags: [], content: `to delete ${g}` }, sk);
      const early = finalizeEvent({ kind: 1, created_at: now - 60, tags: [], content: `deleted before it came ${g}` }, sk);
      events.push(finalizeEvent({ kind: 0, created_at: now - 100, tags: [], content: '{}' }, sk), target);
      events.push(finalizeEvent({ kind: 5, created_at: now - 40, tags: [['e', early.id]], content: '' }, sk));
      for (let i = 0; i < 60; i++) events.push(finalizeEvent({ kind: 1, created_at: now - 200 - i, tags: [], content: `filler ${g} ${i}` }, sk));
      events.push(finalizeEvent({ kind: 0, created_at: now - 10, tags: [], content: '{"name":"newer"}' }, sk), early);
      events.push(finalizeEvent({ kind: 5, created_at: now - 40, tags: [['e', target.id]], content: '' }, sk));
      if (g % 4 === 0) {
        // everything of this author up to now goes; a note older than the request after it is refused
        events.push(finalizeEvent({ kind: 62, created_at: now - 5, tags: [['relay', 'ALL_RELAYS']], content: '' }, sk));
        events.push(finalizeEvent({ kind: 1, created_at: now - 300, tags: [], content: `after vanishing ${g}` }, sk));
        vanished++;
      }
    }
    return { text: jsonl(events), lines: events.length, deletedFirst: groups, vanished };
  }

  async function importWithBatch(text: string, batch: number) {
    const dir = tempDir();
    // two verifier threads, so the checks of one batch finish out of order
    const local = await openLocal(toolConfig(dir, { verify: { threads: 2 } }), { ingest: true });
    try {
      const summary = await importLines(createInterface({ input: Readable.from([text]) }), (raw) => local.relay!.ingest.submit(raw, 'import'), { batch });
      const stored = [...scanRecords(local.store.tables, {})].map((r) => r.id).sort();
      return { summary, stored };
    } finally {
      await local.close();
    }
  }

  it('the outcome of every line is the one it has alone (batch 3 vs 5000)', async () => {
    const input = dependentLines(12);
    const small = await importWithBatch(input.text, 3);
    const large = await importWithBatch(input.text, 5000);
    for (const { summary } of [small, large]) {
      expect(summary.lines).toBe(input.lines);
      expect(summary.stored + summary.duplicate + summary.rejected).toBe(input.lines);
      expect(summary.reasons).toEqual({
        'blocked: this event was deleted by its author': input.deletedFirst,
        'blocked: this author has vanished from this relay': input.vanished,
      });
    }
    expect({ ...large.summary, seconds: 0 }).toEqual({ ...small.summary, seconds: 0 });
    expect(large.stored).toEqual(small.stored);
  });

  it('hamlet import --batch gives the same summary as one event at a time', async () => {
    const input = dependentLines(3);
    const one = await hamlet(['import', '--json', '--batch', '1', '-d', tempDir()], { input: input.text, env: { HAMLET_VERIFY_THREADS: '2' } });
    const many = await hamlet(['import', '--json', '--batch', '1000', '-d', tempDir()], { input: input.text, env: { HAMLET_VERIFY_THREADS: '2' } });
    expect(one.code, one.stderr).toBe(0);
    expect(many.code, many.stderr).toBe(0);
    expect({ ...JSON.parse(many.stdout), seconds: 0 }).toEqual({ ...JSON.parse(one.stdout), seconds: 0 });
  });
});

/** Runs hamlet without root's permission override, so a read-only directory is read-only (root ignores modes). */
function readOnlyWrapper(): string[] | undefined {
  if (process.getuid?.() !== 0) return [];
  const drop = ['setpriv', '--bounding-set=-dac_override,-dac_read_search'];
  return spawnSync(drop[0]!, [...drop.slice(1), 'true']).status === 0 ? drop : undefined;
}

describe('a read-only data directory', { timeout: 120_000 }, () => {
  const wrapper = readOnlyWrapper();
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) chmodSync(d, 0o755);
  });

  it.skipIf(wrapper === undefined)('is one line and exit code 1, never a stack trace, and the database is untouched', async () => {
    const withDb = await smallDir();
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    const file = join(withDb, 'events.lmdb');
    const before = readFileSync(file);
    for (const d of [withDb, empty]) {
      chmodSync(d, 0o555);
      dirs.push(d);
    }
    chmodSync(file, 0o444);
    chmodSync(`${file}-lock`, 0o444);

    for (const args of [['stats', '-d', withDb], ['import', '-d', withDb], ['import', '-d', empty], ['export', '-d', withDb]]) {
      const r = await hamlet(args, { wrapper, input: '' });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^hamlet: cannot open the database in .*: permission denied/);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    }
    // HAMLET_DEBUG=1 shows where
    const debug = await hamlet(['stats', '-d', withDb], { wrapper, env: { HAMLET_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/^\s+at /m);

    chmodSync(file, 0o644);
    chmodSync(`${file}-lock`, 0o644);
    expect(readFileSync(file).equals(before)).toBe(true);
    chmodSync(withDb, 0o755);
    expect((await hamlet(['scan', '{}', '--count', '-d', withDb])).stdout).toBe('3\n');
  });
});
