import type { NostrEvent } from './types.ts';
import { isAddressable, isReplaceable } from './kinds.ts';

/** The first value of the first tag with this name. */
export function firstTagValue(event: Pick<NostrEvent, 'tags'>, name: string): string | undefined {
  for (const tag of event.tags) if (tag[0] === name) return tag[1];
  return undefined;
}

/** The `d` identifier of an addressable event: missing, `["d"]` and `["d",""]` all mean "". */
export const dTag = (event: Pick<NostrEvent, 'tags'>): string => firstTagValue(event, 'd') ?? '';

/** The replacement key (kind, pubkey, d) or undefined for regular and ephemeral events. */
export function addressOf(event: Pick<NostrEvent, 'kind' | 'pubkey' | 'tags'>): { kind: number; pubkey: string; d: string } | undefined {
  if (isReplaceable(event.kind)) return { kind: event.kind, pubkey: event.pubkey, d: '' };
  if (isAddressable(event.kind)) return { kind: event.kind, pubkey: event.pubkey, d: dTag(event) };
  return undefined;
}

/** NIP-29: the group an event was sent to (its `h` tag), if any. */
export const groupOf = (event: Pick<NostrEvent, 'tags'>): string | undefined => firstTagValue(event, 'h');

/** NIP-40 expiration in unix seconds, or 0 when absent or malformed (a malformed tag is ignored). */
export function expirationOf(event: Pick<NostrEvent, 'tags'>): number {
  const raw = firstTagValue(event, 'expiration');
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return 0;
  return Number(raw);
}

/** NIP-70: the event carries the protected marker ["-"]. */
export const isProtected = (event: Pick<NostrEvent, 'tags'>): boolean => event.tags.some((t) => t.length === 1 && t[0] === '-');

/** Pubkeys named in `p` tags. */
export function pTags(event: Pick<NostrEvent, 'tags'>): string[] {
  const out: string[] = [];
  for (const tag of event.tags) if (tag[0] === 'p' && tag[1] !== undefined) out.push(tag[1]);
  return out;
}
