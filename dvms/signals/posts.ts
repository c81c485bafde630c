import type { NostrEvent } from '../../relay/nostr/types.ts';
import { looksLikeBait } from '../feeds/bait.ts';
import { Budget, stringBytes, typedBytes, type Caps } from './budget.ts';
import type { QVector } from './vectors.ts';
import { wordHashes } from './words.ts';
import { isHashtagStuffing } from './stuffing.ts';
import { KIND_NOTE } from '../../relay/nostr/kinds.ts';
import { groupOf } from '../../relay/nostr/tags.ts';

/** Kinds a feed can show: short notes and long-form articles. */
export const FEED_KINDS = [1, 30023];

/** Longest text an embedding is computed from: a long article's topic shows in its beginning (and a 512-token model reads no further). */
export const MAX_EMBEDDING_TEXT = 4000;

export interface Post {
  id: string;
  pubkey: string;
  kind: number;
  createdAt: number;
  /** Lowercase hashtags (`t` tags). */
  hashtags: string[];
  /** Hashes of the content's distinct lowercase words (words.ts): muted words, excluded topics. The text itself is not kept. */
  words: Uint32Array;
  /** ISO-639-1 from the post's own NIP-32 self-label, if any. */
  lang?: string;
  /** NIP-36 content warning, or self-labels, as labels. */
  selfLabels: readonly string[];
  /** The engagement-bait heuristic's verdict (feeds/bait.ts), decided from the text on arrival. */
  bait: boolean;
  /** Hashtag stuffing (stuffing.ts), decided on arrival. */
  stuffed: boolean;
  /** The NIP-29 group it was posted in (`h`): shown only in that group's feed. */
  group?: string;
  vector?: QVector;
  /** Estimated heap bytes, for the index's budget. */
  bytes: number;
}

const NONE: readonly string[] = Object.freeze([]);

/** A reply (has a `reply`/`root`/unmarked `e` tag) is engagement, not a feed candidate. */
export function isReply(e: NostrEvent): boolean {
  return e.kind === KIND_NOTE && e.tags.some((t) => t[0] === 'e' && t[3] !== 'mention');
}

/** Estimated heap bytes of a post: the object, its strings, arrays and vector, and its map entries. */
function postBytes(p: Post): number {
  let n = 200 + stringBytes(p.id) + stringBytes(p.pubkey) + typedBytes(p.words) + (p.group ? stringBytes(p.group) : 0);
  for (const t of p.hashtags) n += 8 + stringBytes(t);
  for (const l of p.selfLabels) n += 8 + stringBytes(l);
  if (p.vector) n += 48 + typedBytes(p.vector.q) + typedBytes(p.vector.idx);
  return n;
}

export function postOf(e: NostrEvent): Post | undefined {
  if (!FEED_KINDS.includes(e.kind) || isReply(e)) return undefined;
  const hashtags = [...new Set(e.tags.filter((t) => t[0] === 't' && t[1]).map((t) => t[1]!.toLowerCase()))];
  const selfLabels: string[] = [];
  let lang: string | undefined;
  for (const t of e.tags) {
    if (t[0] === 'content-warning') selfLabels.push('content-warning', ...(t[1] ? [t[1].toLowerCase()] : []));
    if (t[0] === 'l' && t[1]) {
      if (t[2] === 'ISO-639-1') lang = t[1].toLowerCase();
      else selfLabels.push(t[1].toLowerCase());
    }
  }
  const letters = e.content.replace(/[^A-Za-z]/g, '');
  const shouting = letters.length >= 20 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.7;
  const post: Post = {
    id: e.id,
    pubkey: e.pubkey,
    kind: e.kind,
    createdAt: e.created_at,
    hashtags,
    words: wordHashes(e.content),
    lang,
    selfLabels: selfLabels.length ? selfLabels : NONE,
    bait: looksLikeBait(e.content, hashtags.length, shouting),
    stuffed: false,
    group: groupOf(e),
    bytes: 0,
  };
  post.stuffed = isHashtagStuffing(hashtags.length, post.words.length);
  post.bytes = postBytes(post);
  return post;
}

/** The text an embedding is computed from: the beginning of the content, and its hashtags. */
export function embeddingText(e: NostrEvent): string {
  const tags = e.tags.filter((t) => t[0] === 't' && t[1]).map((t) => t[1]);
  const content = e.content.length > MAX_EMBEDDING_TEXT ? e.content.slice(0, MAX_EMBEDDING_TEXT) : e.content;
  return tags.length ? `${content}\n${tags.join(' ')}` : content;
}

/**
 * Candidate posts, with their authors: the newest ones, within `caps` (count and estimated
 * bytes). Past a cap the oldest go (see Budget), and a post older than those is not taken
 * any more; `onRemove` hears every post that leaves, whatever the reason.
 */
export class PostIndex {
  readonly posts = new Map<string, Post>();
  readonly byAuthor = new Map<string, Set<string>>();
  private readonly budget: Budget;

  constructor(
    caps: Caps = { maxCount: Infinity, maxBytes: Infinity },
    private readonly onRemove?: (p: Post) => void,
  ) {
    this.budget = new Budget(caps);
  }

  /** Takes a post; false when it is known, or older than what the caps already let go. */
  add(p: Post): boolean {
    if (this.posts.has(p.id) || !this.budget.admits(p.createdAt)) return false;
    this.posts.set(p.id, p);
    let s = this.byAuthor.get(p.pubkey);
    if (!s) this.byAuthor.set(p.pubkey, (s = new Set()));
    s.add(p.id);
    this.budget.add(p.bytes);
    this.fit();
    return this.posts.has(p.id);
  }

  get(id: string): Post | undefined {
    return this.posts.get(id);
  }

  /** Takes every post's vector away (the embedding model changed: old and new vectors do not compare). */
  dropVectors(): void {
    for (const p of this.posts.values()) {
      if (!p.vector) continue;
      const before = p.bytes;
      p.vector = undefined;
      p.bytes = postBytes(p);
      this.budget.add(p.bytes - before, 0);
    }
  }

  /** Gives a post its vector (its bytes count from now on). */
  setVector(id: string, vector: QVector): Post | undefined {
    const p = this.posts.get(id);
    if (!p) return undefined;
    const before = p.bytes;
    p.vector = vector;
    p.bytes = postBytes(p);
    this.budget.add(p.bytes - before, 0);
    this.fit();
    return this.posts.get(id);
  }

  remove(id: string): Post | undefined {
    const p = this.posts.get(id);
    if (!p) return undefined;
    this.posts.delete(id);
    const s = this.byAuthor.get(p.pubkey);
    s?.delete(id);
    if (s?.size === 0) this.byAuthor.delete(p.pubkey);
    this.budget.remove(p.bytes);
    this.onRemove?.(p);
    return p;
  }

  /** Drops the posts created before `before` (the time window); returns how many. */
  prune(before: number): number {
    let n = 0;
    for (const p of this.posts.values()) if (p.createdAt < before && this.remove(p.id)) n++;
    return n;
  }

  private fit(): void {
    if (!this.budget.over) return;
    const victims = this.budget.victims([...this.posts.values()].map((p) => ({ key: p.id, at: p.createdAt, bytes: p.bytes })));
    for (const id of victims) this.remove(id);
  }

  get size(): number {
    return this.posts.size;
  }

  /** Estimated heap bytes of the posts kept. */
  get bytes(): number {
    return this.budget.bytes;
  }
}
