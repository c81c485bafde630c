import type { Database } from 'lmdb';
import type { NostrEvent } from '../nostr/types.ts';
import { tokenize } from '../nostr/search.ts';
import type { Tables } from './env.ts';
import { hexBytes, indexKey, pubkeyKindPrefix, tagPrefix, tokenPrefix, u16 } from './keys.ts';

const SINGLE_LETTER = /^[a-zA-Z]$/;
const EMPTY = Buffer.alloc(0);
const CREATED_PREFIX = EMPTY;

export interface IndexOptions {
  /** Index content words for NIP-50 (off for encrypted kinds). */
  searchable: boolean;
  expiration: number;
}

/** Every index entry of an event, as (table, key) pairs: written on insert, removed on delete. */
export function indexEntries(t: Tables, e: NostrEvent, serial: number, opts: IndexOptions): [Database<Buffer, Buffer>, Buffer][] {
  const ca = e.created_at;
  const out: [Database<Buffer, Buffer>, Buffer][] = [
    [t.created, indexKey(CREATED_PREFIX, ca, serial)],
    [t.kinds, indexKey(u16(e.kind), ca, serial)],
    [t.pubkeys, indexKey(hexBytes(e.pubkey), ca, serial)],
    [t.pubkeyKinds, indexKey(pubkeyKindPrefix(e.pubkey, e.kind), ca, serial)],
  ];
  // NIP-01: single-letter tags are indexed, first value only; duplicates indexed once.
  const seen = new Set<string>();
  for (const tag of e.tags) {
    const [name, value] = tag;
    if (name === undefined || value === undefined || !SINGLE_LETTER.test(name)) continue;
    const k = `${name}\u0000${value}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push([t.tags, indexKey(tagPrefix(name, value), ca, serial)]);
  }
  if (opts.searchable) for (const token of tokenize(e.content)) out.push([t.words, indexKey(tokenPrefix(token), ca, serial)]);
  if (opts.expiration) out.push([t.expiry, indexKey(EMPTY, opts.expiration, serial)]);
  return out;
}

export { EMPTY };
