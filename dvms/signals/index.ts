import type { Embedder, EmbeddingCache, MeaningEmbedder } from '../../models/index.ts';
import { dvmsSection, type DvmsConfig } from '../../config/sections/dvms.ts';
import type { RelayServices } from '../../relay/services.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { Caps } from './budget.ts';
import { ENGAGEMENT_KINDS, engagementOf, EngagementIndex, type EngagementEvent } from './engagement.ts';
import { FollowGraph } from '../../relay/nostr/followGraph.ts';
import { Interests, type InterestSource } from './interests.ts';
import { LabelIndex } from './labels.ts';
import { pagesOf } from '../../relay/util/pagesOf.ts';
import { MuteLists } from './mutes.ts';
import { embeddingText, FEED_KINDS, PostIndex, postOf, type Post } from './posts.ts';
import { quantise } from './vectors.ts';
import { SpamIndex } from './spam.ts';
import { KIND_BOOKMARKS, KIND_FOLLOWS, KIND_INTERESTS, KIND_LABEL, KIND_MUTE_LIST } from '../../relay/nostr/kinds.ts';

/** The caps of each in-memory index (count, estimated bytes). */
export interface SignalLimits {
  posts: Caps;
  engagement: Caps;
  interests: Caps;
  labels: Caps;
}

const MB = 2 ** 20;

/** The caps from the dvms config section (its defaults when none is given). */
export function signalLimits(c: Pick<DvmsConfig, 'maxPosts' | 'maxPostsMb' | 'maxEngagements' | 'maxEngagementsMb' | 'maxProfiles' | 'maxProfilesMb' | 'maxLabelled' | 'maxLabelledMb'> = dvmsSection.parse({})): SignalLimits {
  return {
    posts: { maxCount: c.maxPosts, maxBytes: c.maxPostsMb * MB },
    engagement: { maxCount: c.maxEngagements, maxBytes: c.maxEngagementsMb * MB },
    interests: { maxCount: c.maxProfiles, maxBytes: c.maxProfilesMb * MB },
    labels: { maxCount: c.maxLabelled, maxBytes: c.maxLabelledMb * MB },
  };
}

/** Event ids read from one bookmark list, and hashtags from one interest list (the newest ones). */
const MAX_LIST_ITEMS = 1000;

export interface SignalsOptions {
  services: RelayServices;
  embedder: Embedder;
  /** The LMDB embedding cache (model workers are slow; the built-in embedder is not worth it). */
  cache?: EmbeddingCache;
  windowHours: number;
  /** Whose kind 1985 labels count. */
  trustedLabeler: (pubkey: string) => boolean;
  /** Caps of the in-memory indexes; default: the dvms config defaults. */
  limits?: SignalLimits;
  /** The language of posts without a language label (the labeler leaves the village's usual language unsaid). */
  unlabelledLanguage?: string;
}

const EMBED_BATCH = 256;

/**
 * Everything the feeds know about the village, kept up to date from stored events: the
 * follow graph, engagement, interests, mutes, bookmarks and labels, and the candidate posts
 * of the time window with their embeddings. Loaded from LMDB at start, then updated from
 * each commit; posts are embedded in the background in batches (`flush` waits for them).
 * Every index is bounded in count and bytes (`limits`); no post's text is kept.
 */
export class Signals {
  readonly graph = new FollowGraph();
  readonly engagement: EngagementIndex;
  readonly interests: Interests;
  readonly mutes = new MuteLists();
  readonly labels: LabelIndex;
  readonly posts: PostIndex;
  readonly spam: SpamIndex;
  private readonly bookmarks = new Map<string, { at: number; ids: Set<string> }>();
  /** Event id → who bookmarked it (only the latest list of each person counts). */
  private readonly bookmarkedBy = new Map<string, Set<string>>();
  private readonly declared = new Map<string, { at: number; tags: string[] }>();
  /** Ids of posts waiting for their embedding (read back from LMDB when their turn comes). */
  private readonly pending: string[] = [];
  /** Bumped when a person's own lists (follows, mutes, bookmarks) change: cached feeds for them are stale. */
  private readonly listVersions = new Map<string, number>();
  private embedding: Promise<void> | undefined;
  /** Bumped when the embedding model changes: a batch embedded before it is thrown away, not mixed in. */
  private generation = 0;
  private unsubscribe?: () => void;
  private unwatchModel?: () => void;
  private pruneTimer?: NodeJS.Timeout;

  private constructor(private readonly o: SignalsOptions) {
    const limits = o.limits ?? signalLimits();
    this.posts = new PostIndex(limits.posts, (p) => this.postRemoved(p));
    this.engagement = new EngagementIndex(limits.engagement);
    this.interests = new Interests(limits.interests);
    this.spam = new SpamIndex(this.posts, this.engagement);
    // labels count only on candidate posts (and on people)
    this.labels = new LabelIndex(o.trustedLabeler, limits.labels, (id) => this.posts.get(id) !== undefined);
  }

  get windowSeconds(): number {
    return Math.round(this.o.windowHours * 3600);
  }

  get embedder(): Embedder {
    return this.o.embedder;
  }

  /** ISO-639-1 of a post: its own self-label, a trusted label, else the village's usual language (if known). */
  language(post: Post): string | undefined {
    return post.lang ?? this.labels.languages.get(post.id) ?? (this.o.unlabelledLanguage || undefined);
  }

  /** Resolves once the stored events are loaded (feeds wait for it; the relay does not). */
  ready: Promise<void> = Promise.resolve();
  private closed = false;

  /**
   * Follows commits at once and loads stored events (lists of any age; posts, engagement and
   * labels of the window) in the background: a large store (a minute at 1M events) does not
   * hold up the relay's start.
   */
  static start(o: SignalsOptions): Signals {
    const s = new Signals(o);
    // listen first: a commit during the load is applied twice at worst, and every apply is idempotent
    s.unsubscribe = o.services.onCommitted((e) => s.ingest(e));
    s.ready = s.load();
    const live = o.embedder as Partial<Pick<MeaningEmbedder, 'onChange'>>;
    s.unwatchModel = live.onChange?.(
      () => void s.ready.then(() => s.reembedAll()).catch((err: Error) => o.services.log.error({ err: err.message }, 'dvm signals: embedding again with the new model failed')),
    );
    s.ready.catch((err: Error) => o.services.log.error({ err: err.message }, 'dvm signals: loading stored events failed'));
    s.pruneTimer = setInterval(() => s.prune(), 15 * 60_000);
    s.pruneTimer.unref();
    return s;
  }

  private async load(): Promise<void> {
    const since = Math.floor(Date.now() / 1000) - this.windowSeconds;
    // posts before labels: a label is kept only for a post the feeds hold
    for (const filter of [{ kinds: [KIND_FOLLOWS, KIND_MUTE_LIST, KIND_BOOKMARKS, KIND_INTERESTS] }, { kinds: [...FEED_KINDS], since }, { kinds: [KIND_LABEL], since }, { kinds: [...ENGAGEMENT_KINDS], since }]) {
      for (const page of pagesOf(this.o.services, filter)) {
        if (this.closed) return;
        for (const e of page) this.ingest(e);
        await this.flush();
      }
    }
  }

  /** Applies one event. Synchronous except for the embedding, which is queued. */
  ingest(e: NostrEvent): void {
    switch (e.kind) {
      case 3:
        if (this.graph.apply(e)) this.bump(e.pubkey);
        return;
      case 10000:
        if (this.mutes.apply(e)) this.bump(e.pubkey);
        return;
      case 10003:
        return this.bookmark(e);
      case 10015:
        return this.declareInterests(e);
      case 1985:
        this.labels.apply(e);
        return;
      case 5:
        for (const t of e.tags) if (t[0] === 'e' && t[1] && this.posts.get(t[1])?.pubkey === e.pubkey) this.posts.remove(t[1]);
        return;
    }
    if (e.created_at < Math.floor(Date.now() / 1000) - this.windowSeconds) return;
    // a NIP-29 group that has not opted in: no model reads its posts or what its members do there
    if (!this.o.services.modelMayRead(e)) return;
    const post = postOf(e);
    if (post) {
      if (this.posts.add(post)) this.queueEmbedding(e.id);
      return;
    }
    const x = engagementOf(e);
    if (x) {
      const fresh = this.engagement.add(x);
      if (fresh) this.learnFrom(fresh);
    }
  }

  /** NIP-51 kind 10015: hashtags a person says they are interested in (newest list wins). */
  private declareInterests(e: NostrEvent): void {
    const old = this.declared.get(e.pubkey);
    if (old && old.at >= e.created_at) return;
    const tags = [...new Set(e.tags.filter((t) => t[0] === 't' && t[1]).map((t) => t[1]!.toLowerCase().replace(/^#/, '')))].slice(0, MAX_LIST_ITEMS);
    this.declared.set(e.pubkey, { at: e.created_at, tags });
    this.bump(e.pubkey);
  }

  /** Hashtags from the person's interest list (kind 10015). */
  declaredInterests(pubkey: string): readonly string[] {
    return this.declared.get(pubkey)?.tags ?? [];
  }

  private bump(pubkey: string): void {
    this.listVersions.set(pubkey, (this.listVersions.get(pubkey) ?? 0) + 1);
  }

  /** Changes whenever the person's follows, mutes, bookmarks or interest list change (part of a feed's cache key). */
  listVersion(pubkey: string): number {
    return this.listVersions.get(pubkey) ?? 0;
  }

  private bookmark(e: NostrEvent): void {
    const old = this.bookmarks.get(e.pubkey);
    if (old && old.at >= e.created_at) return;
    this.bump(e.pubkey);
    const ids = new Set(e.tags.filter((t) => t[0] === 'e' && t[1]).map((t) => t[1]!).slice(-MAX_LIST_ITEMS));
    for (const id of old?.ids ?? []) this.bookmarkedBy.get(id)?.delete(e.pubkey);
    this.bookmarks.set(e.pubkey, { at: e.created_at, ids });
    for (const id of ids) {
      let who = this.bookmarkedBy.get(id);
      if (!who) this.bookmarkedBy.set(id, (who = new Set()));
      who.add(e.pubkey);
      this.contribute(e.pubkey, id, 'bookmark');
    }
  }

  private learnFrom(x: EngagementEvent): void {
    if (x.kind === 'dislike') return;
    this.contribute(x.who, x.target, x.kind);
  }

  private contribute(person: string, id: string, source: InterestSource): void {
    const post = this.posts.get(id);
    if (post?.vector) this.interests.add(person, id, post.vector, post.hashtags, source);
  }

  private queueEmbedding(id: string): void {
    this.pending.push(id);
    this.embedding ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const ids = this.pending.splice(0, EMBED_BATCH).filter((id) => this.posts.get(id));
        if (ids.length === 0) continue;
        // a post deleted (or expired) meanwhile is not found, and not embedded
        const batch = this.o.services.query([{ ids, limit: ids.length }]);
        if (batch.length === 0) continue;
        const items = batch.map((e) => ({ id: e.id, text: embeddingText(e) }));
        const generation = this.generation;
        let vectors: Float32Array[];
        try {
          vectors = this.o.cache ? await this.o.cache.embed(items, this.o.embedder) : await this.o.embedder.embed(items.map((i) => i.text));
        } catch (err) {
          this.o.services.log.warn({ err: (err as Error).message, posts: batch.length }, 'dvm signals: embedding failed; those posts rank without relevance');
          continue;
        }
        // the model changed meanwhile: these may be the old model's vectors, and every post is queued again
        if (generation !== this.generation) continue;
        batch.forEach((e, i) => this.vectorArrived(e.id, vectors[i]!));
      }
    } finally {
      this.embedding = undefined;
    }
  }

  /** A post's vector: it now counts for its author and for everyone who already engaged with it. */
  private vectorArrived(id: string, vector: Float32Array): void {
    if (!this.posts.get(id)) return;
    // its vector makes the post bigger: it may be the oldest, and go
    const post = this.posts.setVector(id, quantise(vector));
    const v = post?.vector;
    if (!post || !v) return;
    this.interests.add(post.pubkey, id, v, post.hashtags, 'post');
    const eng = this.engagement.get(id);
    if (eng) for (const [who, acts] of eng.by) for (const a of acts) if (a.kind !== 'dislike') this.interests.add(who, id, v, post.hashtags, a.kind);
    for (const who of this.bookmarkedBy.get(id) ?? []) this.interests.add(who, id, v, post.hashtags, 'bookmark');
  }

  /**
   * The embedding model changed (a new meaning model was learnt): every post in the window is
   * embedded again and the interest profiles rebuilt from the new vectors alone (a profile
   * summing both models' vectors, or of the old model's size, would match nothing). Feeds rank
   * without relevance meanwhile (seconds).
   */
  async reembedAll(): Promise<void> {
    this.generation++;
    this.interests.clear();
    this.posts.dropVectors();
    for (const id of this.posts.posts.keys()) this.queueEmbedding(id);
    await this.flush();
    this.o.services.log.info({ posts: this.posts.size, model: `${this.o.embedder.info.id}@${this.o.embedder.info.version}` }, 'dvm signals: posts embedded again with the new model');
  }

  /** Resolves once every post seen so far has its embedding. */
  async flush(): Promise<void> {
    while (this.embedding) await this.embedding;
  }

  /** A post left the window (time, caps, deletion): its engagement and labels are of no more use. */
  private postRemoved(p: Post): void {
    this.engagement.forget(p.id);
    this.labels.forget(p.id);
  }

  /** What the indexes hold, and their estimated heap bytes. */
  memory(): { posts: number; postBytes: number; engagements: number; engagementBytes: number; people: number; interestBytes: number; labelled: number; labelBytes: number } {
    const e = this.engagement.size;
    const i = this.interests.size;
    const l = this.labels.size;
    return { posts: this.posts.size, postBytes: this.posts.bytes, engagements: e.acts, engagementBytes: e.bytes, people: i.people, interestBytes: i.bytes, labelled: l.targets, labelBytes: l.bytes };
  }

  prune(now = Math.floor(Date.now() / 1000)): void {
    const before = now - this.windowSeconds;
    this.posts.prune(before);
    this.engagement.prune(before);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unwatchModel?.();
    clearInterval(this.pruneTimer);
  }
}
