import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SchnorrVerifier } from '../types.ts';
import { hasSchnorrLengths } from './lengths.ts';

/** Where relay/verify/native/build.mjs leaves the addon. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL('../native/build/Release/hamlet_secp256k1.node', import.meta.url));

export interface NativeAddon {
  /** False on any bad input; the addon re-checks types and lengths itself. */
  verify(sig: Uint8Array, msg: Uint8Array, pubkey: Uint8Array): boolean;
  /** BIP-340 signature, or null for an invalid secret key (the benchmarks pre-sign with it). */
  sign(msg: Uint8Array, seckey: Uint8Array, aux: Uint8Array): Uint8Array | null;
  /** The parsed-pubkey cache is on by default; off only to measure what it is worth. */
  setPubkeyCache(on: boolean): void;
  /** "libsecp256k1 <version>" it was built against, for the log line. */
  readonly library: string;
}

/** The addon itself, per thread (Node-API instance data), or a clear error when it was not built. */
export function loadNativeAddon(): NativeAddon {
  if (!existsSync(NATIVE_ADDON_PATH)) {
    throw new Error(`native addon not built (${NATIVE_ADDON_PATH} missing; run: node relay/verify/native/build.mjs)`);
  }
  return createRequire(import.meta.url)(NATIVE_ADDON_PATH) as NativeAddon;
}

/** N-API addon over the system libsecp256k1 (built at install time; absent when that failed). */
export async function createNativeVerifier(): Promise<SchnorrVerifier> {
  const addon = loadNativeAddon();
  const verify = addon.verify;
  return {
    name: 'native',
    verify(sig, msg, pubkey) {
      return hasSchnorrLengths(sig, msg, pubkey) && verify(sig, msg, pubkey);
    },
  };
}
