/// <reference lib="dom" />
import type { ParamDoc } from '../../../dvms/types.ts';
import { relay } from '../relay.ts';

/** The params' documentation as the DVMs announce it (a type only: nothing of dvms/ reaches the browser). */
export type { ParamDoc };

export const FEED_KIND = 5300;
export const KIND_HANDLER_INFO = 31990;

export interface FeedDvm {
  pubkey: string;
  name: string;
  about: string;
  params: Record<string, ParamDoc>;
  reasons: Record<string, string>;
  /** Hamlet's feeds name their ranking (for-you, trending, ...). */
  algorithm?: string;
}

/** The village's feed DVMs, from their NIP-89 announcements (kind 31990, k 5300) on this relay; the personal feed (for-you) first. */
export async function feedDvms(): Promise<FeedDvm[]> {
  const events = await relay.query([{ kinds: [KIND_HANDLER_INFO], '#k': [String(FEED_KIND)], limit: 50 }]);
  const first = (d: FeedDvm) => (d.algorithm === 'for-you' ? 0 : 1);
  return events.flatMap((e) => {
    try {
      const c = JSON.parse(e.content) as { name?: string; about?: string; nip90Params?: Record<string, ParamDoc>; reasons?: Record<string, string>; algorithm?: string };
      return [{ pubkey: e.pubkey, name: c.name ?? 'feed', about: c.about ?? '', params: c.nip90Params ?? {}, reasons: c.reasons ?? {}, algorithm: c.algorithm }];
    } catch {
      return [];
    }
  }).sort((a, b) => first(a) - first(b) || a.name.localeCompare(b.name));
}
