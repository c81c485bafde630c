import { createHash, randomBytes } from 'node:crypto';
import * as tiny from 'tiny-secp256k1';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { LabelerKey } from './key.ts';

/**
 * Signs a NIP-01 event with libsecp256k1 compiled to wasm (tiny-secp256k1): the labeler signs
 * several events per post, and nostr-tools' pure-JS signer (~300/s) would be most of its cost.
 * The id is sha256 of NIP-01's serialisation; the test checks the result with nostr-tools.
 */
export function signEvent(key: LabelerKey, t: Pick<NostrEvent, 'kind' | 'content' | 'tags' | 'created_at'>): NostrEvent {
  const serial = JSON.stringify([0, key.pubkey, t.created_at, t.kind, t.tags, t.content]);
  const id = createHash('sha256').update(serial).digest();
  const sig = tiny.signSchnorr(id, key.sk, randomBytes(32));
  return { id: id.toString('hex'), pubkey: key.pubkey, created_at: t.created_at, kind: t.kind, tags: t.tags, content: t.content, sig: Buffer.from(sig).toString('hex') };
}
