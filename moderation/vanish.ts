import { sameRelay } from '../relay/nostr/relayUrl.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type { CaseStore } from './caseStore.ts';

/** Whether a NIP-62 request names this relay (or every relay), as the store decides it. */
export const vanishNamesRelay = (e: NostrEvent, relayUrl: string): boolean =>
  e.tags.some((t) => t[0] === 'relay' && t[1] !== undefined && (t[1] === 'ALL_RELAYS' || sameRelay(t[1], relayUrl)));

/**
 * NIP-62 reaches the cases too: the copies they keep of the author's events lose their text and
 * tags (id, kind and time stay, so the record of what was decided still stands), and the notes of
 * their reports and appeals are erased. Returns how many cases changed.
 */
export function eraseAuthor(cases: CaseStore, pubkey: string): number {
  let changed = 0;
  for (const c of cases.list()) {
    let touched = false;
    if (c.event.pubkey === pubkey && (c.event.content !== '' || c.event.tags.length > 0)) {
      c.event = { ...c.event, content: '', tags: [], sig: '' };
      touched = true;
    }
    for (const r of c.reports) if (r.reporter === pubkey && r.note !== '') [r.note, touched] = ['', true];
    if (c.appeal && c.event.pubkey === pubkey && c.appeal.reason !== '') [c.appeal.reason, touched] = ['', true];
    if (touched) {
      c.actions.push({ at: Date.now(), by: pubkey, action: 'erase', detail: 'NIP-62 request to vanish' });
      cases.put(c);
      changed++;
    }
  }
  return changed;
}
