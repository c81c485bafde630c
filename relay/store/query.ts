import type { Filter } from '../nostr/types.ts';
import { matchFilter } from '../nostr/filter.ts';
import { queryTokens, searchScore } from '../nostr/search.ts';
import type { Tables } from './env.ts';
import { serialOf } from './keys.ts';
import { mergeInTimeOrder } from './merge.ts';
import { loadById } from './ids.ts';
import { scanIndex } from './scan.ts';
import { scanWord } from './words.ts';
import { plan } from './planner.ts';
import { StoredRecord } from './record.ts';

export interface ReadContext {
  /** Unix seconds, for NIP-40 expiry. */
  now: number;
  /** Per-reader visibility (NIP-42 restricted kinds); absent: everything visible. */
  canRead?: (rec: StoredRecord) => boolean;
  /** Serve held events too (moderation tools only). */
  includeHeld?: boolean;
  /** Most index entries to examine; protects the event loop from pathological filters. */
  maxScan?: number;
  /** `matching` order; REQ answers are always newest first. */
  order?: 'newest' | 'oldest';
}

const DEFAULT_MAX_SCAN = 250_000;
/** Candidates gathered for a search before ranking. */
const SEARCH_POOL = 10_000;

const newestFirst = (a: StoredRecord, b: StoredRecord): number => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Records matching a filter in created_at order (newest first unless asked), ignoring `limit`. */
export function* matching(t: Tables, f: Filter, ctx: ReadContext): Generator<StoredRecord> {
  const p = plan(t, f);
  const oldest = ctx.order === 'oldest';
  if (p.kind === 'nothing') return;
  const tokens = f.search !== undefined ? queryTokens(f.search) : undefined;
  const accept = (rec: StoredRecord, covers: { authors?: boolean; kinds?: boolean; tag?: string }): boolean => {
    if (rec.held && !ctx.includeHeld) return false;
    if (rec.expiredAt(ctx.now)) return false;
    // Index values hold created_at as u32 (clamped): the record's own value decides.
    if ((f.since !== undefined && rec.createdAt < f.since) || (f.until !== undefined && rec.createdAt > f.until)) return false;
    if (f.kinds && !covers.kinds && !f.kinds.includes(rec.kind)) return false;
    if (f.authors && !covers.authors && !f.authors.includes(rec.pubkey)) return false;
    const needsEvent = tokens !== undefined || (f.tags !== undefined && (f.tags.size > 1 || !f.tags.has(covers.tag ?? '')));
    if (needsEvent) {
      const e = rec.event();
      if (!matchFilter(f, e)) return false;
      if (tokens && searchScore(f.search!, tokens, e.content) === 0) return false;
    }
    return ctx.canRead ? ctx.canRead(rec) : true;
  };

  if (p.kind === 'ids') {
    const found: StoredRecord[] = [];
    for (const id of new Set(p.ids)) {
      const rec = loadById(t, id);
      if (!rec) continue;
      if (accept(rec, {})) found.push(rec);
    }
    found.sort(newestFirst);
    yield* oldest ? found.reverse() : found;
    return;
  }

  const maxScan = ctx.maxScan ?? DEFAULT_MAX_SCAN;
  let scanned = 0;
  if (p.word !== undefined) {
    for (const rec of scanWord(t, p.word, f.since, f.until, !oldest)) {
      if (++scanned > maxScan) return;
      if (accept(rec, p.covers)) yield rec;
    }
    return;
  }
  const scans = p.prefixes.map((key) => scanIndex(p.table, key, f.since, f.until, !oldest));
  const seen = p.prefixes.length > 1 ? new Set<number>() : undefined;
  for (const value of mergeInTimeOrder(scans, !oldest)) {
    if (++scanned > maxScan) return;
    const serial = serialOf(value);
    if (seen) {
      if (seen.has(serial)) continue;
      seen.add(serial);
    }
    const buf = t.events.get(serial);
    if (!buf) continue;
    const rec = new StoredRecord(buf, serial);
    if (accept(rec, p.covers)) yield rec;
  }
}

/**
 * A REQ's stored answer for one filter: the newest `limit` events, ties by lowest id
 * (NIP-01), or for NIP-50 searches the best `limit` matches by score.
 */
export function queryFilter(t: Tables, f: Filter, ctx: ReadContext): StoredRecord[] {
  const limit = f.limit ?? Infinity;
  if (limit === 0) return [];
  if (f.search !== undefined) return rankSearch(t, f, ctx, limit);
  const out: StoredRecord[] = [];
  let lastCreatedAt = Infinity;
  for (const rec of matching(t, f, ctx)) {
    // Past the limit, keep only the tie group at the boundary so ordering by id stays exact.
    if (out.length >= limit && rec.createdAt < lastCreatedAt) break;
    out.push(rec);
    lastCreatedAt = rec.createdAt;
  }
  out.sort(newestFirst);
  return out.length > limit ? out.slice(0, limit) : out;
}

function rankSearch(t: Tables, f: Filter, ctx: ReadContext, limit: number): StoredRecord[] {
  const tokens = queryTokens(f.search!);
  const scored: { rec: StoredRecord; score: number }[] = [];
  for (const rec of matching(t, f, ctx)) {
    scored.push({ rec, score: searchScore(f.search!, tokens, rec.event().content) });
    if (scored.length >= SEARCH_POOL) break;
  }
  scored.sort((a, b) => b.score - a.score || newestFirst(a.rec, b.rec));
  return scored.slice(0, limit).map((s) => s.rec);
}

/** The answer to a REQ: each filter's answer, merged without duplicates, newest first. */
export function queryFilters(t: Tables, filters: Filter[], ctx: ReadContext): StoredRecord[] {
  if (filters.length === 1) return queryFilter(t, filters[0]!, ctx);
  const bySerial = new Map<number, StoredRecord>();
  for (const f of filters) for (const rec of queryFilter(t, f, ctx)) bySerial.set(rec.serial, rec);
  // Search results keep their ranking only when alone; mixed answers go newest first.
  return [...bySerial.values()].sort(newestFirst);
}
