/** BIP-340 input sizes for Nostr: every verifier answers false (never throws) on anything else. */
export function hasSchnorrLengths(sig: Uint8Array, msg: Uint8Array, pubkey: Uint8Array): boolean {
  return sig instanceof Uint8Array && msg instanceof Uint8Array && pubkey instanceof Uint8Array
    && sig.length === 64 && msg.length === 32 && pubkey.length === 32;
}
