import { KIND_WIKI_ARTICLE } from '../../relay/nostr/kinds.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { dTag } from '../../relay/nostr/tags.ts';
import { articleAddress, marked } from './article.ts';

/**
 * NIP-54 merge requests (818): aimed at an article hosted here (`a`), its author named (`p`), the
 * version to merge named (`e` marked "source", a 30818 on the same topic stored here). The
 * article's author accepts it by publishing a version that names it (`e` marked "merge").
 */
export function checkMergeRequest(e: NostrEvent, latest: (pubkey: string, topic: string) => NostrEvent | undefined, eventById: (id: string) => NostrEvent | undefined): string | undefined {
  const into = articleAddress(e.tags.find((t) => t[0] === 'a')?.[1]);
  if (!into) return 'invalid: a merge request names the article to merge into: ["a", "30818:<pubkey>:<topic>"]';
  if (!e.tags.some((t) => t[0] === 'p' && t[1] === into.pubkey)) return "invalid: a merge request names the article's author in a p tag";
  if (!latest(into.pubkey, into.topic)) return 'invalid: the article to merge into is not on this relay';
  const source = eventById(marked(e, 'e', 'source')?.[1] ?? '');
  if (!source) return 'invalid: a merge request names the version to merge, stored here: ["e", "<id>", "<relay>", "source"]';
  if (source.kind !== KIND_WIKI_ARTICLE || dTag(source) !== into.topic) return 'invalid: the version to merge is an article on the same topic';
  return undefined;
}
