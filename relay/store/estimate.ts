import type { Filter } from '../nostr/types.ts';
import type { Tables } from './env.ts';
import { serialOf, valueRange } from './keys.ts';
import { peekRecord } from './peek.ts';
import { plan } from './planner.ts';
import { acceptor, type ReadContext } from './query.ts';
import { Meter, PAUSE, type Work } from './work.ts';

/** Index entries from which a COUNT is estimated, not counted one by one. */
export const ESTIMATE_FROM = 10_000;
/** Entries examined for an estimate, spread evenly over the index range. */
export const ESTIMATE_SAMPLES = 2_000;
/**
 * Fewest sampled entries that must match for the estimate to stand (a standard error of at most
 * about 7%): a rarer match (the filter's other fields keep few of the index's entries) is counted exactly.
 */
const MIN_MATCHED = 200;

/**
 * A large COUNT (NIP-45 allows `approximate: true`), estimated: LMDB counts a key's index
 * entries in a time range natively (no entry reaches JavaScript; reading them one by one costs
 * about 0.5 µs each, a record lookup about as much again), and a sample of ESTIMATE_SAMPLES
 * entries, one at random in each of as many equal strata, is checked as a query checks its candidates (held, expired,
 * unreadable for this reader, the filter's other fields). The answer is the entries times the
 * share accepted. Only for one filter answered by one index key, where entries are distinct
 * events; anything else, anything under ESTIMATE_FROM entries and a sample with few matches
 * are counted exactly (undefined here). A reader learns nothing an exact count would not tell them: what they may
 * not read is what the sample leaves out.
 */
export function* estimateWork(t: Tables, f: Filter, ctx: ReadContext): Work<number | undefined> {
  if (f.search !== undefined || f.ids !== undefined) return undefined;
  const p = plan(t, f);
  if (p.kind !== 'scan' || p.word !== undefined || p.prefixes.length !== 1) return undefined;
  const key = p.prefixes[0]!;
  const { newest, oldest } = valueRange(f.since, f.until);
  const entries = p.table.getValuesCount(key, { start: oldest, end: newest, inclusiveEnd: true });
  if (entries < ESTIMATE_FROM) return undefined;
  // its cost is bounded by the sample, so it is not charged to the reader's COUNT budget; this meter only paces the pauses
  const meter = new Meter();
  const accept = acceptor(f, ctx, meter);
  const step = entries / ESTIMATE_SAMPLES;
  let accepted = 0;
  let sampled = 0;
  // each sample found from the last one (LMDB skips `offset` entries natively): one pass in all
  let at: Buffer = oldest;
  let position = 0;
  for (let i = 0; i < ESTIMATE_SAMPLES; i++) {
    // a random entry in each of the sample's equal strata (disjoint: no entry twice); even spacing
    // alone would see one class only of a pattern that repeats
    const from = Math.floor(i * step);
    const target = from + Math.floor(Math.random() * (Math.floor((i + 1) * step) - from));
    let value: Buffer | undefined;
    for (const v of p.table.getValues(key, { start: at, end: newest, inclusiveEnd: true, offset: target - position, limit: 1 })) value = v;
    if (!value) break;
    at = value;
    position = target;
    sampled++;
    const rec = peekRecord(t, serialOf(value));
    if (rec && accept(rec, p.covers)) accepted++;
    meter.charge(1);
    if (meter.due()) yield PAUSE;
  }
  if (accepted < MIN_MATCHED) return undefined;
  return Math.round((entries * accepted) / sampled);
}
