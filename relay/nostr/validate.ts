import type { NostrEvent } from './types.ts';
import { isHex128, isHex64 } from './hex.ts';

export interface EventLimits {
  maxEventTags: number;
  maxContentLength: number;
  createdAtLowerLimit: number;
  createdAtUpperLimit: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks an event's shape and the relay's limits; returns an `invalid:` reason or undefined.
 * The id and signature are checked later, off the main thread.
 */
export function checkEventShape(raw: unknown, limits: EventLimits, now: number): string | undefined {
  if (!isObject(raw)) return 'invalid: event must be a JSON object';
  const e = raw as Partial<Record<keyof NostrEvent, unknown>>;
  if (!isHex64(e.id)) return 'invalid: id must be 64 lowercase hex characters';
  if (!isHex64(e.pubkey)) return 'invalid: pubkey must be 64 lowercase hex characters';
  if (!isHex128(e.sig)) return 'invalid: sig must be 128 lowercase hex characters';
  if (typeof e.created_at !== 'number' || !Number.isSafeInteger(e.created_at) || e.created_at < 0) {
    return 'invalid: created_at must be a non-negative integer';
  }
  if (typeof e.kind !== 'number' || !Number.isInteger(e.kind) || e.kind < 0 || e.kind > 65535) {
    return 'invalid: kind must be an integer from 0 to 65535';
  }
  if (typeof e.content !== 'string') return 'invalid: content must be a string';
  if (!Array.isArray(e.tags)) return 'invalid: tags must be an array';
  if (e.tags.length > limits.maxEventTags) return `invalid: too many tags (${e.tags.length} > ${limits.maxEventTags})`;
  for (const tag of e.tags) {
    if (!Array.isArray(tag)) return 'invalid: each tag must be an array of strings';
    for (const item of tag) {
      if (typeof item !== 'string') return 'invalid: each tag must be an array of strings';
      // Lone surrogates serialise differently across implementations, so ids would not agree.
      if (!item.isWellFormed()) return 'invalid: tag contains a lone UTF-16 surrogate';
    }
  }
  // NIP-11 counts characters (code points); UTF-16 length is an upper bound, so count only past it.
  if (e.content.length > limits.maxContentLength) {
    const chars = codePoints(e.content);
    if (chars > limits.maxContentLength) return `invalid: content too long (${chars} > ${limits.maxContentLength} characters)`;
  }
  if (!e.content.isWellFormed()) return 'invalid: content contains a lone UTF-16 surrogate';
  if (limits.createdAtLowerLimit > 0 && e.created_at < now - limits.createdAtLowerLimit) {
    return 'invalid: created_at is too far in the past';
  }
  if (e.created_at > now + limits.createdAtUpperLimit) return 'invalid: created_at is too far in the future';
  return undefined;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Copies only the seven NIP-01 fields (extra fields are dropped, never stored). */
export function pickEvent(raw: Record<string, unknown>): NostrEvent {
  const e = raw as unknown as NostrEvent;
  return { id: e.id, pubkey: e.pubkey, created_at: e.created_at, kind: e.kind, tags: e.tags, content: e.content, sig: e.sig };
}
