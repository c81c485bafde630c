import type { SchnorrVerifier } from '../types.ts';
import { hasSchnorrLengths } from './lengths.ts';

/** @noble/curves: pure JS, always available, the slowest; the last resort. */
export async function createNobleVerifier(): Promise<SchnorrVerifier> {
  const { schnorr } = await import('@noble/curves/secp256k1.js');
  return {
    name: 'noble',
    verify(sig, msg, pubkey) {
      if (!hasSchnorrLengths(sig, msg, pubkey)) return false;
      try {
        return schnorr.verify(sig, msg, pubkey);
      } catch {
        return false;
      }
    },
  };
}
