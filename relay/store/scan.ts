import type { Database } from 'lmdb';
import { valueRange } from './keys.ts';

/**
 * The entries (created_at ‖ serial values) of one index key with created_at in [since, until],
 * newest first or oldest first, read lazily.
 */
export function scanIndex(
  table: Database<Buffer, Buffer>,
  key: Buffer,
  since: number | undefined,
  until: number | undefined,
  newestFirst: boolean,
  limit?: number,
): Iterable<Buffer> {
  const { newest, oldest } = valueRange(since, until);
  // lmdb-js: a reverse scan starts at the last value <= start; `end` is exclusive unless inclusiveEnd.
  return newestFirst
    ? table.getValues(key, { start: newest, end: oldest, reverse: true, inclusiveEnd: true, limit })
    : table.getValues(key, { start: oldest, end: newest, inclusiveEnd: true, limit });
}
