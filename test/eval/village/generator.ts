import { seededRandom } from '../../../models/train/dataset.ts';
import { fill, foreign, pick, type Random } from './text.ts';
import { REPLIES, SPAM, TOPICS } from './topics.ts';

/**
 * The evaluation village: members with hidden interests who post in free wording, follow partly
 * by interest, and engage by interest (plus following and chance); a spam ring; a split at
 * "now" (time 0). Everything is relative to the split (seconds; negative = before it) and drawn
 * from one seeded generator, so the same seed gives the same village whatever the clock says.
 */

export const HOUR = 3600;
export const DAY = 24 * HOUR;

export type Lang = 'en' | 'es' | 'de';
/** How a post is worded: a seen or unseen English template, a Spanish/German sentence, spam or a reply. */
export type Wording = 'seen' | 'unseen' | 'foreign' | 'spam' | 'reply';

export interface Member {
  index: number;
  spam: boolean;
  /** Indices into TOPICS (none for spammers). */
  interests: number[];
  /** A second language the member reads and often writes in. */
  lang2?: 'es' | 'de';
  follows: number[];
}

export interface Post {
  index: number;
  author: number;
  /** Index into TOPICS; -1 for spam. */
  topic: number;
  lang: Lang;
  wording: Wording;
  /** `<topic>/<wording>/<n>` (or `spam/<n>`): which template or sentence it came from. */
  template: string;
  text: string;
  hashtags: string[];
  at: number;
  /** How much it appeals to members interested in its topic (0-1). */
  appeal: number;
}

export interface Engagement {
  member: number;
  post: number;
  /** 7 reaction, 6 repost, 1 reply. */
  kind: 7 | 6 | 1;
  at: number;
  text?: string;
}

export interface Probe {
  topic: number;
  lang: Lang;
  wording: Wording;
  template: string;
  text: string;
}

export interface VillageOptions {
  seed: number;
  members: number;
  postsPerMember: number;
  spamAccounts: number;
  spamPostsEach: number;
  /** Hashtag-free texts per topic for the tag evaluation, in seen and in unseen wording. */
  probesPerTopic: number;
  /** Posts are spread over this many days before the split. */
  days: number;
  /** Mean delay between a post and a member's engagement with it (exponential). */
  engageDelayHours: number;
}

export interface Village {
  options: VillageOptions;
  members: Member[];
  /** Root posts, all before the split, oldest first. */
  posts: Post[];
  /** Reactions, reposts and replies, before and after the split. */
  engagements: Engagement[];
  probes: { seen: Probe[]; unseen: Probe[]; foreign: Probe[] };
}

export const QUICK_VILLAGE: VillageOptions = { seed: 1, members: 200, postsPerMember: 8, spamAccounts: 6, spamPostsEach: 12, probesPerTopic: 15, days: 6, engageDelayHours: 48 };
export const FULL_VILLAGE: VillageOptions = { seed: 1, members: 400, postsPerMember: 8, spamAccounts: 10, spamPostsEach: 12, probesPerTopic: 40, days: 6, engageDelayHours: 48 };

function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

function makeMembers(o: VillageOptions, random: Random): Member[] {
  const T = TOPICS.length;
  const members: Member[] = [];
  for (let i = 0; i < o.members; i++) {
    const first = Math.floor(random() * T);
    const interests = random() < 0.55 ? [first, (first + 1 + Math.floor(random() * (T - 1))) % T] : [first];
    const l = random();
    const lang2 = l < 0.16 ? 'es' : l < 0.25 ? 'de' : undefined;
    members.push({ index: i, spam: false, interests, ...(lang2 ? { lang2 } : {}), follows: [] });
  }
  for (let s = 0; s < o.spamAccounts; s++) members.push({ index: o.members + s, spam: true, interests: [], follows: [] });
  return members;
}

/** Half of a member's follows share an interest, half are anyone; a few follow a spammer back. */
function makeFollows(members: Member[], random: Random): void {
  const real = members.filter((m) => !m.spam);
  const spam = members.filter((m) => m.spam);
  for (const m of real) {
    const want = Math.min(real.length - 1, 8 + Math.floor(random() * 15));
    const follows = new Set<number>();
    const alike = real.filter((x) => x !== m && x.interests.some((t) => m.interests.includes(t)));
    for (let tries = 0; follows.size < want && tries < want * 20; tries++) {
      const x = random() < 0.5 && alike.length ? pick(alike, random) : pick(real, random);
      if (x !== m) follows.add(x.index);
    }
    if (spam.length && random() < 0.08) follows.add(pick(spam, random).index);
    m.follows = [...follows];
  }
  for (const s of spam) {
    const follows = new Set(spam.filter((x) => x !== s).map((x) => x.index));
    for (let k = 0; k < Math.min(20, real.length); k++) follows.add(pick(real, random).index);
    s.follows = [...follows];
  }
}

function hashtagsFor(topic: number, random: Random): string[] {
  if (random() >= 2 / 3) return [];
  const tags = TOPICS[topic]!.hashtags;
  const first = random() < 0.7 ? tags[0]! : pick(tags.slice(1), random);
  const out = [first];
  if (random() < 0.3) {
    const second = pick(tags, random);
    if (second !== first) out.push(second);
  }
  return out;
}

function makePosts(o: VillageOptions, members: Member[], random: Random): Post[] {
  const posts: Omit<Post, 'index'>[] = [];
  const span = o.days * DAY;
  for (const m of members) {
    if (m.spam) {
      const stuffing = [...SPAM.hashtags, ...TOPICS.map((t) => t.hashtags[0]!)];
      for (let k = 0; k < o.spamPostsEach; k++) {
        const n = Math.floor(random() * SPAM.texts.length);
        const tags = [...new Set(Array.from({ length: 8 + Math.floor(random() * 5) }, () => pick(stuffing, random)))];
        posts.push({ author: m.index, topic: -1, lang: 'en', wording: 'spam', template: `spam/${n}`, text: SPAM.texts[n]!, hashtags: tags, at: -Math.ceil(random() * span), appeal: 0 });
      }
      continue;
    }
    const count = Math.max(1, Math.round(o.postsPerMember * (0.5 + random())));
    for (let k = 0; k < count; k++) {
      const topic = random() < 0.85 ? pick(m.interests, random) : Math.floor(random() * TOPICS.length);
      const t = TOPICS[topic]!;
      const lang: Lang = m.lang2 && random() < 0.6 ? m.lang2 : 'en';
      const at = -Math.ceil(random() * span);
      const hashtags = hashtagsFor(topic, random);
      const appeal = random();
      if (lang === 'en') {
        const n = Math.floor(random() * t.seen.length);
        posts.push({ author: m.index, topic, lang, wording: 'seen', template: `${t.name}/seen/${n}`, text: fill(t.seen[n]!, t, random), hashtags, at, appeal });
      } else {
        const f = foreign(t, lang, random);
        posts.push({ author: m.index, topic, lang, wording: 'foreign', template: `${t.name}/${lang}/${f.template}`, text: f.text, hashtags, at, appeal });
      }
    }
  }
  posts.sort((a, b) => a.at - b.at);
  return posts.map((p, index) => ({ ...p, index }));
}

/**
 * How likely a member is to engage with a post, ever: by interest (most appealing posts on their
 * topics: 0.9; the duds, a third of posts: 0.05), by following (a little, whatever the topic), by
 * chance (rarely); less in a language the member does not read.
 */
export function engagementProbability(m: Member, p: Post, follows: ReadonlySet<number>): number {
  let prob: number;
  if (p.topic < 0) prob = 0.004;
  else {
    prob = m.interests.includes(p.topic) ? (p.appeal < 0.3 ? 0.05 : 0.9) : 0.008;
    if (p.lang !== 'en' && p.lang !== m.lang2) prob *= 0.3;
  }
  if (follows.has(p.author)) prob = prob * 1.2 + 0.06;
  return Math.min(prob, 0.95);
}

/**
 * Who engages with what (engagementProbability), after an exponential delay; the spam ring
 * reacts to and reposts its own posts within the hour.
 */
function makeEngagements(o: VillageOptions, members: Member[], posts: Post[], random: Random): Engagement[] {
  const out: Engagement[] = [];
  for (const m of members) {
    if (m.spam) continue;
    const follows = new Set(m.follows);
    for (const p of posts) {
      if (p.author === m.index) continue;
      if (random() >= engagementProbability(m, p, follows)) continue;
      const at = p.at + Math.ceil(exponential(random, o.engageDelayHours * HOUR));
      const r = random();
      if (r < 0.75) out.push({ member: m.index, post: p.index, kind: 7, at });
      else if (r < 0.87) out.push({ member: m.index, post: p.index, kind: 6, at });
      else out.push({ member: m.index, post: p.index, kind: 1, at, text: pick(REPLIES, random) });
    }
  }
  const ring = members.filter((m) => m.spam);
  for (const p of posts) {
    if (p.topic >= 0) continue;
    for (const s of ring) {
      if (s.index === p.author || random() >= 0.9) continue;
      out.push({ member: s.index, post: p.index, kind: random() < 0.7 ? 7 : 6, at: p.at + Math.ceil(exponential(random, HOUR)) });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Hashtag-free texts for the tagger: seen wording (new texts, not any stored post's), unseen wording, Spanish/German. */
function makeProbes(o: VillageOptions, posts: Post[], random: Random): Village['probes'] {
  const stored = new Set(posts.map((p) => p.text));
  const probes: Village['probes'] = { seen: [], unseen: [], foreign: [] };
  for (const [topic, t] of TOPICS.entries()) {
    for (const wording of ['seen', 'unseen'] as const) {
      const templates = t[wording];
      const made = new Set<string>();
      for (let tries = 0; made.size < o.probesPerTopic && tries < o.probesPerTopic * 50; tries++) {
        const n = Math.floor(random() * templates.length);
        const text = fill(templates[n]!, t, random);
        if (stored.has(text) || made.has(text)) continue;
        made.add(text);
        probes[wording].push({ topic, lang: 'en', wording, template: `${t.name}/${wording}/${n}`, text });
      }
    }
    for (let k = 0; k < Math.max(2, Math.round(o.probesPerTopic / 3)); k++) {
      const lang = k % 3 === 2 ? 'de' : 'es';
      const f = foreign(t, lang, random);
      probes.foreign.push({ topic, lang, wording: 'foreign', template: `${t.name}/${lang}/${f.template}`, text: f.text });
    }
  }
  return probes;
}

export function generateVillage(o: VillageOptions): Village {
  const random = seededRandom(o.seed);
  const members = makeMembers(o, random);
  makeFollows(members, random);
  const posts = makePosts(o, members, random);
  const engagements = makeEngagements(o, members, posts, random);
  const probes = makeProbes(o, posts, random);
  return { options: o, members, posts, engagements, probes };
}
