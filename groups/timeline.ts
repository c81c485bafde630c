import type { NostrEvent } from '../relay/nostr/types.ts';

/** How many of the group's latest events a `previous` reference may point at (NIP-29 says the last 50 a client saw). */
export const TIMELINE_WINDOW = 200;

/**
 * NIP-29 timeline references: each `previous` value is the first 8 hex digits of an event of
 * this group stored here, so an event copied to another relay's fork is out of context there.
 * `recent` is the group's latest events (its own and the relay's state events).
 */
export function checkPrevious(event: NostrEvent, recent: () => Iterable<string>, min: number): string | undefined {
  const refs = event.tags.filter((t) => t[0] === 'previous').flatMap((t) => t.slice(1));
  if (refs.length < min) return `invalid: this relay needs at least ${min} timeline references (["previous", ...]) on group events`;
  if (refs.length === 0) return undefined;
  if (refs.some((r) => !/^[0-9a-f]{8}$/.test(r))) return 'invalid: a timeline reference is the first 8 hex digits of an event id';
  const known = new Set<string>();
  for (const id of recent()) known.add(id.slice(0, 8));
  const missing = refs.filter((r) => !known.has(r));
  return missing.length === 0 ? undefined : `invalid: timeline reference ${missing[0]} is not a recent event of this group here`;
}
