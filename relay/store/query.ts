import type { Filter } from '../nostr/types.ts';
import { matchFilter } from '../nostr/filter.ts';
import { queryTokens, searchScore } from '../nostr/search.ts';
import type { Bin, Tables } from './env.ts';
import { serialOf } from './keys.ts';
import { mergeInTimeOrder } from './merge.ts';
import { loadById } from './ids.ts';
import { scanIndex } from './scan.ts';
import { scanWord } from './words.ts';
import { plan } from './planner.ts';
import type { StoredRecord } from './record.ts';
import { peekRecord, stable } from './peek.ts';
import { finish, Meter, PAUSE, withoutPauses, type Pause, type Work } from './work.ts';

export interface ReadContext {
  /** Unix seconds, for NIP-40 expiry. */
  now: number;
  /** Per-reader visibility (NIP-42 restricted kinds); absent: everything visible. */
  canRead?: (rec: StoredRecord) => boolean;
  /** Serve held events too (moderation tools only). */
  includeHeld?: boolean;
  /**
   * Synchronous readers only (`matching`, `queryFilter`, `queryFilters`): most index entries to
   * examine per filter. Client reads are metered by the caller's Meter instead (work.ts).
   */
  maxScan?: number;
  /** `matching` order; REQ answers are always newest first. */
  order?: 'newest' | 'oldest';
}

const DEFAULT_MAX_SCAN = 250_000;
/** Candidates gathered for a search before ranking. */
const SEARCH_POOL = 10_000;
/** Records merged between two pause points when several filters' answers are combined. */
const MERGE_PAUSE_EVERY = 1024;

/** What an answer keeps of each record: enough to order answers (NIP-01) and merge them. */
export type Kept = Pick<StoredRecord, 'serial' | 'createdAt' | 'id'>;
/**
 * Makes what is kept of a matching record, which is only a view until the next read (peek.ts):
 * by default a copy of the record (`stable`); a REQ keeps the EVENT frame it will send instead.
 */
export type Keep<R extends Kept> = (rec: StoredRecord) => R;

export interface MatchOptions<R extends Kept> {
  /** Receives each yielded record's search score (search filters). */
  onScore?: (score: number) => void;
  /**
   * Yield peeked records (peek.ts), valid only until the next one is asked for: for readers that
   * use each record at once and keep nothing of it (COUNT, NIP-77 sets). Saves a copy per record.
   */
  transient?: boolean;
  keep?: Keep<R>;
}

const newestFirst = (a: Kept, b: Kept): number => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The meter of a synchronous read: `maxScan` entries per filter, decoding not weighed (as it always was). */
const syncMeter = (ctx: ReadContext): Meter => new Meter(ctx.maxScan ?? DEFAULT_MAX_SCAN, 0);

/** What an index plan guarantees of a candidate (planner.ts), so those checks are skipped. */
export type Covers = { authors?: boolean; kinds?: boolean; tag?: string };

/**
 * Whether a candidate found through an index is an answer for this reader: visible (not held,
 * not expired, readable by them) and matching every part of the filter the index does not
 * cover. `onScore` gets a search filter's score of each accepted record.
 */
export function acceptor(f: Filter, ctx: ReadContext, meter: Meter, onScore?: (score: number) => void): (rec: StoredRecord, covers: Covers) => boolean {
  const tokens = f.search !== undefined ? queryTokens(f.search) : undefined;
  return (rec, covers) => {
    if (rec.held && !ctx.includeHeld) return false;
    if (rec.expiredAt(ctx.now)) return false;
    // Index values hold created_at as u32 (clamped): the record's own value decides.
    if ((f.since !== undefined && rec.createdAt < f.since) || (f.until !== undefined && rec.createdAt > f.until)) return false;
    if (f.kinds && !covers.kinds && !f.kinds.includes(rec.kind)) return false;
    if (f.authors && !covers.authors && !f.authors.includes(rec.pubkey)) return false;
    const needsEvent = tokens !== undefined || (f.tags !== undefined && (f.tags.size > 1 || !f.tags.has(covers.tag ?? '')));
    if (needsEvent) {
      meter.charge(meter.decodeCost);
      const e = rec.event();
      if (!matchFilter(f, e)) return false;
      if (tokens) {
        const score = searchScore(f.search!, tokens, e.content);
        if (score === 0) return false;
        onScore?.(score);
      }
    }
    return ctx.canRead ? ctx.canRead(rec) : true;
  };
}

/**
 * Records matching a filter in created_at order (newest first unless asked), ignoring `limit`,
 * with a pause point every few records examined; stops early once the meter is over budget.
 */
export function* matchingWork<R extends Kept = StoredRecord>(t: Tables, f: Filter, ctx: ReadContext, meter: Meter, opts: MatchOptions<R> = {}): Generator<R | Pause, void, void> {
  const { onScore } = opts;
  const keep = (opts.transient ? (rec: StoredRecord) => rec : (opts.keep ?? stable)) as Keep<R>;
  const p = plan(t, f);
  const oldest = ctx.order === 'oldest';
  if (p.kind === 'nothing') return;
  let score = 0;
  const accept = acceptor(f, ctx, meter, (s) => (score = s));

  if (p.kind === 'ids') {
    const found: { rec: R; score: number }[] = [];
    for (const id of new Set(p.ids)) {
      meter.charge(1);
      if (meter.due()) {
        if (meter.over) return;
        yield PAUSE;
      }
      const rec = loadById(t, id);
      // loadById's record is already a copy of its own.
      if (rec && accept(rec, {})) found.push({ rec: opts.keep ? opts.keep(rec) : (rec as unknown as R), score });
    }
    found.sort((a, b) => newestFirst(a.rec, b.rec));
    for (const { rec, score } of oldest ? found.reverse() : found) {
      onScore?.(score);
      yield rec;
    }
    return;
  }

  if (p.word !== undefined) {
    for (const rec of scanWord(t, p.word, f.since, f.until, !oldest, meter)) {
      if (rec === PAUSE) yield PAUSE;
      else if (accept(rec, p.covers)) {
        onScore?.(score);
        yield keep(rec);
      }
    }
    return;
  }
  // Opening a key costs about what reading one entry does.
  meter.charge(p.prefixes.length);
  const seen = p.prefixes.length > 1 ? new Set<number>() : undefined;
  for (const serial of scanSerials(t, p.table, p.prefixes, f.since, f.until, !oldest)) {
    meter.charge(1);
    if (meter.due()) {
      if (meter.over) return;
      yield PAUSE;
    }
    if (seen) {
      if (seen.has(serial)) continue;
      seen.add(serial);
    }
    const rec = peekRecord(t, serial);
    if (rec && accept(rec, p.covers)) {
      onScore?.(score);
      yield keep(rec);
    }
  }
}

/**
 * The serials under these keys of an index table in time order. One key is read through the
 * table's serial view (no buffer per entry); several are merged by their values' time order.
 */
function* scanSerials(t: Tables, table: Bin, keys: Buffer[], since: number | undefined, until: number | undefined, newestFirst: boolean): Generator<number, void, void> {
  const view = keys.length === 1 ? t.serialViews.get(table) : undefined;
  if (view) return yield* scanIndex(view, keys[0]!, since, until, newestFirst);
  for (const value of mergeInTimeOrder(keys.map((key) => scanIndex(table, key, since, until, newestFirst)), newestFirst)) yield serialOf(value);
}

/** Records matching a filter, read to the end now (operator tools, relay services): see ReadContext.maxScan. */
export function matching(t: Tables, f: Filter, ctx: ReadContext): Generator<StoredRecord, void, void> {
  return withoutPauses(matchingWork(t, f, ctx, syncMeter(ctx)));
}

/**
 * A REQ's stored answer for one filter: the newest `limit` events, ties by lowest id
 * (NIP-01), or for NIP-50 searches the best `limit` matches by score.
 */
export function* queryFilterWork<R extends Kept = StoredRecord>(t: Tables, f: Filter, ctx: ReadContext, meter: Meter, keep?: Keep<R>): Work<R[]> {
  const limit = f.limit ?? Infinity;
  if (limit === 0) return [];
  if (f.search !== undefined) return yield* rankSearch(t, f, ctx, limit, meter, keep);
  const out: R[] = [];
  let lastCreatedAt = Infinity;
  for (const rec of matchingWork(t, f, ctx, meter, { keep })) {
    if (rec === PAUSE) {
      yield PAUSE;
      continue;
    }
    // Past the limit, keep only the tie group at the boundary so ordering by id stays exact.
    if (out.length >= limit && rec.createdAt < lastCreatedAt) break;
    out.push(rec);
    lastCreatedAt = rec.createdAt;
  }
  if (ctx.order === 'oldest') out.sort(newestFirst);
  else orderTies(out, itself);
  return out.length > limit ? out.slice(0, limit) : out;
}

/**
 * Items in created_at order (newest first) put in NIP-01 order: within each run of equal
 * created_at, lowest id first. Linear when ties are few, so a large answer is no long step.
 */
function orderTies<T>(items: T[], recOf: (item: T) => Kept): void {
  for (let i = 0; i < items.length; ) {
    const createdAt = recOf(items[i]!).createdAt;
    let j = i + 1;
    while (j < items.length && recOf(items[j]!).createdAt === createdAt) j++;
    if (j - i > 1) {
      const run = items.slice(i, j).sort((a, b) => newestFirst(recOf(a), recOf(b)));
      for (let k = 0; k < run.length; k++) items[i + k] = run[k]!;
    }
    i = j;
  }
}

const itself = (rec: Kept): Kept => rec;

export function queryFilter(t: Tables, f: Filter, ctx: ReadContext): StoredRecord[] {
  return finish(queryFilterWork(t, f, ctx, syncMeter(ctx)));
}

function* rankSearch<R extends Kept>(t: Tables, f: Filter, ctx: ReadContext, limit: number, meter: Meter, keep?: Keep<R>): Work<R[]> {
  const scored: { rec: R; score: number }[] = [];
  let score = 0;
  for (const rec of matchingWork(t, f, ctx, meter, { onScore: (s) => (score = s), keep })) {
    if (rec === PAUSE) {
      yield PAUSE;
      continue;
    }
    scored.push({ rec, score });
    if (scored.length >= SEARCH_POOL) break;
  }
  // Candidates came newest first: with ties put in id order, a stable sort by score alone keeps
  // NIP-01 order among equal scores and compares numbers only.
  orderTies(scored, (s) => s.rec);
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, limit).map((s) => s.rec);
}

/**
 * The answer to a REQ: each filter's answer, merged without duplicates, newest first. Filters
 * after the meter runs over are not read (the caller tells the client the answer is cut short).
 */
export function* queryWork<R extends Kept = StoredRecord>(t: Tables, filters: Filter[], ctx: ReadContext, meter: Meter, keep?: Keep<R>): Work<R[]> {
  if (filters.length === 1) return yield* queryFilterWork(t, filters[0]!, ctx, meter, keep);
  const answers: R[][] = [];
  for (const f of filters) {
    if (meter.over) break;
    const answer = yield* queryFilterWork(t, f, ctx, meter, keep);
    // Search rankings give way to time order (at most `limit` records each).
    answers.push(f.search !== undefined ? answer.sort(newestFirst) : answer);
  }
  return yield* mergeAnswers(answers);
}

export function queryFilters(t: Tables, filters: Filter[], ctx: ReadContext): StoredRecord[] {
  if (filters.length === 1) return queryFilter(t, filters[0]!, ctx);
  return finish(mergeAnswers(filters.map((f) => (f.search !== undefined ? queryFilter(t, f, ctx).sort(newestFirst) : queryFilter(t, f, ctx)))));
}

/** Several filters' answers, each newest first, as one, newest first, each record once. */
function* mergeAnswers<R extends Kept>(answers: R[][]): Work<R[]> {
  const lists = answers.filter((a) => a.length > 0);
  const at = new Array<number>(lists.length).fill(0);
  const seen = new Set<number>();
  const out: R[] = [];
  for (let n = 1; ; n++) {
    let pick = -1;
    for (let i = 0; i < lists.length; i++) {
      const head = lists[i]![at[i]!];
      if (head && (pick < 0 || newestFirst(head, lists[pick]![at[pick]!]!) < 0)) pick = i;
    }
    if (pick < 0) return out;
    const rec = lists[pick]![at[pick]!++]!;
    if (!seen.has(rec.serial)) {
      seen.add(rec.serial);
      out.push(rec);
    }
    if (n % MERGE_PAUSE_EVERY === 0) yield PAUSE;
  }
}

/**
 * COUNT (NIP-45): distinct records matching any filter, `limit` ignored by the caller; `each`
 * sees every counted record (HLL). Stops when the meter runs over: the count is then incomplete.
 */
export function* countWork(t: Tables, filters: Filter[], ctx: ReadContext, meter: Meter, each?: (rec: StoredRecord) => void): Work<number> {
  // Duplicates can only come from several filters.
  const seen = filters.length > 1 ? new Set<number>() : undefined;
  let count = 0;
  for (const f of filters) {
    if (meter.over) break;
    for (const rec of matchingWork(t, f, ctx, meter, { transient: true })) {
      if (rec === PAUSE) {
        yield PAUSE;
        continue;
      }
      if (seen) {
        if (seen.has(rec.serial)) continue;
        seen.add(rec.serial);
      }
      count++;
      each?.(rec);
    }
  }
  return count;
}
