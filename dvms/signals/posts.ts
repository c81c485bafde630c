import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { QVector } from './vectors.ts';

/** Kinds a feed can show: short notes and long-form articles. */
export const FEED_KINDS = [1, 30023];

export interface Post {
  id: string;
  pubkey: string;
  kind: number;
  createdAt: number;
  /** Lowercase hashtags (`t` tags). */
  hashtags: string[];
  /** Lowercase content, for muted words and the engagement-bait heuristic. */
  text: string;
  /** ISO-639-1 from the post's own NIP-32 self-label, if any. */
  lang?: string;
  /** NIP-36 content warning, or self-labels, as labels. */
  selfLabels: string[];
  /** Mostly capital letters (the engagement-bait heuristic reads it). */
  shouting: boolean;
  vector?: QVector;
}

/** A reply (has a `reply`/`root`/unmarked `e` tag) is engagement, not a feed candidate. */
export function isReply(e: NostrEvent): boolean {
  return e.kind === 1 && e.tags.some((t) => t[0] === 'e' && t[3] !== 'mention');
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
  return { id: e.id, pubkey: e.pubkey, kind: e.kind, createdAt: e.created_at, hashtags, text: e.content.toLowerCase(), lang, selfLabels, shouting };
}

/** The text an embedding is computed from: the content and its hashtags. */
export function embeddingText(e: NostrEvent): string {
  const tags = e.tags.filter((t) => t[0] === 't' && t[1]).map((t) => t[1]);
  return tags.length ? `${e.content}\n${tags.join(' ')}` : e.content;
}

/** Candidate posts in the time window, newest last (arrival order), with their authors. */
export class PostIndex {
  readonly posts = new Map<string, Post>();
  readonly byAuthor = new Map<string, Set<string>>();

  add(p: Post): boolean {
    if (this.posts.has(p.id)) return false;
    this.posts.set(p.id, p);
    let s = this.byAuthor.get(p.pubkey);
    if (!s) this.byAuthor.set(p.pubkey, (s = new Set()));
    s.add(p.id);
    return true;
  }

  get(id: string): Post | undefined {
    return this.posts.get(id);
  }

  remove(id: string): Post | undefined {
    const p = this.posts.get(id);
    if (!p) return undefined;
    this.posts.delete(id);
    const s = this.byAuthor.get(p.pubkey);
    s?.delete(id);
    if (s?.size === 0) this.byAuthor.delete(p.pubkey);
    return p;
  }

  prune(before: number): number {
    let n = 0;
    for (const p of this.posts.values()) if (p.createdAt < before && this.remove(p.id)) n++;
    return n;
  }

  get size(): number {
    return this.posts.size;
  }
}
