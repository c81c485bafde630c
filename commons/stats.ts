import type { DatasetRecord } from './select.ts';

/** Counts a dataset user wants before downloading: records per kind, per month, per licence. */
export interface DatasetStats {
  records: number;
  authors: number;
  byKind: Record<string, number>;
  /** YYYY-MM (UTC) → records. */
  byMonth: Record<string, number>;
  byLicense: Record<string, number>;
  /** ISO times of the oldest and newest record. */
  first?: string;
  last?: string;
}

export function datasetStats(records: readonly DatasetRecord[]): DatasetStats {
  const byKind: Record<string, number> = {};
  const byMonth: Record<string, number> = {};
  const byLicense: Record<string, number> = {};
  const authors = new Set<string>();
  let first = Infinity;
  let last = -Infinity;
  for (const { event, license } of records) {
    byKind[event.kind] = (byKind[event.kind] ?? 0) + 1;
    const month = new Date(event.created_at * 1000).toISOString().slice(0, 7);
    byMonth[month] = (byMonth[month] ?? 0) + 1;
    byLicense[license] = (byLicense[license] ?? 0) + 1;
    authors.add(event.pubkey);
    first = Math.min(first, event.created_at);
    last = Math.max(last, event.created_at);
  }
  const iso = (t: number) => new Date(t * 1000).toISOString();
  return {
    records: records.length,
    authors: authors.size,
    byKind,
    byMonth: Object.fromEntries(Object.entries(byMonth).sort()),
    byLicense,
    ...(records.length > 0 ? { first: iso(first), last: iso(last) } : {}),
  };
}
