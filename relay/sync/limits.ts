import type { Config } from '../../config/schema.ts';

/**
 * NIP-77 limits. The record cap follows `limits.maxCountScan` (the most records one COUNT
 * may touch); the frame size follows `limits.maxMessageBytes` so a reply, hex-encoded, fits
 * the same bound the relay accepts. `idleMs` is a module setting (tests shorten it).
 */
export const negSettings = { idleMs: 60_000 };

const MIN_FRAME = 4096;
const MAX_FRAME = 500_000;

export function negLimits(config: Config): { maxRecords: number; frameSizeLimit: number; idleMs: number; maxSessions: number } {
  const frame = Math.floor((config.limits.maxMessageBytes - 200) / 2);
  return {
    maxRecords: config.limits.maxCountScan,
    frameSizeLimit: Math.min(MAX_FRAME, Math.max(MIN_FRAME, frame)),
    idleMs: negSettings.idleMs,
    maxSessions: config.limits.maxSubscriptions,
  };
}
