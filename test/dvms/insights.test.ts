import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nip19 } from 'nostr-tools';
import { openLocal } from '../../cli/tools/local.ts';
import { askVillage, UnknownQuestion } from '../../cli/tools/insightQuestions.ts';
import { villageInsights } from '../../cli/tools/insights.ts';
import { ownPubkeys } from '../../relay/nostr/ownKeys.ts';
import type { Store } from '../../relay/store/store.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, now } from '../helpers/client.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { hamlet, toolConfig } from '../cli/helpers.ts';
import { httpUrl, rpc } from '../management/helpers.ts';

/**
 * A seeded village whose answers are known. The labeler (its key in the data directory) labels
 * topics: last week 4 posts "gardening" and 3 "cycling"; the week before 3 "gardening", none
 * "cycling". Someone else's labels do not count; a relabelled post counts once. Wording is no
 * guide: the most repeated word ("weather") is no topic. Nina and Nick joined this month; a
 * DVM key (also in the data directory) started posting this month and is no member.
 */
const DAY = 86_400;
let dir: string;
const [olive, bob, nina, nick, stranger, admin] = Array.from({ length: 6 }, () => new Author());
const labeler = new Author();
const dvm = new Author();
const T = now();

function seed(): NostrEvent[] {
  const events: NostrEvent[] = [
    olive.sign({ content: 'long-time member', created_at: T - 60 * DAY }),
    bob.sign({ content: 'long-time member too', created_at: T - 50 * DAY }),
    nina.sign({ kind: 0, content: JSON.stringify({ name: 'Nina' }), created_at: T - 10 * DAY }),
    dvm.sign({ kind: 0, content: JSON.stringify({ name: 'Hamlet: For you' }), created_at: T - 9 * DAY }),
    dvm.sign({ content: 'a DVM post', created_at: T - 9 * DAY }),
  ];
  const label = (post: NostrEvent, topic: string, by = labeler, at = post.created_at + 60) =>
    by.sign({ kind: 1985, tags: [['L', '#t'], ['l', topic, '#t'], ['e', post.id]], created_at: at });
  const week = (ago: number, who: Author, topic: string, i: number) => {
    const p = who.sign({ content: `weather weather weather, post ${i}`, created_at: T - ago * DAY - i });
    events.push(p, label(p, topic));
    return p;
  };
  for (let i = 0; i < 4; i++) week(2, [olive, bob, nina, nick][i]!, 'gardening', i);
  const relabelled = week(3, olive, 'cycling', 10);
  events.push(label(relabelled, 'cycling', labeler, T - DAY)); // a relabelling run: once only
  for (let i = 0; i < 2; i++) week(4, bob, 'cycling', 20 + i);
  for (let i = 0; i < 3; i++) week(9, olive, 'gardening', 30 + i);
  for (let i = 0; i < 5; i++) {
    const p = stranger.sign({ content: `buy now ${i}`, created_at: T - 60 * DAY + i });
    events.push(p, label(p, 'bargains', stranger, T - 2 * DAY));
  }
  return events;
}

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hamlet-ask-'));
  mkdirSync(join(dir, 'dvm-keys'));
  writeFileSync(join(dir, 'dvm-keys', 'feed-for-you.key'), bytesToHex(dvm.sk) + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'labeler.key'), bytesToHex(labeler.sk) + '\n', { mode: 0o600 });
  const local = await openLocal(toolConfig(dir), { ingest: true });
  const results = await Promise.all(seed().map((e) => local.relay!.ingest.submit(e, 'import')));
  expect(results.every((r) => r.ok)).toBe(true);
  await local.close();
  const reader = await openLocal(toolConfig(dir));
  store = reader.store;
  close = reader.close;
});
afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

const ask = (q: string) => askVillage(store, q, { privateKinds: [4, 1059], staff: ownPubkeys(toolConfig(dir)), now: T + 10 });

describe('insights by meaning', () => {
  it('topics come from the labeler\'s topic labels (once per post, others\' labels ignored), not word counts; staff are no members', () => {
    const r = villageInsights(store, { period: 7 * DAY, now: T + 10, privateKinds: [], staff: ownPubkeys(toolConfig(dir)) });
    expect(r.topicSource).toBe('labels');
    expect(r.topics).toEqual([
      { name: 'gardening', now: 4, before: 3 },
      { name: 'cycling', now: 3, before: 0 },
    ]);
    expect(r.rising.map((t) => t.name)).toEqual(['cycling', 'gardening']);
    // this week: Nick is new (Nina came ten days ago); the DVM key is neither new nor active
    expect(r.members.new).toEqual([nick.pubkey]);
    expect(r.members.returning).not.toContain(dvm.pubkey);
    const month = villageInsights(store, { period: 30 * DAY, now: T + 10, privateKinds: [], staff: ownPubkeys(toolConfig(dir)) });
    expect(month.members.new.sort()).toEqual([nina.pubkey, nick.pubkey].sort());
    // without the staff list the DVM key would pass for a newcomer
    expect(villageInsights(store, { period: 30 * DAY, now: T + 10, privateKinds: [] }).members.new).toContain(dvm.pubkey);
  });

  it('answers the everyday questions in plain words', () => {
    const popular = ask('Which topic was most popular last week?');
    expect(popular.asked).toBe('popular-topic');
    expect(popular.answer).toMatch(/^The most popular topic in the last 7 days was gardening, with 4 posts \(3 the 7 days before\); then cycling \(3 posts\)\./);
    const joined = ask('Who joined this month?');
    expect(joined.asked).toBe('newcomers');
    expect(joined.answer).toMatch(/^2 people joined in the last 30 days: /);
    expect(joined.answer).toContain('Nina (');
    expect(joined.answer).toContain(nip19.npubEncode(nick.pubkey));
    expect(joined.answer).not.toContain(nip19.npubEncode(dvm.pubkey).slice(0, 16));
    const rising = ask('what is rising?');
    expect(rising.answer).toMatch(/^Rising in the last 7 days, against the 7 days before: cycling \(3 posts, up from 0\), gardening \(4 posts, up from 3\)\./);
    expect(() => ask('what is the meaning of life?')).toThrow(UnknownQuestion);
    expect(() => ask('what is the meaning of life?')).toThrow(/who joined this month\?/);
  });

  it('hamlet insights ask: an unknown question lists the known ones and exits 2', async () => {
    // one CLI run (start-up is seconds on a loaded machine): the answers themselves are checked above and over NIP-86
    // -d before `ask` (the parent's option) is read too
    const unknown = await hamlet(['insights', '-d', dir, 'ask', 'how', 'tall', 'is', 'the', 'church?']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/I do not understand "how tall is the church\?"/);
    expect(unknown.stderr).toContain('which topic was most popular last week?');
  }, 60_000);

  it('NIP-86 askinsights answers an admin, and says what it knows when it does not understand', async () => {
    await close();
    close = async () => {};
    const relay = await startTestRelay({ storage: { dataDir: dir }, relay: { admins: [admin.pubkey] } });
    try {
      const url = httpUrl(relay.url);
      const good = await rpc(url, admin, 'askinsights', ['who joined this month?']);
      expect((good.body.result as { answer: string }).answer).toMatch(/^2 people joined in the last 30 days: /);
      const bad = await rpc(url, admin, 'askinsights', ['how tall is the church?']);
      expect(bad.body.error).toMatch(/^invalid: I do not understand/);
      expect((await rpc(url, admin, 'askinsights', [])).body.error).toMatch(/^invalid: the first param must be a question/);
      expect((await rpc(url, admin, 'supportedmethods')).body.result).toContain('askinsights');
    } finally {
      await relay.close();
    }
  });
});
