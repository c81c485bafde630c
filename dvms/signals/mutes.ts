import type { NostrEvent } from '../../relay/nostr/types.ts';
import { KIND_MUTE_LIST } from '../../relay/nostr/kinds.ts';

export interface MuteList {
  at: number;
  id: string;
  pubkeys: Set<string>;
  hashtags: Set<string>;
  /** Lowercase words (NIP-51 `word`). */
  words: string[];
  /** Muted threads (`e`). */
  threads: Set<string>;
}

/**
 * Each member's public NIP-51 mute list (kind 10000, newest wins). The private part is
 * encrypted to the member and stays unread: a DVM sees only what the member made public.
 */
export class MuteLists {
  private readonly lists = new Map<string, MuteList>();

  apply(e: NostrEvent): boolean {
    if (e.kind !== KIND_MUTE_LIST) return false;
    const old = this.lists.get(e.pubkey);
    if (old && (old.at > e.created_at || (old.at === e.created_at && old.id <= e.id))) return false;
    const list: MuteList = { at: e.created_at, id: e.id, pubkeys: new Set(), hashtags: new Set(), words: [], threads: new Set() };
    for (const [name, value] of e.tags) {
      if (!value) continue;
      if (name === 'p') list.pubkeys.add(value);
      else if (name === 't') list.hashtags.add(value.toLowerCase());
      else if (name === 'word') list.words.push(value.toLowerCase());
      else if (name === 'e') list.threads.add(value);
    }
    this.lists.set(e.pubkey, list);
    return true;
  }

  of(pubkey: string): MuteList | undefined {
    return this.lists.get(pubkey);
  }
}
