import { describe, expect, it } from 'vitest';
import { verifyEvent } from 'nostr-tools';
import { loadSigner } from '../bench/util/sign.ts';
import { parseEvent, villageEvents } from './village/events.ts';
import { generateVillage, type VillageOptions } from './village/generator.ts';
import { AMBIGUOUS, TOPICS } from './village/topics.ts';

const SMALL: VillageOptions = { seed: 7, members: 80, postsPerMember: 5, spamAccounts: 4, spamPostsEach: 6, probesPerTopic: 6, days: 6, engageDelayHours: 24 };

describe('evaluation village generator', () => {
  const village = generateVillage(SMALL);

  it('is deterministic by seed', () => {
    expect(generateVillage(SMALL)).toEqual(village);
    const other = generateVillage({ ...SMALL, seed: 8 });
    expect(other.posts.map((p) => p.text)).not.toEqual(village.posts.map((p) => p.text));
  });

  it('never uses an unseen-wording template before the split, and probes them', () => {
    expect(village.posts.every((p) => p.at < 0)).toBe(true);
    expect(village.posts.some((p) => p.wording === 'unseen' || p.template.includes('/unseen/'))).toBe(false);
    // the text of an unseen template's fixed words never occurs in a stored post
    for (const t of TOPICS) {
      for (const template of t.unseen) {
        const fixedPart = template.split(/\{\w+\}/).sort((a, b) => b.length - a.length)[0]!.trim();
        expect(village.posts.some((p) => p.text.includes(fixedPart)), `${t.name}: "${fixedPart}"`).toBe(false);
      }
    }
    expect(village.probes.unseen.length).toBeGreaterThan(TOPICS.length * 3);
    expect(village.probes.unseen.every((p) => p.template.includes('/unseen/'))).toBe(true);
    const stored = new Set(village.posts.map((p) => p.text));
    expect(village.probes.seen.some((p) => stored.has(p.text))).toBe(false);
  });

  it('writes Spanish and German posts, a third of posts without hashtags, and words two topics share', () => {
    const share = (f: (p: (typeof village.posts)[number]) => boolean) => village.posts.filter(f).length / village.posts.length;
    expect(share((p) => p.lang === 'es')).toBeGreaterThan(0.04);
    expect(share((p) => p.lang === 'de')).toBeGreaterThan(0.02);
    expect(share((p) => p.lang !== 'en')).toBeLessThan(0.3);
    expect(share((p) => p.hashtags.length === 0)).toBeGreaterThan(0.25);
    expect(share((p) => p.hashtags.length === 0)).toBeLessThan(0.42);
    for (const [word, topics] of Object.entries(AMBIGUOUS)) {
      for (const name of topics) {
        const t = TOPICS.find((x) => x.name === name)!;
        const text = [...t.seen, ...t.unseen, ...Object.values(t.pools).flat()].join(' ').toLowerCase();
        expect(text, `${word} in ${name}`).toMatch(new RegExp(`\\b${word}\\b`));
      }
    }
  });

  it('has a spam ring that stuffs hashtags and reacts to its own posts', () => {
    const ring = new Set(village.members.filter((m) => m.spam).map((m) => m.index));
    expect(ring.size).toBe(SMALL.spamAccounts);
    const spamPosts = village.posts.filter((p) => ring.has(p.author));
    expect(spamPosts.length).toBe(SMALL.spamAccounts * SMALL.spamPostsEach);
    expect(spamPosts.every((p) => p.topic === -1 && p.hashtags.length >= 5)).toBe(true);
    const spamIds = new Set(spamPosts.map((p) => p.index));
    const ringActs = village.engagements.filter((e) => ring.has(e.member) && spamIds.has(e.post));
    expect(ringActs.length).toBeGreaterThan(spamPosts.length * (SMALL.spamAccounts - 1) * 0.7);
  });

  it('lets members engage by their hidden interests, before and after the split', () => {
    const members = new Map(village.members.map((m) => [m.index, m]));
    const real = village.engagements.filter((e) => !members.get(e.member)!.spam);
    const onInterest = real.filter((e) => members.get(e.member)!.interests.includes(village.posts[e.post]!.topic)).length / real.length;
    expect(onInterest).toBeGreaterThan(0.6);
    expect(real.some((e) => e.at >= 0)).toBe(true);
    expect(real.some((e) => e.at < 0)).toBe(true);
  });

  it('turns into signed events, the held-out engagement only after the split', () => {
    const now = 1_800_000_000;
    const ev = villageEvents(village, now, loadSigner());
    const events = ev.before.map(parseEvent);
    expect(events.every((e) => e.created_at < now)).toBe(true);
    expect(verifyEvent(events[0] as never)).toBe(true);
    expect(verifyEvent(events.at(-1) as never)).toBe(true);
    expect(ev.heldOut.size).toBeGreaterThan(SMALL.members / 2);
    const liked = new Set(events.filter((e) => e.kind === 7).map((e) => `${e.pubkey}:${e.tags.find((t) => t[0] === 'e')![1]}`));
    for (const [m, ids] of ev.heldOut) for (const id of ids) expect(liked.has(`${ev.keys[m]!.pubkey}:${id}`)).toBe(false);
  });
});
