import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { RelayServices } from '../../relay/services.ts';
import { hashtagsOf, isUsableTag, normaliseTag } from './text.ts';

export interface VocabularyOptions {
  /** Topics always in the vocabulary (config labels.vocabulary). */
  fixed: readonly string[];
  /** How many of the most used hashtags join them. */
  size: number;
  kinds: readonly number[];
  /** Posts read at start to count hashtags (newest first). */
  scanLimit?: number;
}

/**
 * The village's topic vocabulary: the configured topics plus the hashtags its members use
 * most, counted from stored posts at start and kept current from new ones. `version` changes
 * whenever the term list does, so a tagger can re-embed the terms only then.
 */
export class VillageVocabulary {
  private readonly counts = new Map<string, number>();
  private cached?: string[];
  private last = '';
  /** Bumped whenever the term list changes. */
  version = 0;
  private readonly stop: () => void;

  constructor(
    services: Pick<RelayServices, 'query' | 'onCommitted'>,
    private readonly o: VocabularyOptions,
  ) {
    for (const e of services.query([{ kinds: [...o.kinds], limit: o.scanLimit ?? 20_000 }])) this.count(e);
    this.stop = services.onCommitted((e) => {
      if (o.kinds.includes(e.kind) && this.count(e)) this.cached = undefined;
    });
  }

  private count(e: NostrEvent): boolean {
    const tags = hashtagsOf(e);
    for (const t of tags) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
    return tags.length > 0;
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
