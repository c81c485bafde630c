import type { Store } from '../relay/store/store.ts';
import { matching } from '../relay/store/query.ts';
import { KIND_DATA_CONSENT, PRIVATE_KINDS } from '../relay/nostr/kinds.ts';
import { isProtected } from '../relay/nostr/tags.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import { allows, parseConsent, type Consent, type Purpose } from './consent.ts';

/** One exported post: the signed original, byte for byte as stored, and the terms it is under. */
export interface DatasetRecord {
  event: NostrEvent;
  /** The stored canonical JSON (the line written to events.jsonl). */
  json: string;
  license: string;
  /** The consent event the record relies on. */
  consentId: string;
}

export interface SelectOptions {
  purpose: Purpose;
  /** Kinds a dataset may hold (commons.kinds). */
  kinds: readonly number[];
  /** Kinds the relay serves only to their parties (nips.restrictedKinds): never exported either. */
  restrictedKinds: readonly number[];
  /** Licence of a record whose author named none (commons.license). */
  defaultLicense: string;
  now?: number;
  /** What else keeps a post out (NIP-29 groups that have not opted in, private groups): false leaves it out. */
  mayExport?: (event: NostrEvent) => boolean;
}

const EVERYTHING = Number.MAX_SAFE_INTEGER;

/** Every member's latest consent event as the store serves it (a deleted or vanished one is gone, so is the consent). */
export function readConsents(store: Store, now: number): Map<string, Consent> {
  const out = new Map<string, Consent>();
  for (const rec of matching(store.tables, { kinds: [KIND_DATA_CONSENT] }, { now, maxScan: EVERYTHING })) {
    const c = parseConsent(rec.event());
    const prior = out.get(rec.pubkey);
    if (c && (!prior || c.createdAt > prior.createdAt)) out.set(rec.pubkey, c);
  }
  return out;
}

/**
 * The posts a dataset for `purpose` may hold, oldest first: of members whose consent allows it,
 * of the listed kinds, as the store serves them to a reader without privileges, so deleted,
 * vanished, expired and held (moderated-out) events are not there; and never a private kind or a
 * NIP-70 protected event, whatever the consent or the configuration says.
 */
export function* selectRecords(store: Store, opts: SelectOptions): Generator<DatasetRecord> {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const never = new Set([...PRIVATE_KINDS, ...opts.restrictedKinds, KIND_DATA_CONSENT]);
  const kinds = opts.kinds.filter((k) => !never.has(k));
  if (kinds.length === 0) return;
  const consents = [...readConsents(store, now).values()].filter((c) => allows(c, opts.purpose)).sort((a, b) => (a.pubkey < b.pubkey ? -1 : 1));
  for (const consent of consents) {
    for (const rec of matching(store.tables, { authors: [consent.pubkey], kinds }, { now, order: 'oldest', maxScan: EVERYTHING })) {
      const event = rec.event();
      if (isProtected(event) || (opts.mayExport && !opts.mayExport(event))) continue;
      yield { event, json: rec.json.toString('utf8'), license: consent.license ?? opts.defaultLicense, consentId: consent.eventId };
    }
  }
}
