import { readFile } from 'node:fs/promises';
import type { SchnorrVerifier } from '../types.ts';
import { hasSchnorrLengths } from './lengths.ts';

// The project's lib (ES2023, no DOM) has no WebAssembly typings; this is the little we use.
interface WasmMemory { readonly buffer: ArrayBuffer }
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * nostr-wasm's public API only verifies whole events (it re-hashes the JSON itself), so we
 * instantiate the package's own libsecp256k1 WASM binary and call schnorrsig_verify directly.
 * The import/export names below are those of nostr-wasm 0.1.0's generated glue (dist/nostr.js);
 * if a later build renames them, the checks below throw and the next verifier is used.
 */
export async function createNostrWasmVerifier(): Promise<SchnorrVerifier> {
  const wasmUrl = new URL('../public/out/secp256k1.wasm', import.meta.resolve('nostr-wasm'));
  const bytes = await readFile(wasmUrl);
  let heap = new Uint8Array(0);
  const fail = (what: string) => () => { throw new Error(`nostr-wasm: ${what}`); };
  const imports = {
    a: {
      a: fail('abort'),
      b: () => 0, // fd_write: libsecp256k1 only writes on illegal arguments, which we never pass
      c: () => 70, // fd_seek
      d: fail('out of memory'),
      e: () => 52, // fd_close
      f: (dst: number, src: number, n: number) => heap.copyWithin(dst, src, src + n),
    },
  };
  const { instance } = await WA.instantiate(bytes, imports);
  const x = instance.exports;
  const memory = x.g as WasmMemory;
  const fns = ['h', 'i', 'o', 'p', 'u'].map((k) => x[k]);
  if (!(memory instanceof WA.Memory) || fns.some((f) => typeof f !== 'function')) {
    throw new Error('nostr-wasm: unexpected WASM exports (package version changed?)');
  }
  const [init, malloc, contextCreate, xonlyParse, schnorrVerify] = fns as Array<(...a: number[]) => number>;
  heap = new Uint8Array(memory.buffer);
  init!();
  const ctx = contextCreate!(257); // SECP256K1_CONTEXT_VERIFY
  const pSig = malloc!(64), pMsg = malloc!(32), pKey = malloc!(32), pXonly = malloc!(64);
  // Memory never grows after these allocations (verify does not allocate), so the view stays valid.
  heap = new Uint8Array(memory.buffer);
  return {
    name: 'nostr-wasm',
    verify(sig, msg, pubkey) {
      if (!hasSchnorrLengths(sig, msg, pubkey)) return false;
      if (heap.buffer !== memory.buffer) heap = new Uint8Array(memory.buffer);
      heap.set(sig, pSig);
      heap.set(msg, pMsg);
      heap.set(pubkey, pKey);
      if (xonlyParse!(ctx, pXonly, pKey) !== 1) return false;
      return schnorrVerify!(ctx, pSig, pMsg, 32, pXonly) === 1;
    },
  };
}
