import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import type { Encryption } from '../types.ts';

/**
 * NIP-90 encrypted params: the spec says NIP-04, clients are moving to NIP-44 (nips#1407;
 * Amethyst decrypts both). We read either and answer in the scheme the request used.
 * NIP-04 ciphertext carries "?iv="; NIP-44 v2 is plain base64.
 */
export function schemeOf(ciphertext: string): Encryption {
  return ciphertext.includes('?iv=') ? 'nip04' : 'nip44';
}

export function decryptFrom(scheme: Encryption, sk: Uint8Array, peer: string, ciphertext: string): string {
  if (scheme === 'nip04') return nip04.decrypt(sk, peer, ciphertext);
  if (ciphertext.length > 200_000) throw new Error('encrypted content too large');
  return nip44.v2.decrypt(ciphertext, nip44.v2.utils.getConversationKey(sk, peer));
}

export function encryptTo(scheme: Encryption, sk: Uint8Array, peer: string, plaintext: string): string {
  if (scheme === 'nip04') return nip04.encrypt(sk, peer, plaintext);
  return nip44.v2.encrypt(plaintext, nip44.v2.utils.getConversationKey(sk, peer));
}
