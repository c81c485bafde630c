import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadNativeAddon } from '../verify/verifiers/native.ts';
import { serialise } from './canonical.ts';
import { publicKeyOf } from './publicKey.ts';
import type { NostrEvent } from './types.ts';

export interface EventTemplate {
  kind: number;
  created_at: number;
  tags: string[][];
  content: string;
}

/** BIP-340 signing as the native addon and tiny-secp256k1 both offer it: null for an invalid secret key. */
export interface SchnorrSigner {
  sign(msg: Uint8Array, sk: Uint8Array, aux: Uint8Array): Uint8Array | null;
}

/**
 * libsecp256k1 compiled to WASM (tiny-secp256k1, ~0.45 ms a signature): always installed, and
 * loaded only where the native addon was not built.
 */
export function wasmSigner(): SchnorrSigner {
  const tiny = createRequire(import.meta.url)('tiny-secp256k1') as typeof import('tiny-secp256k1');
  return {
    sign(msg, sk, aux) {
      try {
        return tiny.signSchnorr(msg, sk, aux);
      } catch {
        return null;
      }
    },
  };
}

/** The native addon when it was built (the README's install), else the WASM build: chosen once. */
let chosen: SchnorrSigner | undefined;
function signer(): SchnorrSigner {
  if (!chosen) {
    try {
      chosen = loadNativeAddon();
    } catch {
      chosen = wasmSigner();
    }
  }
  return chosen;
}

/** A key's public half, derived once per key object. */
const publicKeys = new WeakMap<Uint8Array, string>();
function publicKeyOnce(sk: Uint8Array): string {
  let pk = publicKeys.get(sk);
  if (pk === undefined) publicKeys.set(sk, (pk = publicKeyOf(sk)));
  return pk;
}

/**
 * The relay's own events (DVM results and feedback, labels, moderation decisions, group state,
 * manifests), signed as NIP-01 says with libsecp256k1: through the native addon when it is built
 * (0.08 ms a signature), else its WASM build (~0.45 ms); nostr-tools' JavaScript signer took 4-6 ms,
 * and a DVM answer carries three. A plain object comes back, as it travels on the wire.
 */
export function signEvent(t: EventTemplate, sk: Uint8Array): NostrEvent {
  return signWith(signer(), t, sk);
}

/** signEvent with a given signer (both are tested). */
export function signWith(by: SchnorrSigner, t: EventTemplate, sk: Uint8Array): NostrEvent {
  const unsigned = { id: '', pubkey: publicKeyOnce(sk), created_at: t.created_at, kind: t.kind, tags: t.tags, content: t.content, sig: '' };
  const digest = createHash('sha256').update(serialise(unsigned).hashInput).digest();
  const sig = by.sign(digest, sk, randomBytes(32));
  if (!sig) throw new Error('cannot sign: not a valid secret key');
  return { ...unsigned, id: digest.toString('hex'), sig: Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength).toString('hex') };
}
