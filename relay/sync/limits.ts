import type { Config } from '../../config/schema.ts';

/**
 * NIP-77 limits. The record cap follows `limits.maxCountScan` (the most records one COUNT may
 * touch), and all open sessions together hold at most RELAY_BUDGET times that; the frame size
 * follows `limits.maxMessageBytes` so a reply, hex-encoded, fits the same bound the relay
 * accepts. Idle sessions close after `limits.syncIdleSeconds`.
 */

const MIN_FRAME = 4096;
const MAX_FRAME = 500_000;

/** Open sessions per connection; every one holds its whole record set in memory. */
const MAX_SESSIONS = 8;
/** Records held by all open sessions together, in multiples of the per-query cap. */
const RELAY_BUDGET = 4;

export function negLimits(config: Config): { maxRecords: number; relayBudget: number; frameSizeLimit: number; idleMs: number; maxSessions: number } {
  const frame = Math.floor((config.limits.maxMessageBytes - 200) / 2);
  return {
    maxRecords: config.limits.maxCountScan,
    relayBudget: RELAY_BUDGET * config.limits.maxCountScan,
    frameSizeLimit: Math.min(MAX_FRAME, Math.max(MIN_FRAME, frame)),
    idleMs: config.limits.syncIdleSeconds * 1000,
    maxSessions: Math.min(MAX_SESSIONS, config.limits.maxSubscriptions),
  };
}
