import { randomBytes } from 'node:crypto';
import { closeAll, ingest, openClients } from '../loadgen.ts';
import { SignPool } from '../util/signPool.ts';
import type { CorpusSpec } from '../util/corpus.ts';
import { percentile } from '../util/stats.ts';
import { BENCH_NO_POLICIES, startTarget } from '../util/target.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/**
 * Ingest: 1, 10 and 100 connections with up to 50 events in flight each, durable OK. Each run
 * gets a fresh Hamlet (fresh database): policies off with the automatic verifier ("bare"), the
 * same with the WASM fallback verifier ("wasm"), and the default policy pipeline ("policies");
 * against --url, one series on the given relay.
 */
export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const perRun = opts.quick ? 5_000 : 60_000;
  const timeLimitMs = opts.quick ? 5_000 : 20_000;
  const series: Array<{ variant: string; connections: number[]; overrides: Record<string, Record<string, unknown>> }> = opts.url
    ? [{ variant: 'url', connections: [1, 10, 100], overrides: {} }]
    : [
        { variant: 'bare', connections: [1, 10, 100], overrides: { policies: BENCH_NO_POLICIES } },
        // The WASM fallback (what a machine without libsecp256k1-dev gets), policies off.
        { variant: 'wasm', connections: opts.quick ? [10] : [1, 10, 100], overrides: { policies: BENCH_NO_POLICIES, verify: { verifier: 'tiny-secp256k1' } } },
        // The default pipeline rate-limits per IP; every client here is 127.0.0.1, so rejections are expected.
        { variant: 'policies', connections: opts.quick ? [10] : [1, 10, 100], overrides: {} },
      ];
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const pool = new SignPool();
  try {
    // With a fresh database per run the same signed events can be replayed; an outside relay
    // keeps what it got, so every run there needs events it has never seen.
    let shared: string[] | undefined;
    for (const s of series) {
      for (const connections of s.connections) {
        const spec: CorpusSpec = { shape: 'feed', label: `ingest-${opts.url ? randomBytes(6).toString('hex') : 'replay'}`, authors: 1000, baseTime: Math.floor(Date.now() / 1000) - 120 };
        opts.log(`ingest: signing ${perRun} events`);
        const events = opts.url || !shared ? await pool.sign(spec, 0, perRun) : shared;
        if (!opts.url) shared = events;
        const target = await startTarget(opts, { overrides: s.overrides });
        try {
          const clients = await openClients(target.url, connections);
          opts.log(`ingest: ${s.variant}, ${connections} connection(s) × 50 in flight, ${perRun} events`);
          const r = await ingest(clients, events, { inFlight: 50, timeLimitMs });
          closeAll(clients);
          const k = `ingest.${s.variant}.c${connections}`;
          metrics[`${k}.accepted_per_s`] = r.acceptedPerSec; units[`${k}.accepted_per_s`] = 'events/s';
          metrics[`${k}.ok_p50_ms`] = percentile(r.latencyMs, 50); units[`${k}.ok_p50_ms`] = 'ms';
          metrics[`${k}.ok_p99_ms`] = percentile(r.latencyMs, 99); units[`${k}.ok_p99_ms`] = 'ms';
          metrics[`${k}.accepted`] = r.accepted;
          metrics[`${k}.rejected`] = r.rejected;
          if (r.unanswered) metrics[`${k}.unanswered`] = r.unanswered;
          if (r.duplicates) metrics[`${k}.duplicates`] = r.duplicates;
          if (r.rejected) notes.push(`${k}: rejections ${JSON.stringify(r.rejections)}`);
          if (r.sent < perRun) notes.push(`${k}: time limit reached after ${r.sent} of ${perRun} events`);
        } finally {
          await target.close();
        }
      }
    }
  } finally {
    await pool.close();
  }
  return { metrics, units, notes };
}
