import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { finalizeEvent, generateSecretKey } from 'nostr-tools';
import { openLocal } from '../../cli/tools/local.ts';
import { importLines } from '../../cli/tools/importer.ts';
import { scanRecords } from '../../cli/tools/records.ts';
import { deleteMatching, planDelete } from '../../cli/tools/deleter.ts';
import { parseCliFilter, parseDuration } from '../../cli/tools/filter.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { byId, dataDirs, hamlet, jsonl, parseJsonl, toolConfig } from './helpers.ts';
import { acceptAll } from '../../relay/policy.ts';
import { DecisionLog } from '../../policies/decisions.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { RawClient } from '../helpers/client.ts';
import { generateVillage, type Village } from './village.ts';

const tempDir = dataDirs();
let village: Village;
/** The village plus what a store must refuse or fold: duplicates, a bad signature, junk, an older profile. */
let input: string;
let expected: NostrEvent[];

beforeAll(() => {
  village = generateVillage({ posts: 24 });
  const fresh = () => finalizeEvent({ kind: 1, created_at: village.now - 5, tags: [], content: 'fresh' }, generateSecretKey());
  const forged = { ...fresh(), content: 'forged' };
  const badSig = { ...fresh(), sig: fresh().sig };
  const profile = village.events.find((e) => e.kind === 0)!;
  const owner = village.members.find((m) => m.pubkey === profile.pubkey)!;
  const olderProfile = finalizeEvent({ kind: 0, created_at: profile.created_at - 10, tags: [], content: '{}' }, owner.sk);
  const ephemeral = finalizeEvent({ kind: 20001, created_at: village.now, tags: [], content: 'typing...' }, owner.sk);
  input = jsonl(village.events) + jsonl(village.events.slice(0, 3)) + jsonl([forged, badSig]) + 'not json\n\n' + jsonl([olderProfile, ephemeral]);
  expected = village.events;
});

async function importInto(dir: string, text: string, policies = false, over: Record<string, Record<string, unknown>> = {}) {
  const local = await openLocal(toolConfig(dir, over), { ingest: true, policies });
  try {
    const lines = createInterface({ input: Readable.from([text]), crlfDelay: Infinity });
    return await importLines(lines, (raw) => local.relay!.ingest.submit(raw, 'import'), { batch: 10 });
  } finally {
    await local.close();
  }
}

describe('import, scan, export, delete (in process)', () => {
  it('imports verified events in batches with a summary by reason; scan returns exactly the stored set', async () => {
    const dir = tempDir();
    const s = await importInto(dir, input);
    expect(s.stored).toBe(expected.length);
    expect(s.duplicate).toBe(3);
    expect(s.reasons).toEqual({
      'invalid: bad signature': 1,
      'invalid: line is not JSON': 1,
      'invalid: event id does not match its content': 1,
      'duplicate: have a newer version of this replaceable event': 1,
      'invalid: ephemeral events (kinds 20000-29999) are never stored': 1,
    });
    const local = await openLocal(toolConfig(dir));
    try {
      const all = [...scanRecords(local.store.tables, {})].map((r) => r.event());
      expect(byId(all)).toEqual(byId(expected));
      const oldest = [...scanRecords(local.store.tables, {}, { order: 'oldest' })].map((r) => r.createdAt);
      expect(oldest).toEqual([...oldest].sort((a, b) => a - b));
      const garden = [...scanRecords(local.store.tables, parseCliFilter('{"#t":["garden","compost"],"kinds":[1]}'), { order: 'oldest' })].map((r) => r.event());
      expect(byId(garden)).toEqual(byId(expected.filter((e) => e.kind === 1 && e.tags.some((t) => t[0] === 't' && (t[1] === 'garden' || t[1] === 'compost')))));
      expect(garden.map((e) => e.created_at)).toEqual(garden.map((e) => e.created_at).sort((a, b) => a - b));
      const two = [...scanRecords(local.store.tables, parseCliFilter('{"kinds":[1],"limit":2}'))];
      expect(two).toHaveLength(2);
    } finally {
      await local.close();
    }
    // Again: everything is a duplicate now.
    expect((await importInto(dir, jsonl(expected))).duplicate).toBe(expected.length);
  });

  it('--through-policies judges each event as a client event (decisions recorded); around them, everything valid is stored', async () => {
    const noReactions = { policies: { dir: tempDir(), write: [{ use: 'kinds', options: { deny: [7], rule: 'no-reactions' } }] } };
    const through = tempDir();
    const s = await importInto(through, jsonl(expected), true, noReactions);
    const reactions = expected.filter((e) => e.kind === 7).length;
    expect(s.rejected).toBe(reactions);
    expect(s.reasons).toEqual({ 'blocked: kind 7 is not accepted here': reactions });
    const local = await openLocal(toolConfig(through));
    try {
      const decisions = new DecisionLog(local.store.env).list({ limit: 100 });
      expect(decisions.filter((d) => d.rule === 'no-reactions')).toHaveLength(reactions);
    } finally {
      await local.close();
    }
    const around = await importInto(tempDir(), jsonl(expected), false, noReactions);
    expect(around.stored).toBe(expected.length);
  });

  it('delete: a dry run changes nothing; the real one removes exactly the plan', async () => {
    const dir = tempDir();
    await importInto(dir, jsonl(expected));
    const local = await openLocal(toolConfig(dir));
    try {
      const f = parseCliFilter('{"kinds":[7]}');
      f.until = village.now - parseDuration('1h');
      const plan = planDelete(local.store, f);
      expect(plan).toEqual({ matched: 4, byKind: { 7: 4 } });
      expect([...scanRecords(local.store.tables, {})]).toHaveLength(expected.length);
      expect(await deleteMatching(local.store, f)).toBe(4);
      const left = [...scanRecords(local.store.tables, {})].map((r) => r.event());
      expect(byId(left)).toEqual(byId(expected.filter((e) => e.kind !== 7)));
      expect(planDelete(local.store, f).matched).toBe(0);
    } finally {
      await local.close();
    }
  });

  it('held events (moderation queue) are left out of scan and export unless asked for; delete takes them too', async () => {
    const dir = tempDir();
    const local = await openLocal(toolConfig(dir));
    try {
      const [held, shown] = expected.filter((e) => e.kind === 1);
      await local.store.store(held!, JSON.stringify(held), true);
      await local.store.store(shown!, JSON.stringify(shown), false);
      expect([...scanRecords(local.store.tables, {})].map((r) => r.id)).toEqual([shown!.id]);
      expect([...scanRecords(local.store.tables, {}, { includeHeld: true, order: 'oldest' })].map((r) => r.id).sort()).toEqual([held!.id, shown!.id].sort());
      expect(planDelete(local.store, {}).matched).toBe(2);
    } finally {
      await local.close();
    }
  });

  it('parses durations and refuses bad filters', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400);
    expect(parseDuration('12h')).toBe(43_200);
    expect(() => parseDuration('soon')).toThrow(/bad duration/);
    expect(() => parseCliFilter('{"kinds":"x"}')).toThrow(/bad filter/);
    expect(() => parseCliFilter('{')).toThrow(/not valid JSON/);
    expect(parseCliFilter('{"kinds":[1]}').limit).toBeUndefined();
  });
});

describe('hamlet import / scan / export / delete (child processes)', () => {
  it('round trip: import a file, scan --count, export equals the stored set, delete --dry-run then for real', async () => {
    const dir = tempDir();
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, input);
    const imp = await hamlet(['import', '-d', join(dir, 'data'), file, '--json']);
    expect(imp.code).toBe(0);
    const summary = JSON.parse(imp.stdout) as { stored: number; duplicate: number; rejected: number };
    expect(summary).toMatchObject({ stored: expected.length, duplicate: 3, rejected: 5 });

    const count = await hamlet(['scan', '-d', join(dir, 'data'), '{"kinds":[1]}', '--count']);
    expect(count.stdout.trim()).toBe(String(expected.filter((e) => e.kind === 1).length));

    const exp = await hamlet(['export', '-d', join(dir, 'data')]);
    expect(exp.code).toBe(0);
    expect(byId(parseJsonl(exp.stdout))).toEqual(byId(expected));

    const dry = await hamlet(['delete', '-d', join(dir, 'data'), '--filter', '{"kinds":[1]}', '--older-than', '7d', '--dry-run', '--json']);
    const plan = JSON.parse(dry.stdout) as { dryRun: boolean; matched: number };
    const old = expected.filter((e) => e.kind === 1 && e.created_at < village.now - 7 * 86_400);
    expect(plan.matched).toBe(old.length);
    expect((await hamlet(['scan', '-d', join(dir, 'data'), '{}', '--count'])).stdout.trim()).toBe(String(expected.length));

    const del = await hamlet(['delete', '-d', join(dir, 'data'), '--filter', '{"kinds":[1]}', '--older-than', '7d']);
    expect(del.stdout).toContain(`deleted ${old.length} events`);
    const after = await hamlet(['scan', '-d', join(dir, 'data'), '{}']);
    expect(parseJsonl(after.stdout)).toHaveLength(expected.length - old.length);
  });

  it('reads stdin, and refuses unclear requests with exit code 2', async () => {
    const dir = tempDir();
    const imp = await hamlet(['import', '-d', dir], { input: jsonl(expected.slice(0, 5)) });
    expect(imp.stdout).toMatch(/stored\s+5/);
    const del = await hamlet(['delete', '-d', dir]);
    expect(del.code).toBe(2);
    expect(del.stderr).toMatch(/say what to delete/);
    const bad = await hamlet(['scan', '-d', dir, '{"kinds":"1"}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad filter/);
  });
});

describe('hamlet import while the relay runs', () => {
  it('writes to the same data directory; the relay serves the events by REQ (no live broadcast)', async () => {
    const r = await startTestRelay({}, { policies: async () => acceptAll });
    try {
      const c = await RawClient.open(r.url);
      const notes = expected.filter((e) => e.kind === 1);
      const imp = await hamlet(['import', '-d', r.dataDir, '--json'], { input: jsonl(notes) });
      expect(JSON.parse(imp.stdout)).toMatchObject({ stored: notes.length });
      const got = await c.req('after', { kinds: [1] });
      expect(byId(got.events)).toEqual(byId(notes));
      // The relay keeps its own serials in step: a client's event after the import is stored too.
      const more = expected.find((e) => e.kind === 7)!;
      expect((await c.publish(more))[0]).toBe(true);
      expect((await c.req('all', {})).events).toHaveLength(notes.length + 1);
      c.close();
    } finally {
      await r.destroy();
    }
  });
});
