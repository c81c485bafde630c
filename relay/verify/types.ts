/** A BIP-340 Schnorr verifier: 64-byte signature, 32-byte message (the event id), 32-byte x-only key. */
export interface SchnorrVerifier {
  readonly name: string;
  verify(sig: Uint8Array, msg: Uint8Array, pubkey: Uint8Array): boolean;
}

export type VerifierChoice = 'auto' | 'native' | 'tiny-secp256k1' | 'nostr-wasm' | 'noble';
