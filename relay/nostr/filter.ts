import type { Filter, NostrEvent } from './types.ts';
import { isHex64 } from './hex.ts';

export interface FilterLimits {
  maxLimit: number;
  defaultLimit: number;
  maxFilterValues: number;
}

export type ParsedFilter = { filter: Filter } | { error: string };

const HEX_TAGS = new Set(['e', 'p']);

function stringList(v: unknown, field: string, max: number, hex: boolean): string[] | string {
  if (!Array.isArray(v)) return `invalid: ${field} must be an array`;
  if (v.length > max) return `invalid: too many values in ${field} (${v.length} > ${max})`;
  for (const item of v) {
    if (typeof item !== 'string') return `invalid: ${field} must contain strings`;
    if (hex && !isHex64(item)) return `invalid: ${field} values must be 64 lowercase hex characters`;
  }
  return v as string[];
}

function integer(v: unknown, field: string): number | string {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : `invalid: ${field} must be an integer`;
}

/**
 * Validates one REQ/COUNT filter. Empty arrays are kept: they match nothing, as they should.
 * A missing `limit` becomes `defaultLimit`; larger limits are clamped to `maxLimit`. An `ids`
 * filter names its own answer (at most one event per id), so it is answered in full: its limit
 * is at least the number of ids, which maxFilterValues already caps.
 */
export function parseFilter(raw: unknown, limits: FilterLimits): ParsedFilter {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'invalid: a filter must be a JSON object' };
  const filter: Filter = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'ids':
      case 'authors': {
        const list = stringList(value, key, limits.maxFilterValues, true);
        if (typeof list === 'string') return { error: list };
        filter[key] = list;
        break;
      }
      case 'kinds': {
        if (!Array.isArray(value)) return { error: 'invalid: kinds must be an array' };
        if (value.length > limits.maxFilterValues) return { error: `invalid: too many values in kinds (${value.length} > ${limits.maxFilterValues})` };
        if (!value.every((k) => typeof k === 'number' && Number.isSafeInteger(k) && k >= 0)) {
          return { error: 'invalid: kinds must be non-negative integers' };
        }
        filter.kinds = value as number[];
        break;
      }
      case 'since':
      case 'until': {
        const n = integer(value, key);
        if (typeof n === 'string') return { error: n };
        filter[key] = n;
        break;
      }
      case 'limit': {
        const n = integer(value, key);
        if (typeof n === 'string') return { error: n };
        if (n < 0) return { error: 'invalid: limit must not be negative' };
        filter.limit = n;
        break;
      }
      case 'search':
        if (typeof value !== 'string') return { error: 'invalid: search must be a string' };
        filter.search = value;
        break;
      default: {
        if (key.length !== 2 || key[0] !== '#' || !/[a-zA-Z]/.test(key[1]!)) {
          return { error: 'invalid: filter contains unknown elements' };
        }
        const letter = key[1]!;
        const list = stringList(value, key, limits.maxFilterValues, HEX_TAGS.has(letter));
        if (typeof list === 'string') return { error: list };
        (filter.tags ??= new Map()).set(letter, list);
      }
    }
  }
  const ceiling = filter.ids ? Math.max(limits.maxLimit, filter.ids.length) : limits.maxLimit;
  filter.limit = filter.limit === undefined ? (filter.ids ? filter.ids.length : limits.defaultLimit) : Math.min(filter.limit, ceiling);
  return { filter };
}

/** Whether an event matches a filter (everything but `search` and `limit`). */
export function matchFilter(f: Filter, e: NostrEvent): boolean {
  if (f.ids && !f.ids.includes(e.id)) return false;
  if (f.authors && !f.authors.includes(e.pubkey)) return false;
  if (f.kinds && !f.kinds.includes(e.kind)) return false;
  if (f.since !== undefined && e.created_at < f.since) return false;
  if (f.until !== undefined && e.created_at > f.until) return false;
  if (f.tags) {
    for (const [letter, values] of f.tags) {
      let found = false;
      for (const tag of e.tags) {
        if (tag[0] === letter && tag[1] !== undefined && values.includes(tag[1])) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
  }
  return true;
}

/** Filters back to their wire form (for logs, policies and sync). */
export function filterToJSON(f: Filter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (k !== 'tags' && v !== undefined) out[k] = v;
  if (f.tags) for (const [letter, values] of f.tags) out[`#${letter}`] = values;
  return out;
}
