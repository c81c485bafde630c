import { normalizeIdentifier } from 'nostr-tools/nip54';
import { KIND_WIKI_ARTICLE, KIND_WIKI_MERGE_REQUEST } from '../../relay/nostr/kinds.ts';
import { dTag } from '../../relay/nostr/tags.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

/** A 30818 address, `30818:<pubkey>:<topic>`, split; undefined when it is not one. */
export function articleAddress(a: string | undefined): { pubkey: string; topic: string } | undefined {
  const m = /^30818:([0-9a-f]{64}):(.+)$/.exec(a ?? '');
  return m ? { pubkey: m[1]!, topic: m[2]! } : undefined;
}

/** The tag with this name and NIP-10-style marker (4th element). */
export const marked = (e: NostrEvent, name: string, marker: string): string[] | undefined => e.tags.find((t) => t[0] === name && t[3] === marker);

/**
 * NIP-54 articles (30818): one per topic per author (the relay keeps the latest, as for any
 * addressable event); the topic is the normalized `d` (nostr-tools' normalizeIdentifier); a fork
 * names the article it forks (`a` and `e` marked "fork") on the same topic; a version that
 * accepts a merge request (`e` marked "merge") accepts one aimed at this very article.
 */
export function checkArticle(e: NostrEvent, eventById: (id: string) => NostrEvent | undefined): string | undefined {
  const topic = dTag(e);
  if (!topic) return 'invalid: a wiki article needs a d tag naming its topic';
  if (normalizeIdentifier(topic) !== topic) return `invalid: a wiki article's d tag is its normalized topic ("${normalizeIdentifier(topic)}")`;
  if (!e.content.trim()) return 'invalid: a wiki article needs content';
  const fork = marked(e, 'a', 'fork');
  if (fork) {
    const from = articleAddress(fork[1]);
    if (!from) return 'invalid: a fork names the article it forks: ["a", "30818:<pubkey>:<topic>", "<relay>", "fork"]';
    if (from.topic !== topic) return 'invalid: a fork keeps the topic of the article it forks';
  }
  const merge = marked(e, 'e', 'merge');
  if (merge) {
    const request = eventById(merge[1] ?? '');
    if (!request || request.kind !== KIND_WIKI_MERGE_REQUEST) return 'invalid: the merge request this version accepts is not on this relay';
    const into = articleAddress(request.tags.find((t) => t[0] === 'a')?.[1]);
    if (!into || into.pubkey !== e.pubkey || into.topic !== topic) return "invalid: only the article's author accepts a merge request, in a new version of that article";
  }
  return undefined;
}

export const isArticle = (e: NostrEvent): boolean => e.kind === KIND_WIKI_ARTICLE;
