import { createECDH } from 'node:crypto';

/**
 * The x-only public key (BIP-340, hex) of a secret key, by OpenSSL's secp256k1. The relay derives
 * its own keys at start (groups, moderation, the commons): nostr-tools' getPublicKey first builds
 * its precomputed point table, ~10 MB of BigInt garbage that grew the young generation of every start.
 */
export function publicKeyOf(sk: Uint8Array): string {
  const ecdh = createECDH('secp256k1');
  ecdh.setPrivateKey(sk);
  return ecdh.getPublicKey('hex', 'compressed').slice(2);
}
