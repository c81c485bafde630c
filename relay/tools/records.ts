import type { Filter } from '../nostr/types.ts';
import { matchFilter } from '../nostr/filter.ts';
import type { Tables } from '../store/env.ts';
import { createdAtOf, rangeBounds, serialOf } from '../store/keys.ts';
import { plan } from '../store/planner.ts';
import { matching, queryFilter, type ReadContext } from '../store/query.ts';
import { StoredRecord } from '../store/record.ts';

export type Order = 'newest' | 'oldest';

export interface ScanOptions {
  order?: Order;
  /** Held (moderation queue) events too. */
  includeHeld?: boolean;
  now?: number;
}

/**
 * Every stored record matching a filter, streamed in created_at order (newest first by
 * default). No scan cap: operator tools read the whole store when asked to. A filter with a
 * `limit` keeps the newest `limit` matches, as a REQ would.
 */
export function* scanRecords(t: Tables, f: Filter, opts: ScanOptions = {}): Generator<StoredRecord> {
  const ctx: ReadContext = { now: opts.now ?? Math.floor(Date.now() / 1000), includeHeld: opts.includeHeld, maxScan: Infinity };
  const order = opts.order ?? 'newest';
  if (f.limit !== undefined) {
    const recs = queryFilter(t, f, ctx);
    yield* order === 'newest' ? recs : recs.reverse();
  } else if (order === 'newest') yield* matching(t, f, ctx);
  else if (f.search !== undefined || f.ids !== undefined) yield* [...matching(t, f, ctx)].reverse();
  else yield* oldestFirst(t, f, ctx);
}

const older = (a: Buffer, b: Buffer): boolean => {
  const ca = createdAtOf(a);
  const cb = createdAtOf(b);
  return ca !== cb ? ca < cb : serialOf(a) < serialOf(b);
};

/** Forward range reads of the planned index, merged oldest first. */
function* oldestFirst(t: Tables, f: Filter, ctx: ReadContext): Generator<StoredRecord> {
  const p = plan(t, f);
  if (p.kind !== 'scan') return;
  const scans = p.prefixes.map((prefix) => {
    const { start, end } = rangeBounds(prefix, f.since, f.until);
    return (p.table.getKeys({ start: end, end: start }) as Iterable<Buffer>)[Symbol.iterator]();
  });
  const heads: { key: Buffer; it: Iterator<Buffer> }[] = [];
  for (const it of scans) {
    const n = it.next();
    if (!n.done) heads.push({ key: n.value, it });
  }
  const seen = p.prefixes.length > 1 ? new Set<number>() : undefined;
  while (heads.length > 0) {
    // Prefix counts are small (authors, kinds, tag values): a linear pick is enough.
    let best = 0;
    for (let i = 1; i < heads.length; i++) if (older(heads[i]!.key, heads[best]!.key)) best = i;
    const head = heads[best]!;
    const serial = serialOf(head.key);
    const n = head.it.next();
    if (n.done) heads.splice(best, 1);
    else head.key = n.value;
    if (seen) {
      if (seen.has(serial)) continue;
      seen.add(serial);
    }
    const buf = t.events.get(serial);
    if (!buf) continue;
    const rec = new StoredRecord(buf, serial);
    if (rec.held && !ctx.includeHeld) continue;
    if (rec.expiredAt(ctx.now)) continue;
    if (!matchFilter(f, rec.event())) continue;
    yield rec;
  }
}

/**
 * Writes one line per record to a stream, waiting when the reader is slower than LMDB.
 * Stops quietly when the reader goes away (`| head`).
 */
export async function writeJsonl(records: Iterable<StoredRecord>, out: NodeJS.WritableStream, onEach?: () => void): Promise<number> {
  let n = 0;
  let gone = false;
  const NL = Buffer.from('\n');
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    gone = true;
  };
  out.on('error', onError);
  try {
    for (const rec of records) {
      if (gone) break;
      const ok = out.write(Buffer.concat([rec.json, NL]));
      n++;
      onEach?.();
      if (!ok) {
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            out.off('error', done);
            resolve();
          };
          out.once('drain', done);
          out.once('error', done);
        });
      }
    }
  } finally {
    out.off('error', onError);
    if (gone) out.on('error', () => undefined);
  }
  return n;
}
