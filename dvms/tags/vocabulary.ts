import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { RelayServices } from '../../relay/services.ts';
import { pagesOf } from '../../relay/util/pagesOf.ts';
import { hashtagsOf, isUsableTag, normaliseTag } from './text.ts';

export interface VocabularyOptions {
  /** Topics always in the vocabulary (config labels.vocabulary). */
  fixed: readonly string[];
  /** How many of the most used hashtags join them. */
  size: number;
  kinds: readonly number[];
  /** Posts read at start to count hashtags (newest first). */
  scanLimit?: number;
  /** Most distinct hashtags counted; default 20 × size, at least 5,000. */
  maxCounted?: number;
}

/**
 * The village's topic vocabulary: the configured topics plus the hashtags its members use
 * most, counted from stored posts at start and kept current from new ones. `version` changes
 * whenever the term list does, so a tagger can re-embed the terms only then. At most
 * `maxCounted` distinct hashtags are counted (a usable tag is at most 64 characters, so this
 * bounds the bytes too): past it, the least used tenth is let go.
 */
export class VillageVocabulary {
  private readonly counts = new Map<string, number>();
  private readonly maxCounted: number;
  private cached?: string[];
  private last = '';
  /** Bumped whenever the term list changes. */
  version = 0;
  private readonly stop: () => void;

  constructor(
    services: Pick<RelayServices, 'query' | 'onCommitted'>,
    private readonly o: VocabularyOptions,
  ) {
    this.maxCounted = o.maxCounted ?? Math.max(5_000, 20 * o.size);
    // in pages: 20,000 long posts at once would be a lot of memory for a moment
    let left = o.scanLimit ?? 20_000;
    for (const page of pagesOf(services, { kinds: [...o.kinds] }, 1000)) {
      for (const e of page.slice(0, left)) this.count(e);
      if ((left -= page.length) <= 0) break;
    }
    this.stop = services.onCommitted((e) => {
      if (o.kinds.includes(e.kind) && this.count(e)) this.cached = undefined;
    });
  }

  private count(e: NostrEvent): boolean {
    const tags = hashtagsOf(e);
    for (const t of tags) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
    if (this.counts.size > this.maxCounted) this.forgetRarest();
    return tags.length > 0;
  }

  private forgetRarest(): void {
    const byUse = [...this.counts].sort((a, b) => a[1] - b[1]);
    for (const [t] of byUse.slice(0, this.counts.size - Math.floor(this.maxCounted * 0.9))) this.counts.delete(t);
  }

  /** Distinct hashtags counted. */
  get counted(): number {
    return this.counts.size;
  }

  /** The terms: configured ones first, then hashtags by use (ties alphabetical). */
  terms(): string[] {
    if (this.cached) return this.cached;
    const fixed = this.o.fixed.map(normaliseTag).filter(isUsableTag);
    const used = [...this.counts]
      .filter(([t, n]) => n >= 2 && !fixed.includes(t))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, this.o.size)
      .map(([t]) => t);
    const next = [...new Set([...fixed, ...used])];
    const joined = next.join('\n');
    if (joined !== this.last) (this.version++, (this.last = joined));
    return (this.cached = next);
  }

  close(): void {
    this.stop();
  }
}
