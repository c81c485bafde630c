import { randomBytes } from 'node:crypto';
import { closeAll, ingest, openClients, type IngestResult } from '../loadgen.ts';
import { SignPool } from '../util/signPool.ts';
import type { CorpusSpec } from '../util/corpus.ts';
import { median, percentile } from '../util/stats.ts';
import { ownCpuMs, processCpuMs } from '../util/cpuTime.ts';
import { BENCH_NO_POLICIES, startTarget } from '../util/target.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/**
 * Ingest: 1, 10 and 100 connections with up to 50 events in flight each, durable OK, after a
 * warm-up of other events on the same connections. Each run gets a fresh Hamlet (fresh
 * database): policies off with the automatic verifier ("bare"), the same with the WASM fallback
 * verifier ("wasm"), and the default policy pipeline ("policies"); against --url, one series on
 * the given relay; beside strfry (--strfry), "bare" and "policies" here and one series there.
 */
// Signed once and kept across calls: with --strfry both relays get the same events, each into a fresh database.
let shared: string[] | undefined;
let warm: string[] | undefined;

export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const perRun = opts.quick ? 5_000 : 60_000;
  const timeLimitMs = opts.quick ? 5_000 : 20_000;
  // Medians of several runs in the full version (fresh relay each); one run with --quick.
  const reps = opts.reps ?? (opts.quick ? 1 : 3);
  const series: Array<{ variant: string; connections: number[]; overrides: Record<string, Record<string, unknown>> }> = opts.url
    ? [{ variant: 'url', connections: [1, 10, 100], overrides: {} }]
    : opts.side === 'strfry'
    ? [{ variant: 'strfry', connections: [1, 10, 100], overrides: {} }]
    : opts.side === 'hamlet'
    ? [
        { variant: 'bare', connections: [1, 10, 100], overrides: { policies: BENCH_NO_POLICIES } },
        // The default pipeline, the load generator's address exempt from the rate limits (relayProcess.ts).
        { variant: 'policies', connections: [1, 10, 100], overrides: {} },
      ]
    : [
        { variant: 'bare', connections: [1, 10, 100], overrides: { policies: BENCH_NO_POLICIES } },
        // The WASM fallback (what a machine without libsecp256k1-dev gets), policies off.
        { variant: 'wasm', connections: opts.quick ? [10] : [1, 10, 100], overrides: { policies: BENCH_NO_POLICIES, verify: { verifier: 'tiny-secp256k1' } } },
        // The default pipeline, the load generator's address exempt from the rate limits (relayProcess.ts).
        { variant: 'policies', connections: opts.quick ? [10] : [1, 10, 100], overrides: {} },
      ];
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const pool = new SignPool();
  try {
    // With a fresh database per run the same signed events can be replayed; an outside relay
    // keeps what it got, so every run there needs events it has never seen.
    // Warm-up before every timed run (JIT, LMDB's first pages), never counted: other events, so
    // the timed ones are all new to the relay.
    const warmCount = opts.quick ? 1_000 : 5_000;
    for (const s of series) {
      for (const connections of s.connections) {
        const spec: CorpusSpec = { shape: 'feed', label: `ingest-${opts.url ? randomBytes(6).toString('hex') : 'replay'}`, authors: 1000, baseTime: Math.floor(Date.now() / 1000) - 120 };
        if (opts.url || !shared) opts.log(`ingest: signing ${perRun} events`);
        const events = opts.url || !shared ? await pool.sign(spec, 0, perRun) : shared;
        if (!opts.url) shared = events;
        if (opts.url || !warm) warm = await pool.sign({ ...spec, label: `${spec.label}-warm` }, 0, warmCount);
        const k = `ingest.${s.variant}.c${connections}`;
        const runs: IngestResult[] = [];
        for (let rep = 0; rep < reps; rep++) {
          const target = await startTarget(opts, { overrides: s.overrides });
          try {
            const clients = await openClients(target.url, connections);
            await ingest(clients, warm, { inFlight: 50, timeLimitMs });
            opts.log(`ingest: ${s.variant}, ${connections} connection(s) × 50 in flight, ${perRun} events${reps > 1 ? `, run ${rep + 1}/${reps}` : ''}`);
            const relayCpu0 = processCpuMs(target.pid), loadCpu0 = ownCpuMs();
            const r = await ingest(clients, events, { inFlight: 50, timeLimitMs });
            const relayCpu1 = processCpuMs(target.pid);
            // Where the two cores went: the relay (all its threads) and this load generator.
            if (relayCpu0 !== undefined && relayCpu1 !== undefined && r.accepted) r.relayCpuUsPerEvent = ((relayCpu1 - relayCpu0) * 1000) / r.accepted;
            if (r.accepted) r.loadCpuUsPerEvent = ((ownCpuMs() - loadCpu0) * 1000) / r.accepted;
            runs.push(r);
            closeAll(clients);
          } catch (err) {
            // e.g. the default connection rate limit refusing the 100th connection from 127.0.0.1
            notes.push(`${k}: failed: ${(err as Error).message.split('\n')[0]}`);
            break;
          } finally {
            await target.close();
          }
        }
        if (runs.length) report(k, runs, perRun, metrics, units, notes);
      }
    }
  } finally {
    await pool.close();
  }
  return { metrics, units, notes };
}

/** Median throughput over the runs; latency percentiles over every answer of every run. */
function report(k: string, runs: IngestResult[], perRun: number, metrics: Record<string, number>, units: Record<string, string>, notes: string[]): void {
  const latency = runs.flatMap((r) => r.latencyMs);
  const sum = (f: (r: IngestResult) => number) => runs.reduce((n, r) => n + f(r), 0);
  metrics[`${k}.accepted_per_s`] = median(runs.map((r) => r.acceptedPerSec)); units[`${k}.accepted_per_s`] = runs.length > 1 ? `events/s (median of ${runs.length})` : 'events/s';
  metrics[`${k}.ok_p50_ms`] = percentile(latency, 50); units[`${k}.ok_p50_ms`] = 'ms';
  metrics[`${k}.ok_p99_ms`] = percentile(latency, 99); units[`${k}.ok_p99_ms`] = 'ms';
  const relayCpu = runs.flatMap((r) => (r.relayCpuUsPerEvent === undefined ? [] : [r.relayCpuUsPerEvent]));
  if (relayCpu.length) { metrics[`${k}.relay_cpu_us_per_event`] = Math.round(median(relayCpu)); units[`${k}.relay_cpu_us_per_event`] = 'µs CPU (all threads)'; }
  const loadCpu = runs.flatMap((r) => (r.loadCpuUsPerEvent === undefined ? [] : [r.loadCpuUsPerEvent]));
  if (loadCpu.length) { metrics[`${k}.loadgen_cpu_us_per_event`] = Math.round(median(loadCpu)); units[`${k}.loadgen_cpu_us_per_event`] = 'µs CPU'; }
  metrics[`${k}.accepted`] = sum((r) => r.accepted);
  metrics[`${k}.rejected`] = sum((r) => r.rejected);
  const unanswered = sum((r) => r.unanswered), duplicates = sum((r) => r.duplicates);
  if (unanswered) metrics[`${k}.unanswered`] = unanswered;
  if (duplicates) metrics[`${k}.duplicates`] = duplicates;
  const rejections: Record<string, number> = {};
  for (const r of runs) for (const [p, n] of Object.entries(r.rejections)) rejections[p] = (rejections[p] ?? 0) + n;
  if (Object.keys(rejections).length) notes.push(`${k}: rejections ${JSON.stringify(rejections)}`);
  const short = runs.filter((r) => r.sent < perRun).length;
  if (short) notes.push(`${k}: time limit reached before all ${perRun} events were sent in ${short} run(s)`);
}
