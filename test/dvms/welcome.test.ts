import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nip19 } from 'nostr-tools';
import { openLocal } from '../../cli/tools/local.ts';
import { draftWelcomes, sendWelcomes, type WelcomeDraft } from '../../cli/tools/welcome.ts';
import { welcomeSigner } from '../../cli/commands/welcome.ts';
import { getPublicKey } from 'nostr-tools';
import { ownPubkeys } from '../../relay/nostr/ownKeys.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, now } from '../helpers/client.ts';
import { hamlet, toolConfig } from '../cli/helpers.ts';

/**
 * A village with regulars (Olive and Bob garden, Dave rides bikes), a DVM key and the labeler
 * among its staff, and three newcomers this week: Nina (#garden), Nick (no hashtag, labelled
 * "bikes" by the labeler), Nell (nothing to go on).
 */
const DAY = 86_400;
let dir: string;
const [olive, bob, dave, nina, nick, nell, moderator] = Array.from({ length: 7 }, () => new Author());
const dvm = new Author();
const labeler = new Author();
const posts: Record<string, NostrEvent> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hamlet-welcome-'));
  mkdirSync(join(dir, 'dvm-keys'), { recursive: true });
  writeFileSync(join(dir, 'dvm-keys', 'feed-for-you.key'), bytesToHex(dvm.sk) + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'labeler.key'), bytesToHex(labeler.sk) + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'moderator.key'), nip19.nsecEncode(moderator.sk) + '\n', { mode: 0o600 });
  const t = now();
  posts.nina = nina.sign({ content: 'hello! I grow tomatoes', tags: [['t', 'garden']], created_at: t - DAY });
  posts.nick = nick.sign({ content: 'first ride of the season', created_at: t - 2 * DAY });
  posts.nell = nell.sign({ content: 'hi all', created_at: t - 3 * DAY });
  const events = [
    olive.sign({ content: 'olive joined long ago', created_at: t - 40 * DAY }),
    olive.sign({ content: 'compost tea', tags: [['t', 'garden']], created_at: t - 20 * DAY }),
    olive.sign({ content: 'raised beds', tags: [['t', 'garden']], created_at: t - 12 * DAY }),
    bob.sign({ content: 'bob was here', created_at: t - 31 * DAY }),
    bob.sign({ content: 'seedlings', tags: [['t', 'garden']], created_at: t - 10 * DAY }),
    dave.sign({ content: 'dave was here', created_at: t - 25 * DAY }),
    dave.sign({ content: 'chain grease', tags: [['t', 'bikes']], created_at: t - 9 * DAY }),
    dave.sign({ content: 'hill climb', tags: [['t', 'bikes']], created_at: t - 8 * DAY }),
    dave.sign({ content: 'more bikes', tags: [['t', 'bikes']], created_at: t - 8 * DAY + 5 }),
    // the DVM key posts about gardens too, and is older than this week: staff are never suggested
    dvm.sign({ content: 'garden feed', tags: [['t', 'garden']], created_at: t - 9 * DAY }),
    dvm.sign({ content: 'garden feed again', tags: [['t', 'garden']], created_at: t - 2 * DAY }),
    posts.nina,
    posts.nick,
    posts.nell,
    labeler.sign({ kind: 1985, tags: [['L', '#t'], ['l', 'bikes', '#t'], ['e', posts.nick.id]], created_at: t - 2 * DAY + 60 }),
  ];
  const local = await openLocal(toolConfig(dir), { ingest: true });
  const results = await Promise.all(events.map((e) => local.relay!.ingest.submit(e, 'import')));
  expect(results.every((r) => r.ok)).toBe(true);
  await local.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const byNewcomer = (ds: WelcomeDraft[], a: Author) => ds.find((d) => d.newcomer === a.pubkey)!;

describe('hamlet welcome', () => {
  it('drafts a reply to each newcomer\'s first post naming members who share its topics (hashtags or topic labels), never staff', async () => {
    const local = await openLocal(toolConfig(dir));
    const staff = ownPubkeys(toolConfig(dir));
    expect(staff).toEqual(new Set([dvm.pubkey, labeler.pubkey]));
    const drafts = draftWelcomes(local.store, { days: 7, suggestions: 3, staff, relayName: 'Hamlet' });
    await local.close();
    expect(drafts.map((d) => d.newcomer).sort()).toEqual([nina, nick, nell].map((a) => a.pubkey).sort());
    const n = byNewcomer(drafts, nina);
    expect(n.post.id).toBe(posts.nina!.id);
    expect(n.suggestions.map((s) => s.pubkey)).toEqual([olive.pubkey, bob.pubkey]);
    expect(n.suggestions[0]!.shared).toEqual(['garden']);
    expect(n.reply).toContain(`nostr:${nip19.npubEncode(olive.pubkey)}`);
    expect(n.reply).toContain('#garden');
    const k = byNewcomer(drafts, nick);
    expect(k.post.topics).toEqual(['bikes']);
    expect(k.suggestions.map((s) => s.pubkey)).toEqual([dave.pubkey]);
    // nothing to go on: the month's most active posters (not staff, not themselves)
    const l = byNewcomer(drafts, nell);
    expect(l.suggestions.map((s) => s.pubkey).slice(0, 2)).toEqual([dave.pubkey, olive.pubkey]);
    expect(l.suggestions).toHaveLength(3);
    for (const d of drafts) expect(d.suggestions.some((s) => s.pubkey === dvm.pubkey || s.pubkey === d.newcomer)).toBe(false);
  });

  it('who signs: a moderator\'s --key; else the people DVM\'s key, only when dvms.welcome.autoSend', () => {
    expect(getPublicKey(welcomeSigner(toolConfig(dir), { key: join(dir, 'moderator.key') }))).toBe(moderator.pubkey);
    expect(() => welcomeSigner(toolConfig(dir), {})).toThrow(/autoSend is false/);
    const people = welcomeSigner(toolConfig(dir, { dvms: { welcome: { autoSend: true } } }), {});
    // the same key the people DVM announces itself with (created on first use, then kept)
    expect(bytesToHex(welcomeSigner(toolConfig(dir, { dvms: { welcome: { autoSend: true } } }), {}))).toBe(bytesToHex(people));
    expect(ownPubkeys(toolConfig(dir))).toContain(getPublicKey(people));
    rmSync(join(dir, 'dvm-keys', 'people.key'));
  });

  it('sends nothing by default: `hamlet welcome --send` without autoSend or a key is refused (exit 2)', async () => {
    const refused = await hamlet(['welcome', '-d', dir, '--send']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/autoSend is false/);
    const local = await openLocal(toolConfig(dir));
    expect(local.store.query([{ kinds: [1], since: now() - 60 }], { now: now() })).toHaveLength(0);
    await local.close();
  }, 60_000);

  it('sends the welcomes as replies to the first posts, through the relay\'s ingest path, once per post', async () => {
    const local = await openLocal(toolConfig(dir), { ingest: true });
    try {
      const drafts = draftWelcomes(local.store, { days: 7, suggestions: 3, staff: ownPubkeys(toolConfig(dir)), relayName: 'Hamlet' });
      expect((await sendWelcomes(local.store, local.relay!, drafts, moderator.sk)).map((s) => s.result)).toEqual(['sent', 'sent', 'sent']);
      const replies = local.store.query([{ kinds: [1], authors: [moderator.pubkey] }], { now: now() }).map((r) => r.event());
      expect(replies).toHaveLength(3);
      const toNina = replies.find((e) => e.tags.some((t) => t[0] === 'e' && t[1] === posts.nina!.id))!;
      expect(toNina.tags).toContainEqual(['p', nina.pubkey]);
      expect(toNina.tags.find((t) => t[0] === 'e')![3]).toBe('root');
      expect(toNina.content).toBe(byNewcomer(drafts, nina).reply);
      expect((await sendWelcomes(local.store, local.relay!, drafts, moderator.sk)).map((s) => s.result)).toEqual(['already welcomed', 'already welcomed', 'already welcomed']);
    } finally {
      await local.close();
    }
  });
});
