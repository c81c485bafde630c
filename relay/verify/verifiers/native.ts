import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SchnorrVerifier } from '../types.ts';
import { hasSchnorrLengths } from './lengths.ts';

/** Where relay/verify/native/build.mjs leaves the addon. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL('../native/build/Release/hamlet_secp256k1.node', import.meta.url));

interface NativeAddon {
  /** 1 valid, 0 invalid; the addon re-checks lengths itself. */
  verify(sig: Uint8Array, msg: Uint8Array, pubkey: Uint8Array): boolean;
  /** libsecp256k1 version string the addon was built against, for the log line. */
  readonly library: string;
}

/** N-API addon over the system libsecp256k1 (built at install time; absent when that failed). */
export async function createNativeVerifier(): Promise<SchnorrVerifier> {
  if (!existsSync(NATIVE_ADDON_PATH)) {
    throw new Error(`native addon not built (${NATIVE_ADDON_PATH} missing; run: node relay/verify/native/build.mjs)`);
  }
  const addon = createRequire(import.meta.url)(NATIVE_ADDON_PATH) as NativeAddon;
  const verify = addon.verify;
  return {
    name: 'native',
    verify(sig, msg, pubkey) {
      return hasSchnorrLengths(sig, msg, pubkey) && verify(sig, msg, pubkey);
    },
  };
}
