import { nip19 } from 'nostr-tools';

const HEX = /^[0-9a-f]{64}$/;

/** Accepts hex or npub (operators paste either); throws on anything else. */
export function toHexPubkey(s: string): string {
  const t = s.trim().toLowerCase();
  if (HEX.test(t)) return t;
  if (t.startsWith('npub1')) {
    const d = nip19.decode(t);
    if (d.type === 'npub') return d.data;
  }
  throw new Error(`not a pubkey (hex or npub): ${JSON.stringify(s)}`);
}
