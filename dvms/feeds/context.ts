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

/** What every algorithm needs for one request: the signals, the params, and the user's circles. */
export class RankContext {
  /** Hop distance from the user (up to 3). */
  readonly hops: ReadonlyMap<string, number>;
  private readonly mutes;
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
    this.mutedWords = (this.mutes?.words ?? []).map((w) => new WordQuery(w));
    this.excluded = params.excludeTopics.map((t) => new WordQuery(t));
    this.topicWords = params.topics.map((t) => new WordQuery(t.includes(' ') ? '' : t));
  }

  /** How much the user trusts an author or an engager: their circles first, then the village. */
  trust(pubkey: string): number {
    const d = this.hops.get(pubkey);
    if (d === 1) return 1;
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
    if (post.stuffed || this.signals.spam.isSpammer(post.pubkey)) return false;
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

  /** Trust-weighted engagement: who engaged matters, not how many (one person counts once per kind). */
  engagement(id: string, halfLifeH?: number): { score: number; byFollows: number } {
    const eng = this.signals.engagement.get(id);
    if (!eng) return { score: 0, byFollows: 0 };
    let score = 0;
    let byFollows = 0;
    for (const [who, acts] of eng.by) {
      if (this.mutes?.pubkeys.has(who) || this.signals.spam.isSpammer(who)) continue;
      const t = this.trust(who);
      for (const a of acts) {
        if (a.kind === 'dislike') continue;
        const w = a.kind === 'zap' ? 2 + Math.log10(1 + (a.sats ?? 0)) / 2 : a.kind === 'repost' ? 2 : a.kind === 'reply' ? 1.5 : 1;
        const decay = halfLifeH ? this.recency(a.at, halfLifeH) : 1;
        score += w * t * decay;
        if (this.hops.get(who) === 1) byFollows += w;
      }
    }
    return { score, byFollows };
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
