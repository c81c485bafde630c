import { nip19 } from 'nostr-tools';

/**
 * A pubkey as people write it: 64 hex characters, npub or nprofile (surrounding space ignored),
 * as the lowercase hex events carry (so a ban typed in uppercase still matches); undefined for
 * anything else.
 */
export function parsePubkey(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const t = input.trim();
  if (t.length === 64 && /^[0-9a-f]+$/i.test(t)) return t.toLowerCase();
  if (!t.startsWith('npub1') && !t.startsWith('nprofile1')) return undefined;
  try {
    const d = nip19.decode(t);
    if (d.type === 'npub') return d.data;
    if (d.type === 'nprofile') return d.data.pubkey;
  } catch {
    // not bech32: falls through
  }
  return undefined;
}

/** parsePubkey for configuration and CLI input, where a bad key is an error that names it. */
export function toHexPubkey(input: string): string {
  const pk = parsePubkey(input);
  if (pk === undefined) throw new Error(`not a pubkey (64 hex characters or npub): ${JSON.stringify(input)}`);
  return pk;
}

/** A secret key written as 64 hex characters or an nsec; undefined for anything else. */
export function parseSecretKey(input: string): Uint8Array | undefined {
  const t = input.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return Uint8Array.from(Buffer.from(t, 'hex'));
  if (!t.startsWith('nsec1')) return undefined;
  try {
    const d = nip19.decode(t);
    if (d.type === 'nsec') return d.data;
  } catch {
    // not bech32
  }
  return undefined;
}
