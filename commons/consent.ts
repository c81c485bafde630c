import type { NostrEvent } from '../relay/nostr/types.ts';
import { KIND_DATA_CONSENT } from '../relay/nostr/kinds.ts';

/**
 * Usage categories of the IETF AI-preferences vocabulary (draft-ietf-aipref-vocab): training AI
 * models, training generative AI models (a part of the first), and search. A member's consent
 * event states y or n for each; docs/consent.md describes the event.
 */
export const PURPOSES = ['train-ai', 'train-genai', 'search'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** The vocabulary's nesting: a preference for the broader category applies unless the narrower one is stated. */
const BROADER: Partial<Record<Purpose, Purpose>> = { 'train-genai': 'train-ai' };

export const isPurpose = (s: string): s is Purpose => (PURPOSES as readonly string[]).includes(s);

/** What one member's latest consent event says. */
export interface Consent {
  pubkey: string;
  /** The consent event's id and time: a dataset record names the statement it relied on. */
  eventId: string;
  createdAt: number;
  /** Stated preferences only; a category not stated is not consented to (opt-in). */
  uses: Map<Purpose, boolean>;
  /** SPDX id the member chose for their posts, if any. */
  license?: string;
}

const SPDX = /^[A-Za-z0-9.+-]{1,64}$/;

/** The consent a kind-10777 event states; unknown categories and malformed tags are ignored. */
export function parseConsent(event: NostrEvent): Consent | undefined {
  if (event.kind !== KIND_DATA_CONSENT) return undefined;
  const uses = new Map<Purpose, boolean>();
  let license: string | undefined;
  for (const tag of event.tags) {
    if (tag[0] === 'use' && tag[1] !== undefined && isPurpose(tag[1]) && (tag[2] === 'y' || tag[2] === 'n')) uses.set(tag[1], tag[2] === 'y');
    else if (tag[0] === 'license' && tag[1] !== undefined && SPDX.test(tag[1]) && license === undefined) license = tag[1];
  }
  return { pubkey: event.pubkey, eventId: event.id, createdAt: event.created_at, uses, license };
}

/** Whether the member allows this use: their statement for it, else for the broader category, else no. */
export function allows(consent: Consent | undefined, purpose: Purpose): boolean {
  if (!consent) return false;
  for (let p: Purpose | undefined = purpose; p !== undefined; p = BROADER[p]) {
    const stated = consent.uses.get(p);
    if (stated !== undefined) return stated;
  }
  return false;
}
