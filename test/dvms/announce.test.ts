import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestRelay } from '../helpers/relay.ts';
import { HEARTBEAT_KIND } from '../../dvms/index.ts';
import { REASONS } from '../../dvms/feeds/reasons.ts';
import { Author, dvmPubkey, now, RawClient, runJob, startDvmRelay } from './helpers.ts';

const relays: TestRelay[] = [];
afterAll(async () => {
  for (const r of relays) await r.destroy().catch(() => {});
});

describe('announcements, heartbeats, keys', () => {
  it('announces each algorithm with its own key: 31990 with k 5300, typed nip90Params and reason texts; heartbeats', async () => {
    const relay = await startDvmRelay();
    relays.push(relay);
    const client = await RawClient.open(relay.url);
    const { events } = await client.req('a', { kinds: [31990], '#k': ['5300'] });
    expect(events).toHaveLength(4);
    expect(new Set(events.map((e) => e.pubkey)).size).toBe(4);
    for (const e of events) {
      expect(e.tags).toContainEqual(['k', '5300']);
      const d = e.tags.find((t) => t[0] === 'd')![1]!;
      expect(dvmPubkey(relay, d)).toBe(e.pubkey);
      const c = JSON.parse(e.content) as Record<string, unknown>;
      expect(c.name).toMatch(/^Hamlet: /);
      expect(typeof c.about).toBe('string');
      expect(c.encryptionSupported).toBe(true);
      expect(c.supportsEncryption).toBe(true);
      expect(c.personalized).toBe(true);
      expect(c.amount).toBe('free');
      expect(c.model).toMatch(/builtin/);
      expect(c.reasons).toEqual(REASONS);
      const params = c.nip90Params as Record<string, { type: string; required: boolean; description: string }>;
      for (const p of ['max_results', 'user', 'topics', 'exclude_topics', 'wot_hops', 'recency_half_life_h', 'max_per_author', 'no_engagement_bait', 'hide_labels', 'language', 'cursor']) {
        expect(params[p], p).toBeDefined();
        expect(params[p]!.description.length).toBeGreaterThan(10);
        expect(params[p]!.required).toBe(false);
      }
      expect(params.max_results!.type).toBe('integer');
    }
    const beats = await client.req('h', { kinds: [HEARTBEAT_KIND], '#k': ['5300'] });
    expect(beats.events).toHaveLength(4);
    for (const b of beats.events) {
      expect(b.tags).toContainEqual(['status', 'online']);
      expect(b.tags.find((t) => t[0] === 'a')![1]).toMatch(new RegExp(`^31990:${b.pubkey}:feed-`));
    }
    client.close();
  });

  it('keeps its keys (files of mode 0600) across a restart, does not re-announce unchanged, and ignores requests older than the window', async () => {
    const first = await startDvmRelay({ dvms: { requestWindowSeconds: 60 } });
    const dataDir = first.dataDir;
    const pubkeys = first.dvms!.dvms.map((d) => d.pubkey);
    const file = join(dataDir, 'dvm-keys', 'feed-for-you.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    let client = await RawClient.open(first.url);
    const before = (await client.req('a', { kinds: [31990] })).events.map((e) => e.id).sort();
    client.close();
    await first.close();

    const second = await startDvmRelay({ storage: { dataDir }, dvms: { requestWindowSeconds: 60 } });
    relays.push(second);
    expect(second.dvms!.dvms.map((d) => d.pubkey)).toEqual(pubkeys);
    client = await RawClient.open(second.url);
    expect((await client.req('a', { kinds: [31990] })).events.map((e) => e.id).sort()).toEqual(before);
    const alice = new Author();
    const old = alice.sign({ kind: 5300, created_at: now() - 3600, tags: [['p', pubkeys[0]!]] });
    await expect(runJob(client, old, 1500)).rejects.toThrow(/no matching frame/);
    const fresh = await runJob(client, alice.sign({ kind: 5300, tags: [['p', pubkeys[0]!]] }));
    expect(fresh.result).toBeDefined();
    client.close();
  });

  it('can be switched off: no DVM events with dvms.enabled = false', async () => {
    const relay = await startDvmRelay({ dvms: { enabled: false } });
    relays.push(relay);
    expect(relay.dvms).toBeUndefined();
  });
});
