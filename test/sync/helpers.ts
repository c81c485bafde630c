import { randomBytes } from 'node:crypto';
import { nip77 } from 'nostr-tools';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { Store } from '../../relay/store/store.ts';
import type { RawClient } from '../helpers/client.ts';

/** An unsigned stand-in event: the store does not verify, and negentropy sees only ids and times. */
export function fakeEvent(created_at: number, kind = 1, tags: string[][] = []): NostrEvent {
  return { id: randomBytes(32).toString('hex'), pubkey: randomBytes(32).toString('hex'), created_at, kind, tags, content: 'x', sig: '0'.repeat(128) };
}

export async function storeAll(store: Store, events: NostrEvent[]): Promise<void> {
  const outcomes = await Promise.all(events.map((e) => store.store(e, JSON.stringify(e))));
  if (outcomes.some((o) => o.status !== 'stored')) throw new Error('not stored');
}

/** A full reconciliation as the initiator (nostr-tools' Negentropy) over a raw client. */
export async function reconcile(
  c: RawClient,
  subId: string,
  filter: object,
  local: { created_at: number; id: string }[],
  frameSizeLimit = 60_000,
): Promise<{ have: string[]; need: string[]; rounds: number; error?: string }> {
  const storage = new nip77.NegentropyStorageVector();
  for (const e of local) storage.insert(e.created_at, e.id);
  storage.seal();
  const neg = new nip77.Negentropy(storage, frameSizeLimit);
  const have: string[] = [];
  const need: string[] = [];
  c.send(['NEG-OPEN', subId, filter, neg.initiate()]);
  for (let rounds = 1; rounds < 1000; rounds++) {
    const f = await c.next((f) => (f[0] === 'NEG-MSG' || f[0] === 'NEG-ERR') && f[1] === subId);
    if (f[0] === 'NEG-ERR') return { have, need, rounds, error: f[2] as string };
    const next = neg.reconcile(f[2] as string, (id) => have.push(id), (id) => need.push(id));
    if (next === null) {
      c.send(['NEG-CLOSE', subId]);
      return { have, need, rounds };
    }
    c.send(['NEG-MSG', subId, next]);
  }
  throw new Error('reconciliation did not finish');
}
