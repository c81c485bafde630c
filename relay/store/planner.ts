import type { Database } from 'lmdb';
import type { Filter } from '../nostr/types.ts';
import { queryTokens } from '../nostr/search.ts';
import type { Tables } from './env.ts';
import { ALL_KEY, hexBytes, pubkeyKindPrefix, tagPrefix, u16 } from './keys.ts';
import { wordCount } from './words.ts';
import { wordsOwed } from './wordsThrough.ts';
import { DECODE_COST } from './work.ts';

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

type ScanPlan = Extract<Plan, { kind: 'scan' }>;

const MAX_PAIRS = 1000;
/** Keys counted per candidate index; past it the rest are extrapolated (planning stays cheap). */
const MAX_COUNTED_KEYS = 32;
/** Search words whose frequency is looked up; the longest go first. */
const MAX_COUNTED_WORDS = 8;

const hasEmpty = (f: Filter): boolean =>
  f.ids?.length === 0 ||
  f.authors?.length === 0 ||
  f.kinds?.length === 0 ||
  [...(f.tags?.values() ?? [])].some((v) => v.length === 0) ||
  (f.since !== undefined && f.until !== undefined && f.since > f.until) ||
  // created_at is never negative; index values clamp the bound to 0, which would let created_at 0 through.
  (f.until !== undefined && f.until < 0);

/** The indexes that can answer a filter: every match is under one of each candidate's keys. */
function candidates(t: Tables, f: Filter, kinds: number[] | undefined): ScanPlan[] {
  const out: ScanPlan[] = [];
  for (const [letter, values] of f.tags ?? []) {
    out.push({ kind: 'scan', table: t.tags, prefixes: values.map((v) => tagPrefix(letter, v)), covers: { tag: letter }, name: `tag:${letter}` });
  }
  if (f.authors && kinds && f.authors.length * kinds.length <= MAX_PAIRS) {
    const prefixes = f.authors.flatMap((a) => kinds.map((k) => pubkeyKindPrefix(a, k)));
    out.push({ kind: 'scan', table: t.pubkeyKinds, prefixes, covers: { authors: true, kinds: true }, name: 'pubkey-kind' });
  } else if (f.authors) {
    out.push({ kind: 'scan', table: t.pubkeys, prefixes: f.authors.map(hexBytes), covers: { authors: true }, name: 'pubkey' });
  }
  if (f.search !== undefined) {
    // The rarest word is found below; this one stands for them all until then.
    out.push({ kind: 'scan', table: t.words, prefixes: [], covers: {}, name: 'word', word: '' });
  }
  if (kinds) out.push({ kind: 'scan', table: t.kinds, prefixes: kinds.map(u16), covers: { kinds: true }, name: 'kind' });
  return out;
}

/** Whether checking a candidate of this plan means decoding its JSON (tags not covered, search). */
const decodes = (f: Filter, p: ScanPlan): boolean =>
  f.search !== undefined || (f.tags !== undefined && (f.tags.size > 1 || !f.tags.has(p.covers.tag ?? '')));

/**
 * Index entries under a plan's keys (LMDB keeps a count per key, so each costs one lookup), or a
 * number at least `enough` once that is certain. Past MAX_COUNTED_KEYS keys the sum is
 * extrapolated from the keys counted.
 */
function entries(p: ScanPlan, enough: number): number {
  let n = 0;
  const counted = Math.min(p.prefixes.length, MAX_COUNTED_KEYS);
  for (let i = 0; i < counted; i++) {
    n += p.table.getValuesCount(p.prefixes[i]!);
    if (n >= enough) return n;
  }
  return counted === p.prefixes.length ? n : Math.ceil((n / counted) * p.prefixes.length);
}

/**
 * Chooses the index for a filter: ids when given, else the candidate (author+kind, author, each
 * tag, the rarest search word, kind) with the fewest entries to examine, counting a candidate
 * that must be decoded DECODE_COST more; the created_at index when there is none. The rest of
 * the filter is checked per candidate. A candidate with no entries means nothing matches.
 */
export function plan(t: Tables, f: Filter): Plan {
  if (hasEmpty(f)) return { kind: 'nothing' };
  if (f.ids) return { kind: 'ids', ids: f.ids };
  // Kinds above 65535 cannot exist (and do not fit the 16-bit key); they match nothing.
  const kinds = f.kinds?.filter((k) => k <= 65535);
  if (kinds?.length === 0) return { kind: 'nothing' };
  let words: string[] | undefined;
  if (f.search !== undefined) {
    words = queryTokens(f.search);
    if (words.length === 0) return { kind: 'nothing' };
  }
  const options = candidates(t, f, kinds);
  if (options.length === 0) return { kind: 'scan', table: t.created, prefixes: [ALL_KEY], covers: {}, name: 'created' };
  if (options.length === 1 && !words) return options[0]!;
  let best: ScanPlan | undefined;
  let bestCost = Infinity;
  for (const p of options) {
    const weight = 1 + (decodes(f, p) ? DECODE_COST : 0);
    const enough = bestCost / weight;
    let n: number;
    if (p.word !== undefined) {
      const [word, count] = rarestWord(t, words!, f);
      p.word = word;
      n = count;
    } else n = entries(p, enough);
    if (n === 0) return { kind: 'nothing' };
    if (n * weight < bestCost) {
      best = p;
      bestCost = n * weight;
    }
  }
  return best ?? options[0]!;
}

/**
 * The query word with the fewest index entries in the filter's time range (longest first, a few
 * at most). Each is also read with the records whose words are not indexed yet (words.ts).
 */
function rarestWord(t: Tables, tokens: string[], f: Filter): [string, number] {
  const byLength = [...tokens].sort((a, b) => b.length - a.length).slice(0, MAX_COUNTED_WORDS);
  const unindexed = wordsOwed(t);
  let best: [string, number] = [byLength[0]!, Infinity];
  for (const token of byLength) {
    const n = wordCount(t, token, f.since, f.until) + unindexed;
    // Every match holds every query word: a word with no candidates means no match.
    if (n === 0) return [token, 0];
    if (n < best[1]) best = [token, n];
  }
  return best;
}
