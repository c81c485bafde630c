import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { hexToBytes } from '@noble/hashes/utils.js';
import { loadOrCreateKeyFile } from '../../relay/nostr/keyFile.ts';
import { publicKeyOf } from '../../relay/nostr/publicKey.ts';

const dir = mkdtempSync(join(tmpdir(), 'hamlet-keyfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The relay derives its own public keys with OpenSSL, and signs with nostr-tools: both must agree.
describe('the public key of a secret key', () => {
  it('is the BIP-340 x-only key nostr-tools derives, for the test vectors and random keys', () => {
    // BIP-340 test vectors 0 and 1 (secret key, public key)
    expect(publicKeyOf(hexToBytes('0000000000000000000000000000000000000000000000000000000000000003'))).toBe('f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9');
    expect(publicKeyOf(hexToBytes('b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef'))).toBe('dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659');
    for (let i = 0; i < 50; i++) {
      const sk = generateSecretKey();
      expect(publicKeyOf(sk)).toBe(getPublicKey(sk));
    }
  });

  it('is the one a key file gives with its secret, on creation and when read back', () => {
    const file = join(dir, 'role.key');
    const created = loadOrCreateKeyFile(file);
    expect(created.pubkey).toBe(getPublicKey(created.sk));
    expect(loadOrCreateKeyFile(file)).toEqual(created);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });
});
