import type { SchnorrVerifier } from '../types.ts';
import { hasSchnorrLengths } from './lengths.ts';

/** tiny-secp256k1: libsecp256k1 compiled to WASM, loaded synchronously from its package (works in workers). */
export async function createTinySecpVerifier(): Promise<SchnorrVerifier> {
  const secp = await import('tiny-secp256k1');
  return {
    name: 'tiny-secp256k1',
    verify(sig, msg, pubkey) {
      if (!hasSchnorrLengths(sig, msg, pubkey)) return false;
      // It throws on a key that is not on the curve; for us that is simply an invalid signature.
      try {
        return secp.verifySchnorr(msg, pubkey, sig);
      } catch {
        return false;
      }
    },
  };
}
