import { actWeight } from '../signals/engagement.ts';
import type { Signals } from '../signals/index.ts';
import type { Post } from '../signals/posts.ts';
import { dotQ } from '../signals/vectors.ts';
import { WordQuery } from '../signals/words.ts';
import { isEngagementBait } from './bait.ts';
import type { FeedParams } from './params.ts';
import type { ReasonCode } from './reasons.ts';

export interface Ranked {
  id: string;
  pubkey: string;
  score: number;
  reason: ReasonCode;
  /** The reason in words, with its particulars ("liked by 3 people you follow"). */
  detail?: string;
  /** The post's first hashtag: what the diversifier counts as its topic. */
  topic?: string;
}

/**
 * Similarity (of the village embedding: meaning and wording) from which a post counts as about
 * a left-out topic, set by hand: high enough that posts on other topics stay (their similarity
 * to a topic's name is near 0 once the meaning model is learnt), low enough that a post on the
 * topic in other words goes (test/dvms/control.test.ts). Not yet measured on the evaluation
 * village.
 */
export const EXCLUDE_MIN_SIMILARITY = 0.3;

/** The trust of the people the member follows, and only theirs. */
const FOLLOWED = 1;

/** What every algorithm needs for one request: the signals, the params, and the user's circles. */
export class RankContext {
  /** Hop distance from the user (up to 3). */
  readonly hops: ReadonlyMap<string, number>;
  private readonly mutes;
  /** The spam verdict, read once per request (a ranking asks about every engager of every post). */
  readonly spammers: ReadonlySet<string>;
  /**
   * Each engager's trust by their number (PersonNumbers), asked once per person per request: NaN
   * not asked yet, -1 for someone whose engagement counts for nothing (muted, spam). Typed,
   * because a ranking reads it for every engager of every candidate.
   */
  private engagerTrust?: Float64Array;
  /** Muted words, excluded topics and asked-for one-word topics, hashed once per request. */
  private readonly mutedWords: WordQuery[];
  private readonly excluded: WordQuery[];
  private readonly topicWords: WordQuery[];

  constructor(
    readonly signals: Signals,
    readonly params: FeedParams,
    readonly now: number,
    /** Hop distance from the village's members (policies.members), when it has any. */
    readonly village: ReadonlyMap<string, number> | undefined,
    /** Embeddings of the topics the member asked for (topics param). */
    readonly topicVectors: { topic: string; vector: Float32Array }[],
    /** Embeddings of the topics the member left out (exclude_topics): posts about them in other words go too. */
    readonly excludedVectors: Float32Array[] = [],
  ) {
    this.hops = signals.graph.hops(params.user, Math.max(3, params.wotHops));
    this.mutes = signals.mutes.of(params.user);
    this.spammers = signals.spam.spammers();
    this.mutedWords = (this.mutes?.words ?? []).map((w) => new WordQuery(w));
    this.excluded = params.excludeTopics.map((t) => new WordQuery(t));
    this.topicWords = params.topics.map((t) => new WordQuery(t.includes(' ') ? '' : t));
  }

  /** How much the user trusts an author or an engager: their circles first, then the village. */
  trust(pubkey: string): number {
    const d = this.hops.get(pubkey);
    if (d === 1) return FOLLOWED;
    if (d === 2) return 0.5;
    if (d === 3) return 0.25;
    if (d === 0) return 0.5; // the user themself
    if (!this.village) return 0.1; // no members configured: everyone on the relay is the village
    return this.village.has(pubkey) ? 0.15 : 0.02;
  }

  recency(createdAt: number, halfLifeH = this.params.recencyHalfLifeH): number {
    const ageH = Math.max(0, this.now - createdAt) / 3600;
    return 0.5 ** (ageH / halfLifeH);
  }

  /** Hidden by the member's settings or mutes: never shown, whatever the algorithm. */
  visible(post: Post): boolean {
    const p = this.params;
    if (post.pubkey === p.user || post.createdAt > this.now) return false;
    // a group's posts only in its own feed (whose requester feedDvm checked), and that feed only them
    if (post.group !== p.group) return false;
    const m = this.mutes;
    if (m && (m.pubkeys.has(post.pubkey) || m.threads.has(post.id) || post.hashtags.some((t) => m.hashtags.has(t)) || this.mutedWords.some((w) => w.in(post.words)))) return false;
    if (p.wotHops > 0 && (this.hops.get(post.pubkey) ?? Infinity) > p.wotHops) return false;
    if (post.stuffed || this.spammers.has(post.pubkey)) return false;
    if (p.excludeTopics.length > 0 && this.isExcluded(post)) return false;
    if (p.hideLabels.length > 0) {
      if (post.selfLabels.some((l) => p.hideLabels.includes(l))) return false;
      const labels = this.signals.labels.of(post.id, post.pubkey);
      if (labels && p.hideLabels.some((l) => labels.has(l))) return false;
    }
    if (p.language) {
      const lang = this.signals.language(post);
      if (lang && lang !== p.language) return false;
    }
    if (p.noEngagementBait && isEngagementBait(post)) return false;
    return true;
  }

  /** About a topic the member left out: its hashtag, its word, its topic label, or close to it in meaning. */
  private isExcluded(post: Post): boolean {
    const p = this.params;
    if (p.excludeTopics.some((t, i) => post.hashtags.includes(t) || this.excluded[i]!.in(post.words))) return true;
    const labels = this.signals.labels.of(post.id, post.pubkey);
    if (labels && p.excludeTopics.some((t) => labels.has(`#t:${t}`))) return true;
    return post.vector !== undefined && this.excludedVectors.some((v) => dotQ(v, post.vector!) >= EXCLUDE_MIN_SIMILARITY);
  }

  /** What a post is about, for reasons and diversity: its first hashtag, else a topic label of the village's tagger. */
  topicOf(post: Post): string | undefined {
    if (post.hashtags[0]) return post.hashtags[0];
    const labels = this.signals.labels.of(post.id, post.pubkey);
    if (labels) for (const l of labels) if (l.startsWith('#t:')) return l.slice(3);
    return undefined;
  }

  /**
   * Trust-weighted engagement: who engaged matters, not how many (one person counts once per
   * kind); `byFollows` weighs the engagement of the people the member follows, `follows` counts
   * them. With `halfLifeH` each act counts less the older it is.
   */
  engagement(id: string, halfLifeH?: number): { score: number; byFollows: number; follows: number } {
    const eng = this.signals.engagement.get(id);
    const out = { score: 0, byFollows: 0, follows: 0 };
    if (!eng) return out;
    const { people, weights } = eng;
    // an act's age needs its time, kept only in `by`; without decay the typed arrays say it all
    const decayed = halfLifeH ? [...eng.by.values()].map((acts) => acts.reduce((w, a) => w + actWeight(a.kind, a.sats) * this.recency(a.at, halfLifeH), 0)) : undefined;
    for (let slot = 0, n = eng.by.size; slot < n; slot++) {
      const t = this.engagerTrustOf(people[slot]!);
      const w = decayed ? decayed[slot]! : weights[slot]!;
      if (t === -1 || w === 0) continue;
      out.score += w * t;
      if (t === FOLLOWED) (out.byFollows += w), out.follows++;
    }
    return out;
  }

  private engagerTrustOf(person: number): number {
    const numbers = this.signals.engagement.numbers;
    if (!this.engagerTrust || this.engagerTrust.length < numbers.size) this.engagerTrust = new Float64Array(numbers.size + 1024).fill(NaN);
    const t = this.engagerTrust[person]!;
    if (t === t) return t;
    const who = numbers.names[person]!;
    return (this.engagerTrust[person] = this.mutes?.pubkeys.has(who) || this.spammers.has(who) ? -1 : this.trust(who));
  }

  /** The best-matching requested topic and its strength (hashtag = 1, else embedding similarity). */
  topicMatch(post: Post): { topic: string; strength: number } | undefined {
    let best: { topic: string; strength: number } | undefined;
    // a one-word topic matches as a hashtag or a word; a longer text only by similarity
    for (const [i, t] of this.params.topics.entries()) if (post.hashtags.includes(t) || this.topicWords[i]!.in(post.words)) return { topic: t, strength: 1 };
    if (!post.vector) return undefined;
    for (const { topic, vector } of this.topicVectors) {
      const s = dotQ(vector, post.vector);
      if (!best || s > best.strength) best = { topic, strength: s };
    }
    return best;
  }
}
