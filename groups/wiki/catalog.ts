import { KIND_WIKI_ARTICLE, KIND_WIKI_MERGE_REQUEST } from '../../relay/nostr/kinds.ts';
import { dTag, firstTagValue, groupOf } from '../../relay/nostr/tags.ts';
import type { Filter, NostrEvent } from '../../relay/nostr/types.ts';
import { articleAddress, marked } from './article.ts';

export interface ArticleEntry {
  pubkey: string;
  title: string;
  id: string;
  updatedAt: number;
  /** The article this one forks (`30818:<pubkey>:<topic>`). */
  forkOf?: string;
  /** Merge requests aimed at it: open, or accepted by a later version. */
  mergeRequests: { id: string; from: string; merged: boolean }[];
}

export interface Topic {
  topic: string;
  articles: ArticleEntry[];
}

/**
 * The village wiki by topic: each author's latest article per topic (forks beside the articles
 * they fork) with the merge requests aimed at it. Articles posted in a group (`h`) are the
 * group's, not the village's: they are left out.
 */
export function wikiCatalog(query: (filters: Filter[]) => NostrEvent[], max = 5000): Topic[] {
  const articles = query([{ kinds: [KIND_WIKI_ARTICLE], limit: max }]).filter((e) => groupOf(e) === undefined);
  const requests = query([{ kinds: [KIND_WIKI_MERGE_REQUEST], limit: max }]).filter((e) => groupOf(e) === undefined);
  const merged = new Set(articles.map((a) => marked(a, 'e', 'merge')?.[1]).filter((id): id is string => id !== undefined));
  const topics = new Map<string, ArticleEntry[]>();
  for (const a of articles) {
    const topic = dTag(a);
    const address = `${KIND_WIKI_ARTICLE}:${a.pubkey}:${topic}`;
    const entry: ArticleEntry = {
      pubkey: a.pubkey,
      title: firstTagValue(a, 'title') || topic,
      id: a.id,
      updatedAt: a.created_at,
      ...(marked(a, 'a', 'fork') ? { forkOf: marked(a, 'a', 'fork')![1] } : {}),
      mergeRequests: requests
        .filter((r) => r.tags.some((t) => t[0] === 'a' && t[1] === address))
        .map((r) => ({ id: r.id, from: r.pubkey, merged: merged.has(r.id) })),
    };
    topics.set(topic, [...(topics.get(topic) ?? []), entry]);
  }
  return [...topics.entries()]
    .map(([topic, list]) => ({ topic, articles: list.sort((x, y) => Number(!!x.forkOf) - Number(!!y.forkOf) || y.updatedAt - x.updatedAt) }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
}

export { articleAddress };
