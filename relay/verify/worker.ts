import { hash } from 'node:crypto';
import { loadVerifier } from './select.ts';
import type { SchnorrVerifier, VerifierChoice } from './types.ts';
import { BAD_ID, BAD_SIG, readBatch, VALID } from './batch.ts';

export { BAD_ID, BAD_SIG, VALID } from './batch.ts';

export interface VerifyTask {
  choice: VerifierChoice;
  /** Items packed by BatchWriter (batch.ts), transferred, not copied. */
  batch: ArrayBuffer;
  count: number;
}

let verifier: Promise<SchnorrVerifier> | undefined;

/** NIP-01: the id is the SHA-256 of the hash input; then a BIP-340 signature over the id. */
export function checkItem(v: SchnorrVerifier, hashInput: Uint8Array, id: Uint8Array, pubkey: Uint8Array, sig: Uint8Array): number {
  // node:crypto's one-shot hash is about 4× faster than a JS SHA-256 on event-sized input.
  const digest = hash('sha256', hashInput, 'buffer') as unknown as Buffer;
  if (!digest.equals(id)) return BAD_ID;
  return v.verify(sig, digest, pubkey) ? VALID : BAD_SIG;
}

/** Piscina task: a batch of events, hashed and verified in this worker thread; one code per item. */
export default async function verifyBatch(task: VerifyTask): Promise<Uint8Array> {
  const v = await (verifier ??= loadVerifier(task.choice));
  const out = new Uint8Array(task.count);
  let i = 0;
  readBatch(task.batch, (hashInput, id, pubkey, sig) => {
    out[i++] = checkItem(v, hashInput, id, pubkey, sig);
  });
  return out;
}
