import type { Database } from 'lmdb';
import { valueRange } from './keys.ts';

/**
 * The entries (created_at ‖ serial values) of one index key with created_at in [since, until],
 * newest first or oldest first, read lazily. Values are as the table decodes them: the 8 bytes,
 * or on a serial view (env.ts) the serial alone.
 */
export function scanIndex<V = Buffer>(
  table: Database<V, Buffer>,
  key: Buffer,
  since: number | undefined,
  until: number | undefined,
  newestFirst: boolean,
  limit?: number,
): Iterable<V> {
  const { newest, oldest } = valueRange(since, until);
  // lmdb-js: a reverse scan starts at the last value <= start; `end` is exclusive unless inclusiveEnd.
  return newestFirst
    ? table.getValues(key, { start: newest, end: oldest, reverse: true, inclusiveEnd: true, limit })
    : table.getValues(key, { start: oldest, end: newest, inclusiveEnd: true, limit });
}
