import { availableParallelism } from 'node:os';
import { AUTO_ORDER, createVerifier } from '../../../relay/verify/select.ts';
import { startTsWorker } from '../../../relay/util/tsWorker.ts';
import type { SchnorrVerifier } from '../../../relay/verify/types.ts';
import { loadNativeAddon } from '../../../relay/verify/verifiers/native.ts';
import { authorKeys } from '../util/corpus.ts';
import { loadSigner, signToJson } from '../util/sign.ts';
import { median } from '../util/stats.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/**
 * The verifier ceiling: single-thread BIP-340 verifications/s of every verifier that loads here,
 * measured in interleaved rounds (the machine is shared and noisy; ratios within a round hold
 * better than absolute figures), median over rounds. Also what the native pubkey cache is worth.
 */
export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const rounds = opts.quick ? 3 : 7;
  const roundMs = opts.quick ? 250 : 1000;
  const samples = await signedSamples(400, 100);
  const verifiers: SchnorrVerifier[] = [];
  const notes: string[] = [];
  for (const name of AUTO_ORDER) {
    try {
      verifiers.push(await createVerifier(name));
    } catch (err) {
      notes.push(`${name}: unavailable (${(err as Error).message})`);
    }
  }
  let addon: ReturnType<typeof loadNativeAddon> | undefined;
  try { addon = verifiers.some((v) => v.name === 'native') ? loadNativeAddon() : undefined; } catch { /* not built */ }

  const rates = new Map<string, number[]>();
  const record = (name: string, rate: number) => { const a = rates.get(name) ?? []; a.push(rate); rates.set(name, a); };
  for (let r = 0; r < rounds; r++) {
    for (const v of verifiers) {
      record(v.name, timeVerifier(v, samples, roundMs));
      if (v.name === 'native' && addon) {
        addon.setPubkeyCache(false);
        record('native-nocache', timeVerifier(v, samples, roundMs));
        addon.setPubkeyCache(true);
      }
    }
    opts.log(`verifiers: round ${r + 1}/${rounds}`);
  }
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  for (const [name, list] of rates) {
    metrics[`verify.${name}.per_s`] = median(list);
    units[`verify.${name}.per_s`] = 'verif/s/core';
  }
  // All cores at once (one worker thread per core), for 'auto' and the WASM fallback: the most
  // a relay that spreads verification over every core could verify, before any other work.
  const cores = availableParallelism();
  for (const v of verifiers.filter((x) => x.name === verifiers[0]?.name || x.name === 'tiny-secp256k1')) {
    const list: number[] = [];
    for (let r = 0; r < Math.max(1, rounds - 2); r++) list.push(await timeOnAllCores(v.name, samples, roundMs, cores));
    metrics[`verify.${v.name}.all_cores_per_s`] = median(list);
    units[`verify.${v.name}.all_cores_per_s`] = `verif/s (${cores} threads)`;
  }
  const best = verifiers[0];
  if (best) {
    metrics['verify.ceiling.per_s'] = metrics[`verify.${best.name}.per_s`]!;
    units['verify.ceiling.per_s'] = 'verif/s/core';
    notes.push(`ceiling = ${best.name} ('auto' choice), single thread`);
  }
  return { metrics, units, notes };
}

type Sample = [Uint8Array, Uint8Array, Uint8Array];

/** `count` real events by `authors` authors (relays see authors repeat), as verifier inputs. */
async function signedSamples(count: number, authors: number): Promise<Sample[]> {
  const signer = loadSigner();
  const keys = authorKeys({ shape: 'feed', label: 'verifiers', authors, baseTime: 1_700_000_000 });
  const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
  return Array.from({ length: count }, (_, i) => {
    const ev = JSON.parse(signToJson(signer, keys[i % authors]!, { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `sample ${i}` })) as { id: string; sig: string; pubkey: string };
    return [hex(ev.sig), hex(ev.id), hex(ev.pubkey)];
  });
}

/** Aggregate verifications/s of `threads` worker threads started together. */
async function timeOnAllCores(name: string, samples: Sample[], ms: number, threads: number): Promise<number> {
  const workers = Array.from({ length: threads }, () => startTsWorker(new URL('../util/verifyWorker.ts', import.meta.url), { workerData: { name, samples, ms } }));
  try {
    await Promise.all(workers.map((w) => new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); })));
    const results = await Promise.all(workers.map((w) => new Promise<{ n: number; elapsed: number }>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.postMessage('go');
    })));
    return results.reduce((sum, r) => sum + (r.n / r.elapsed) * 1000, 0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Verifications per second over about `ms` milliseconds (checked in batches of 50). */
function timeVerifier(v: SchnorrVerifier, samples: Sample[], ms: number): number {
  const t0 = performance.now();
  let n = 0, elapsed = 0;
  do {
    for (let k = 0; k < 50; k++, n++) {
      const s = samples[n % samples.length]!;
      if (!v.verify(s[0], s[1], s[2])) throw new Error(`${v.name} rejected a valid signature`);
    }
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return (n / elapsed) * 1000;
}
