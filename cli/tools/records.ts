import type { Filter } from '../../relay/nostr/types.ts';
import type { Tables } from '../../relay/store/env.ts';
import { matching, queryFilter, type ReadContext } from '../../relay/store/query.ts';
import type { StoredRecord } from '../../relay/store/record.ts';

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
  } else yield* matching(t, f, { ...ctx, order });
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
