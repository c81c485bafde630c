import type { Ranked } from './context.ts';

/**
 * One page of a ranked list, diversified: at most `maxPerAuthor` posts of one author, and no
 * topic (first hashtag) taking more than half the page unless nothing else is left. Items
 * already served on earlier pages are skipped; the ones held back stay for later pages.
 */
export function takePage(ranked: readonly Ranked[], served: ReadonlySet<string>, size: number, maxPerAuthor: number): Ranked[] {
  const topicCap = Math.max(2, Math.ceil(size / 2));
  const perAuthor = new Map<string, number>();
  const perTopic = new Map<string, number>();
  const page: Ranked[] = [];
  const heldByTopic: Ranked[] = [];
  for (const r of ranked) {
    if (page.length >= size) break;
    if (served.has(r.id)) continue;
    if ((perAuthor.get(r.pubkey) ?? 0) >= maxPerAuthor) continue;
    if (r.topic && (perTopic.get(r.topic) ?? 0) >= topicCap) {
      heldByTopic.push(r);
      continue;
    }
    page.push(r);
    perAuthor.set(r.pubkey, (perAuthor.get(r.pubkey) ?? 0) + 1);
    if (r.topic) perTopic.set(r.topic, (perTopic.get(r.topic) ?? 0) + 1);
  }
  // the topic cap only reorders: when the rest ran out, held posts fill the page (author cap still holds)
  for (const r of heldByTopic) {
    if (page.length >= size) break;
    if ((perAuthor.get(r.pubkey) ?? 0) >= maxPerAuthor) continue;
    page.push(r);
    perAuthor.set(r.pubkey, (perAuthor.get(r.pubkey) ?? 0) + 1);
  }
  return page;
}
