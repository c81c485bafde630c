import type { Database } from 'lmdb';
import type { NostrEvent } from '../nostr/types.ts';
import { tokenize } from '../nostr/search.ts';
import type { Tables } from './env.ts';
import { ALL_KEY, entryValue, hexBytes, pubkeyKindPrefix, tagPrefix, u16 } from './keys.ts';
import { wordEntry } from './words.ts';

const SINGLE_LETTER = /^[a-zA-Z]$/;

export interface IndexOptions {
  /** Index content words for NIP-50 (off for encrypted kinds, and when they are left to wordIndexer.ts). */
  searchable: boolean;
  expiration: number;
}

export type IndexEntry = [table: Database<Buffer, Buffer>, key: Buffer, value: Buffer];

/** Every index entry of an event (the `ids` entry aside): written on insert, removed on delete. */
export function indexEntries(t: Tables, e: NostrEvent, serial: number, opts: IndexOptions): IndexEntry[] {
  const value = entryValue(e.created_at, serial);
  const out: IndexEntry[] = [
    [t.created, ALL_KEY, value],
    [t.kinds, u16(e.kind), value],
    [t.pubkeys, hexBytes(e.pubkey), value],
    [t.pubkeyKinds, pubkeyKindPrefix(e.pubkey, e.kind), value],
  ];
  // NIP-01: single-letter tags are indexed, first value only; duplicates indexed once.
  const seen = new Set<string>();
  for (const tag of e.tags) {
    const [name, v] = tag;
    if (name === undefined || v === undefined || !SINGLE_LETTER.test(name)) continue;
    const k = `${name}\u0000${v}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push([t.tags, tagPrefix(name, v), value]);
  }
  if (opts.searchable) out.push(...wordEntries(t, e, serial));
  if (opts.expiration) out.push([t.expiry, ALL_KEY, entryValue(opts.expiration, serial)]);
  return out;
}

/** An event's NIP-50 word index entries (written after its commit: wordIndexer.ts). */
export function wordEntries(t: Tables, e: Pick<NostrEvent, 'content' | 'created_at'>, serial: number): IndexEntry[] {
  return tokenize(e.content).map((token) => [t.words, ...wordEntry(token, e.created_at, serial)]);
}
