import type { Database } from 'lmdb';
import type { Filter } from '../nostr/types.ts';
import { queryTokens } from '../nostr/search.ts';
import type { Tables } from './env.ts';
import { ALL_KEY, hexBytes, pubkeyKindPrefix, tagPrefix, u16 } from './keys.ts';

export type Plan =
  | { kind: 'nothing' }
  | { kind: 'ids'; ids: string[] }
  | {
      kind: 'scan';
      table: Database<Buffer, Buffer>;
      prefixes: Buffer[];
      /** Which filter fields the index already guarantees (so candidates skip those checks). */
      covers: { authors?: boolean; kinds?: boolean; tag?: string };
      name: string;
      /** A word plan scans the word index (words.ts) for this token instead of prefixes. */
      word?: string;
    };

const MAX_PAIRS = 1000;

const hasEmpty = (f: Filter): boolean =>
  f.ids?.length === 0 ||
  f.authors?.length === 0 ||
  f.kinds?.length === 0 ||
  [...(f.tags?.values() ?? [])].some((v) => v.length === 0) ||
  (f.since !== undefined && f.until !== undefined && f.since > f.until) ||
  // created_at is never negative; index values clamp the bound to 0, which would let created_at 0 through.
  (f.until !== undefined && f.until < 0);

/** Picks the tag condition to scan: hex-valued tags (e, p) first, then the fewest values. */
function pickTag(tags: Map<string, string[]>): [string, string[]] {
  let best: [string, string[]] | undefined;
  for (const entry of tags) {
    const hex = entry[1].every((v) => v.length === 64);
    const bestHex = best?.[1].every((v) => v.length === 64) ?? false;
    if (!best || (hex && !bestHex) || (hex === bestHex && entry[1].length < best[1].length)) best = entry;
  }
  return best!;
}

/**
 * Chooses the most selective index for a filter: ids, then author+kind, author, tag,
 * search word, kind, and finally the created_at index. The rest is checked per candidate.
 */
export function plan(t: Tables, f: Filter): Plan {
  if (hasEmpty(f)) return { kind: 'nothing' };
  if (f.ids) return { kind: 'ids', ids: f.ids };
  // Kinds above 65535 cannot exist (and do not fit the 16-bit key); they match nothing.
  const kinds = f.kinds?.filter((k) => k <= 65535);
  if (kinds?.length === 0) return { kind: 'nothing' };
  if (f.authors && kinds && f.authors.length * kinds.length <= MAX_PAIRS) {
    const prefixes = f.authors.flatMap((a) => kinds.map((k) => pubkeyKindPrefix(a, k)));
    return { kind: 'scan', table: t.pubkeyKinds, prefixes, covers: { authors: true, kinds: true }, name: 'pubkey-kind' };
  }
  if (f.authors) return { kind: 'scan', table: t.pubkeys, prefixes: f.authors.map(hexBytes), covers: { authors: true }, name: 'pubkey' };
  if (f.tags && f.tags.size > 0) {
    const [letter, values] = pickTag(f.tags);
    return { kind: 'scan', table: t.tags, prefixes: values.map((v) => tagPrefix(letter, v)), covers: { tag: letter }, name: `tag:${letter}` };
  }
  if (f.search !== undefined) {
    const tokens = queryTokens(f.search);
    if (tokens.length === 0) return { kind: 'nothing' };
    // Without statistics, the longest word is the best guess at the rarest.
    const longest = tokens.reduce((a, b) => (b.length > a.length ? b : a));
    return { kind: 'scan', table: t.words, prefixes: [], covers: {}, name: 'word', word: longest };
  }
  if (kinds) {
    return { kind: 'scan', table: t.kinds, prefixes: kinds.map(u16), covers: { kinds: true }, name: 'kind' };
  }
  return { kind: 'scan', table: t.created, prefixes: [ALL_KEY], covers: {}, name: 'created' };
}
