import type { Filter } from '../../relay/nostr/types.ts';
import { parseFilter } from '../../relay/nostr/filter.ts';

/** A mistake in what the operator typed: printed as one line, exit code 2. */
export class UsageError extends Error {}

const UNLIMITED = { maxLimit: Number.MAX_SAFE_INTEGER, defaultLimit: Number.MAX_SAFE_INTEGER, maxFilterValues: 1_000_000 };

/** A NIP-01 filter given on the command line (JSON); without `limit` it covers every match. */
export function parseCliFilter(text: string | undefined): Filter {
  if (text === undefined || text.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`the filter is not valid JSON: ${text}`);
  }
  const parsed = parseFilter(raw, UNLIMITED);
  if ('error' in parsed) throw new UsageError(`bad filter: ${parsed.error}`);
  const limited = typeof raw === 'object' && raw !== null && 'limit' in raw;
  return limited ? parsed.filter : { ...parsed.filter, limit: undefined };
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** "30d", "12h", "90m", "2w", "45s" → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (!m) throw new UsageError(`bad duration "${text}": use a number and s, m, h, d or w (e.g. 30d)`);
  return Number(m[1]) * UNITS[m[2]!]!;
}
