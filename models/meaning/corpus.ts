import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { RelayServices } from '../../relay/services.ts';
import { pagesOf } from '../../relay/util/pagesOf.ts';
import { meaningTokens } from './tokens.ts';

/** What the meaning model learns from: notes and long-form articles (not replies' quoting noise, which is fine too). */
export const MEANING_KINDS = [1, 30023];

/** A post's tokens: the beginning of its text and its hashtags. */
export function postTokens(e: NostrEvent): string[] {
  const tags = e.tags.filter((t) => t[0] === 't' && t[1]).map((t) => t[1]!);
  return meaningTokens(`${e.content.slice(0, 4000)} ${tags.join(' ')}`);
}

/**
 * The newest `max` posts' tokens, read in pages; yields to the event loop between pages so a
 * relay reading its own store keeps serving. Events a model may not read (`mayRead`, e.g. a
 * group that has not consented) are left out.
 */
export async function collectTokens(services: Pick<RelayServices, 'query'>, max: number, mayRead: (e: NostrEvent) => boolean = () => true): Promise<string[][]> {
  const docs: string[][] = [];
  // small pages: each is read and tokenised in one go on the relay's thread
  for (const page of pagesOf(services, { kinds: MEANING_KINDS }, 500)) {
    for (const e of page) {
      if (!mayRead(e)) continue;
      const t = postTokens(e);
      if (t.length > 0) docs.push(t);
      if (docs.length >= max) return docs;
    }
    await new Promise((r) => setImmediate(r));
  }
  return docs;
}
