import type { SchnorrVerifier, VerifierChoice } from './types.ts';

type Named = Exclude<VerifierChoice, 'auto'>;

/** Fastest first, as measured here (single thread): native ≫ tiny-secp256k1 > nostr-wasm ≫ noble. */
export const AUTO_ORDER: readonly Named[] = ['native', 'tiny-secp256k1', 'nostr-wasm', 'noble'];

// Dynamic imports: a verifier that cannot load (no addon, no WASM) never breaks the others.
const factories: Record<Named, () => Promise<SchnorrVerifier>> = {
  native: async () => (await import('./verifiers/native.ts')).createNativeVerifier(),
  'tiny-secp256k1': async () => (await import('./verifiers/tinySecp.ts')).createTinySecpVerifier(),
  'nostr-wasm': async () => (await import('./verifiers/nostrWasm.ts')).createNostrWasmVerifier(),
  noble: async () => (await import('./verifiers/noble.ts')).createNobleVerifier(),
};

// BIP-340 test vector 1: a valid signature; flipping one message bit must make it invalid.
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const SELF_TEST = {
  pubkey: hex('dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659'),
  msg: hex('243f6a8885a308d313198a2e03707344a4093822299f31d0082efa98ec4e6c89'),
  sig: hex('6896bd60eeae296db48a229ff71dfe071bde413e6d43f917dc8dcf8c78de33418906d11ac976abccb20b091292bff4ea897efcb639ea871cfa95f6de339e4b0a'),
};

/** Refuse a verifier that loads but answers wrongly (a broken build must never accept forgeries). */
function selfTest(v: SchnorrVerifier): void {
  const bad = SELF_TEST.msg.slice();
  bad[0]! ^= 1;
  if (!v.verify(SELF_TEST.sig, SELF_TEST.msg, SELF_TEST.pubkey) || v.verify(SELF_TEST.sig, bad, SELF_TEST.pubkey)) {
    throw new Error(`${v.name}: failed the BIP-340 self-test`);
  }
}

export async function createVerifier(name: Named): Promise<SchnorrVerifier> {
  const v = await factories[name]();
  selfTest(v);
  return v;
}

export interface VerifierSelection {
  verifier: SchnorrVerifier;
  /** Verifiers tried before the chosen one, with why each was unavailable (for the log line). */
  skipped: Array<{ name: Named; reason: string }>;
}

/** Like loadVerifier, but also says which faster verifiers were unavailable and why. */
export async function selectVerifier(choice: VerifierChoice): Promise<VerifierSelection> {
  if (choice !== 'auto') return { verifier: await createVerifier(choice), skipped: [] };
  const skipped: VerifierSelection['skipped'] = [];
  for (const name of AUTO_ORDER) {
    try {
      return { verifier: await createVerifier(name), skipped };
    } catch (err) {
      skipped.push({ name, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error('no Schnorr verifier available: ' + skipped.map((s) => `${s.name}: ${s.reason}`).join('; '));
}

/**
 * The verifier for `choice`: a named one, or throw if it is unavailable; 'auto' takes the first
 * that loads of AUTO_ORDER. Safe to call inside worker threads (each loads its own instance).
 */
export async function loadVerifier(choice: VerifierChoice): Promise<SchnorrVerifier> {
  return (await selectVerifier(choice)).verifier;
}
