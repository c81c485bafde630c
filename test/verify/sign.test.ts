import { existsSync } from 'node:fs';
import { generateSecretKey, getEventHash, getPublicKey, verifyEvent } from 'nostr-tools';
import { describe, expect, it } from 'vitest';
import { signWith, wasmSigner, type SchnorrSigner } from '../../relay/nostr/sign.ts';
import { loadNativeAddon, NATIVE_ADDON_PATH } from '../../relay/verify/verifiers/native.ts';

const ways: [string, SchnorrSigner][] = [['tiny-secp256k1 (WASM, without the addon)', wasmSigner()]];
if (existsSync(NATIVE_ADDON_PATH)) ways.push(['libsecp256k1 (the native addon)', loadNativeAddon()]);

describe.each(ways)('signing the relay\'s own events with %s', (_, addon) => {
  const signEvent = signWith.bind(null, addon);

  it('signs events any client verifies: the id is NIP-01 hash, the signature BIP-340 under the key', () => {
    const sk = generateSecretKey();
    const templates = [
      { kind: 1, created_at: 1_700_000_000, tags: [], content: '' },
      { kind: 7000, created_at: 1_700_000_001, tags: [['status', 'processing'], ['e', 'a'.repeat(64), 'ws://127.0.0.1:1'], ['p', 'b'.repeat(64)]], content: '' },
      { kind: 6300, created_at: 1_700_000_002, tags: [['request', '{"x":"\\"quoted\\"\\n"}']], content: 'über "quotes" \\ back\nslash \u2028 emoji 🌱 \u0001' },
    ];
    for (const t of templates) {
      const e = signEvent(t, sk);
      expect(Object.keys(e).sort()).toEqual(['content', 'created_at', 'id', 'kind', 'pubkey', 'sig', 'tags']);
      expect(e.pubkey).toBe(getPublicKey(sk));
      expect(e.id).toBe(getEventHash(e));
      expect(verifyEvent({ ...e })).toBe(true);
      // fresh aux randomness each time: a second signature differs and verifies too
      const again = signEvent(t, sk);
      expect(again.id).toBe(e.id);
      expect(again.sig).not.toBe(e.sig);
      expect(verifyEvent({ ...again })).toBe(true);
      // a signature does not carry over to other content
      expect(verifyEvent({ ...e, content: e.content + '.', id: getEventHash({ ...e, content: e.content + '.' }) })).toBe(false);
    }
  });

  it('keeps keys apart (the public key is remembered per key, not once for all)', () => {
    const a = generateSecretKey();
    const b = generateSecretKey();
    const t = { kind: 1, created_at: 1, tags: [], content: 'x' };
    expect(signEvent(t, a).pubkey).toBe(getPublicKey(a));
    expect(signEvent(t, b).pubkey).toBe(getPublicKey(b));
  });

  it('refuses a secret key that is not one', () => {
    expect(() => signEvent({ kind: 1, created_at: 1, tags: [], content: '' }, new Uint8Array(32))).toThrow();
  });
});
