import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecisionLog } from '../../policies/decisions.ts';
import { openLocal } from '../../cli/tools/local.ts';
import { villageInsights, type Insights } from '../../cli/tools/insights.ts';
import { hamlet, toolConfig } from './helpers.ts';
import { Author } from '../helpers/client.ts';
import { generateVillage, type Village } from './village.ts';

const DAY = 86_400;
let v: Village;
let dir: string;
let r: Insights;

describe('village insights on a small generated village', () => {
  beforeAll(async () => {
    v = generateVillage({ posts: 30 });
    dir = mkdtempSync(join(tmpdir(), 'hamlet-insights-'));
    const local = await openLocal(toolConfig(dir), { ingest: true });
    const results = await Promise.all(v.events.map((e) => local.relay!.ingest.submit(e, 'import')));
    expect(results.every((x) => x.ok)).toBe(true);
    // Decisions as the policy engine records them: this week and last week.
    const log = new DecisionLog(local.store.env);
    const ms = v.now * 1000;
    await Promise.all([
      log.record({ at: ms - 1000, stage: 'write', action: 'reject', policy: 'spam', rule: 'no-spam', reason: 'blocked: spam' }),
      log.record({ at: ms - 2000, stage: 'write', action: 'reject', policy: 'spam', rule: 'no-spam', reason: 'blocked: spam', repeats: 2 }),
      log.record({ at: ms - 3 * DAY * 1000, stage: 'write', action: 'hold', policy: 'toxicity', rule: 'be-kind', reason: 'held' }),
      log.record({ at: ms - 9 * DAY * 1000, stage: 'write', action: 'reject', policy: 'spam', rule: 'no-spam', reason: 'blocked: spam' }),
      log.record({ at: ms - 30 * DAY * 1000, stage: 'write', action: 'reject', policy: 'spam', rule: 'ancient', reason: 'out of range' }),
    ]);
    r = villageInsights(local.store, { period: 7 * DAY, now: v.now + 10, privateKinds: [4, 1059] });
    await local.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hashtags and topics this week vs last week', () => {
    const garden = r.hashtags.find((t) => t.name === 'garden')!;
    expect(garden.now).toBe(15 + 1);
    expect(garden.before).toBe(0);
    expect(r.hashtags.find((t) => t.name === 'harvest')).toBeUndefined();
    expect(r.hashtags.find((t) => t.name === 'compost')).toMatchObject({ now: 1, before: 0 });
    // No topic labels in this village: topics are its hashtags (never raw word counts: "tomatoes" is in every post)
    expect(r.topicSource).toBe('hashtags');
    expect(r.topics).toEqual(r.hashtags);
    expect(r.topics.find((t) => t.name === 'tomatoes')).toBeUndefined();
    expect(r.rising.map((t) => t.name)).toEqual(['garden', 'compost']);
  });

  it('most engaged post with reactions, reposts, replies and zaps', () => {
    const top = r.engaged[0]!;
    expect(top).toMatchObject({ id: v.starPost.id, pubkey: v.starPost.pubkey, reactions: 4, reposts: 1, replies: 1, zaps: 1, zapSats: 21, score: 4 + 2 + 2 + 3 });
    expect(top.snippet).toContain('hello village');
  });

  it('active, new, returning and continuing members; DMs do not count', () => {
    expect(r.members.new).toEqual(v.newcomers);
    expect(r.members.returning).toEqual(v.returning);
    // Three regulars posted both weeks; the zap receipt's signer is not a member.
    expect(r.members.continuing).toBe(3);
    expect(r.members.active).toBe(3 + 2);
    expect(r.events.now + r.events.before).toBe(v.events.filter((e) => e.kind !== 4 && e.created_at >= v.now + 10 - 14 * DAY).length);
  });

  it('moderation decisions by rule, this week and last', () => {
    expect(r.moderation).toEqual([
      { policy: 'spam', rule: 'no-spam', action: 'reject', now: 4, before: 1 },
      { policy: 'toxicity', rule: 'be-kind', action: 'hold', now: 1, before: 0 },
    ]);
  });

  it('hamlet insights prints a table, or JSON', async () => {
    const json = await hamlet(['insights', '-d', dir, '--since', '7d', '--json']);
    expect(json.code).toBe(0);
    const got = JSON.parse(json.stdout) as Insights;
    expect(got.engaged[0]!.id).toBe(v.starPost.id);
    expect(got.members.new).toEqual(v.newcomers);
    const text = await hamlet(['insights', '-d', dir]);
    expect(text.stdout).toMatch(/Hashtags\n#tag\s+now\s+before\s+change\ngarden\s+16\s+0\s+new/);
    expect(text.stdout).toContain('no-spam');
    const bad = await hamlet(['insights', '-d', dir, '--since', 'a while']);
    expect(bad.code).toBe(2);
  });
});

describe('village insights reveal nothing of private kinds', () => {
  let pdir: string;
  afterAll(() => rmSync(pdir, { recursive: true, force: true }));

  it('lists no DM, seal, rumor or gift wrap, not even by id, however much engagement it drew, and prints none of their text', async () => {
    pdir = mkdtempSync(join(tmpdir(), 'hamlet-insights-private-'));
    const [alice, bob, carol] = [new Author(), new Author(), new Author()];
    const post = alice.sign({ content: 'the village fair is on saturday #fair' });
    const dm = alice.sign({ kind: 4, tags: [['p', bob.pubkey]], content: 'dmsecret?iv=abc' });
    const seal = alice.sign({ kind: 13, content: 'sealsecret words' });
    const rumor = alice.sign({ kind: 14, tags: [['p', bob.pubkey], ['t', 'rumortag']], content: 'rumorsecret about the fair' });
    const wrap = carol.sign({ kind: 1059, tags: [['p', bob.pubkey]], content: 'wrapsecret' });
    const react = (target: string, n: number) => Array.from({ length: n }, () => new Author().sign({ kind: 7, tags: [['e', target]], content: '+' }));
    const events = [post, dm, seal, rumor, wrap, ...react(post.id, 1), ...react(dm.id, 5), ...react(seal.id, 4), ...react(rumor.id, 3), ...react(wrap.id, 2)];
    const local = await openLocal(toolConfig(pdir), { ingest: true });
    const results = await Promise.all(events.map((e) => local.relay!.ingest.submit(e, 'import')));
    expect(results.every((x) => x.ok)).toBe(true);
    // An operator whose nips.restrictedKinds leaves these kinds out: they stay private here all the same.
    const got = villageInsights(local.store, { period: 7 * DAY, privateKinds: [] });
    await local.close();
    expect(got.engaged.map((p) => p.id)).toEqual([post.id]);
    const text = JSON.stringify(got);
    for (const secret of [dm.id, seal.id, rumor.id, wrap.id, 'dmsecret', 'sealsecret', 'rumorsecret', 'rumortag', 'wrapsecret']) {
      expect(text, secret).not.toContain(secret);
    }
    const printed = await hamlet(['insights', '-d', pdir]);
    expect(printed.code).toBe(0);
    for (const secret of [dm.id.slice(0, 12), seal.id.slice(0, 12), rumor.id.slice(0, 12), wrap.id.slice(0, 12), 'sealsecret', 'rumorsecret']) {
      expect(printed.stdout, secret).not.toContain(secret);
    }
    expect(printed.stdout).toContain(post.id.slice(0, 12));
  });
});
