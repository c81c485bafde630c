import { createHash, randomBytes } from 'node:crypto';
import * as tiny from 'tiny-secp256k1';
import { loadNativeAddon } from '../../../relay/verify/verifiers/native.ts';

/**
 * Pre-signing for the load generator. nostr-tools' finalizeEvent (pure JS, ~300 events/s here)
 * would take minutes for a benchmark's events, so we sign the same bytes with libsecp256k1:
 * the native addon when built (~18k/s), else tiny-secp256k1 (~4.5k/s). The serialisation is
 * NIP-01's, and test/bench/util/harness.test.ts checks the result with nostr-tools' verifyEvent.
 */
export interface Signer {
  readonly name: string;
  sign(msg32: Uint8Array, seckey32: Uint8Array): Uint8Array;
}

export function loadSigner(): Signer {
  try {
    const addon = loadNativeAddon();
    return {
      name: 'native',
      sign(msg, sk) {
        const sig = addon.sign(msg, sk, randomBytes(32));
        if (!sig) throw new Error('invalid secret key');
        return sig;
      },
    };
  } catch {
    return { name: 'tiny-secp256k1', sign: (msg, sk) => tiny.signSchnorr(msg, sk, randomBytes(32)) };
  }
}

export interface BenchKey { seckey: Uint8Array; pubkey: string }

/** A reproducible key: the same (label, index) always gives the same author. */
export function benchKey(label: string, index: number): BenchKey {
  const seckey = Uint8Array.from(createHash('sha256').update(`hamlet-bench:${label}:${index}`).digest());
  const pub = tiny.xOnlyPointFromScalar(seckey);
  return { seckey, pubkey: Buffer.from(pub).toString('hex') };
}

export interface Template { kind: number; created_at: number; tags: string[][]; content: string }

/**
 * Signs a template and returns the event's JSON with `id` first, so the load generator can read
 * the id back as json.slice(7, 71) without parsing.
 */
export function signToJson(signer: Signer, key: BenchKey, t: Template): string {
  const tags = JSON.stringify(t.tags);
  const content = JSON.stringify(t.content);
  const serial = `[0,"${key.pubkey}",${t.created_at},${t.kind},${tags},${content}]`;
  const id = createHash('sha256').update(serial).digest();
  const sig = signer.sign(id, key.seckey);
  return `{"id":"${id.toString('hex')}","pubkey":"${key.pubkey}","created_at":${t.created_at},"kind":${t.kind},"tags":${tags},"content":${content},"sig":"${Buffer.from(sig).toString('hex')}"}`;
}

/** The id of a JSON string made by signToJson. */
export const idOf = (eventJson: string): string => eventJson.slice(7, 71);
