import type { Meter } from '../store/work.ts';

/** The refusal of a read that ran over its work budget (limits.maxQueryCost, limits.maxCountScan). */
export function tooExpensive(meter: Meter): string {
  return `blocked: query too expensive (over ${meter.budget} records examined); narrow it with authors, kinds, rarer tags or since/until`;
}
