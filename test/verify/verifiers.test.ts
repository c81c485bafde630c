import { describe, expect, it } from 'vitest';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { AUTO_ORDER, createVerifier, loadVerifier, selectVerifier } from '../../relay/verify/select.ts';
import type { SchnorrVerifier } from '../../relay/verify/types.ts';
import { startTsWorker } from '../../relay/util/tsWorker.ts';
import { loadNativeAddon } from '../../relay/verify/verifiers/native.ts';
import { BIP340_VECTORS } from './bip340Vectors.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

interface Case { label: string; sig: Uint8Array; msg: Uint8Array; pubkey: Uint8Array; valid: boolean }

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index]! ^= 0x01;
  return copy;
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  for (let i = 0; i < 8; i++) {
    const ev = finalizeEvent({ kind: 1, created_at: 1_700_000_000 + i, tags: [['t', 'x' + i]], content: `hello ${i} ✓` }, generateSecretKey());
    const sig = hex(ev.sig), msg = hex(ev.id), pubkey = hex(ev.pubkey);
    cases.push({ label: `nostr event ${i}`, sig, msg, pubkey, valid: true });
    cases.push({ label: `event ${i} sig r tampered`, sig: flip(sig, 5), msg, pubkey, valid: false });
    cases.push({ label: `event ${i} sig s tampered`, sig: flip(sig, 40), msg, pubkey, valid: false });
    cases.push({ label: `event ${i} msg tampered`, sig, msg: flip(msg, 31), pubkey, valid: false });
    cases.push({ label: `event ${i} key tampered`, sig, msg, pubkey: flip(pubkey, 0), valid: false });
    // Same first bytes as the valid key: lands in the same slot of the native pubkey cache.
    cases.push({ label: `event ${i} key tampered at the end`, sig, msg, pubkey: flip(pubkey, 31), valid: false });
    cases.push({ label: `event ${i} valid again after the tampered key`, sig, msg, pubkey, valid: true });
    if (i === 0) {
      cases.push({ label: 'sig 63 bytes', sig: sig.subarray(0, 63), msg, pubkey, valid: false });
      cases.push({ label: 'sig 65 bytes', sig: Uint8Array.from([...sig, 0]), msg, pubkey, valid: false });
      cases.push({ label: 'msg 31 bytes', sig, msg: msg.subarray(0, 31), pubkey, valid: false });
      cases.push({ label: 'msg 33 bytes', sig, msg: Uint8Array.from([...msg, 0]), pubkey, valid: false });
      cases.push({ label: 'key 33 bytes (compressed)', sig, msg, pubkey: Uint8Array.from([2, ...pubkey]), valid: false });
      cases.push({ label: 'key 31 bytes', sig, msg, pubkey: pubkey.subarray(1), valid: false });
      cases.push({ label: 'all empty', sig: new Uint8Array(0), msg: new Uint8Array(0), pubkey: new Uint8Array(0), valid: false });
      cases.push({ label: 'zero sig', sig: new Uint8Array(64), msg, pubkey, valid: false });
      cases.push({ label: 'zero key', sig, msg, pubkey: new Uint8Array(32), valid: false });
      // A subarray at an odd offset of a bigger buffer: addons must honour byteOffset.
      const big = new Uint8Array(1 + 64 + 32 + 32);
      big.set(sig, 1); big.set(msg, 65); big.set(pubkey, 97);
      cases.push({ label: 'views into one buffer', sig: big.subarray(1, 65), msg: big.subarray(65, 97), pubkey: big.subarray(97), valid: true });
    }
  }
  for (const v of BIP340_VECTORS) {
    cases.push({ label: `BIP-340 #${v.index} ${v.comment}`, sig: hex(v.sig), msg: hex(v.msg), pubkey: hex(v.pubkey), valid: v.valid });
  }
  return cases;
}

const CASES = buildCases();

// Load every verifier once; those that cannot load here are reported and skipped visibly.
const loaded = new Map<string, SchnorrVerifier>();
const unavailable = new Map<string, string>();
for (const name of AUTO_ORDER) {
  try {
    loaded.set(name, await createVerifier(name));
  } catch (err) {
    unavailable.set(name, err instanceof Error ? err.message : String(err));
  }
}

describe('Schnorr verifiers', () => {
  for (const name of AUTO_ORDER) {
    const v = loaded.get(name);
    const title = v ? name : `${name} (skipped: ${unavailable.get(name)})`;
    it.skipIf(!v)(`${title} answers every vector as expected`, () => {
      const wrong = CASES.filter((c) => v!.verify(c.sig, c.msg, c.pubkey) !== c.valid).map((c) => c.label);
      expect(wrong).toEqual([]);
    });
  }

  it('the pure-JS and WASM verifiers are always available', () => {
    expect([...loaded.keys()]).toEqual(expect.arrayContaining(['tiny-secp256k1', 'nostr-wasm', 'noble']));
  });

  it('all available verifiers agree with each other on every case', () => {
    for (const c of CASES) {
      const answers = [...loaded.values()].map((v) => v.verify(c.sig, c.msg, c.pubkey));
      expect(new Set(answers).size, c.label).toBe(1);
    }
  });

  it.skipIf(!loaded.has('native'))('native: same answers with the pubkey cache off; its signatures verify elsewhere', () => {
    const addon = loadNativeAddon();
    addon.setPubkeyCache(false);
    try {
      const wrong = CASES.filter((c) => loaded.get('native')!.verify(c.sig, c.msg, c.pubkey) !== c.valid).map((c) => c.label);
      expect(wrong).toEqual([]);
    } finally {
      addon.setPubkeyCache(true);
    }
    const sk = generateSecretKey();
    const ev = finalizeEvent({ kind: 1, created_at: 1, tags: [], content: '' }, sk);
    const sig = addon.sign(hex(ev.id), sk, new Uint8Array(32));
    expect(sig).toBeInstanceOf(Uint8Array);
    for (const v of loaded.values()) expect(v.verify(sig!, hex(ev.id), hex(ev.pubkey))).toBe(true);
    expect(addon.sign(hex(ev.id), new Uint8Array(32), new Uint8Array(32))).toBeNull();
    expect(() => addon.sign(hex(ev.id), sk.subarray(1), new Uint8Array(32))).toThrow(TypeError);
  });

  it('all available verifiers agree on randomly corrupted inputs', () => {
    const valid = CASES.filter((c) => c.valid && c.msg.length === 32);
    let seed = 7;
    const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
    for (let i = 0; i < 300; i++) {
      const c = valid[rand(valid.length)]!;
      const parts = [c.sig.slice(), c.msg.slice(), c.pubkey.slice()];
      const part = parts[rand(3)]!;
      part[rand(part.length)]! ^= 1 << rand(8);
      const answers = [...loaded.values()].map((v) => v.verify(parts[0]!, parts[1]!, parts[2]!));
      expect(answers.every((a) => a === false), `case ${i}`).toBe(true);
    }
  });

  it('never throws on non-byte input', () => {
    for (const v of loaded.values()) {
      expect(v.verify('x' as unknown as Uint8Array, new Uint8Array(32), new Uint8Array(32))).toBe(false);
    }
  });

  it("'auto' picks the first available in AUTO_ORDER and reports what it skipped", async () => {
    const { verifier, skipped } = await selectVerifier('auto');
    const expected = AUTO_ORDER.find((n) => loaded.has(n));
    expect(verifier.name).toBe(expected);
    expect(skipped.map((s) => s.name)).toEqual(AUTO_ORDER.slice(0, AUTO_ORDER.indexOf(expected!)));
  });

  it('a named verifier that is unavailable throws instead of falling back', async () => {
    for (const [name] of unavailable) {
      await expect(loadVerifier(name as 'native')).rejects.toThrow();
    }
  });

  it("loads inside a worker thread ('auto' and each WASM verifier)", async () => {
    const v = BIP340_VECTORS[1]!;
    for (const choice of ['auto', 'tiny-secp256k1', 'nostr-wasm', 'noble'] as const) {
      const worker = startTsWorker(new URL('./workerProbe.ts', import.meta.url), { workerData: { choice, vector: [v.sig, v.msg, v.pubkey] } });
      const reply = await new Promise<{ name: string; valid: boolean }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      expect(reply.valid).toBe(true);
      if (choice !== 'auto') expect(reply.name).toBe(choice);
      else expect(reply.name).toBe(AUTO_ORDER.find((n) => loaded.has(n)));
    }
  }, 30_000);
});
