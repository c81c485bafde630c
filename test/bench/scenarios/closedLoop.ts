import { closeAll, ingest, openClients, type IngestResult } from '../loadgen.ts';
import { SignPool } from '../util/signPool.ts';
import { median, percentile } from '../util/stats.ts';
import { processCpuMs } from '../util/cpuTime.ts';
import { BENCH_NO_POLICIES, startTarget } from '../util/target.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/**
 * Closed loop: clients that each wait for the OK of one event before sending the next, as a
 * phone does. What counts is the latency of a lone event through the whole write path (verify,
 * policies, durable commit), and the relay's CPU per event when it cannot batch. A fresh relay
 * per run, warmed on other events; Hamlet with its policies off ("bare") and on ("policies").
 */
const CLIENTS = 4;
/**
 * Untimed events before each timed run, on the same connections. A fresh relay's first thousand
 * or so compile its write path: after 400, Hamlet's OK p50 read 1.40-1.59 ms and p99 5.0-5.9; after
 * 2,000, 1.27-1.34 and 4.5 (alternating, 2 runs each). A relay runs for days: the steady state is
 * the figure. strfry gets the same.
 */
const WARM_UP = 2_000;

let signed: { events: string[]; warm: string[] } | undefined;

export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const perRun = opts.quick ? 1_000 : 4_000;
  const timeLimitMs = opts.quick ? 5_000 : 20_000;
  const reps = opts.reps ?? (opts.quick ? 1 : 3);
  const variants: { name: string; overrides: Record<string, Record<string, unknown>> }[] = opts.side === 'strfry' || opts.url ? [{ name: opts.url ? 'url' : 'strfry', overrides: {} }] : [
    { name: 'bare', overrides: { policies: BENCH_NO_POLICIES } },
    { name: 'policies', overrides: {} },
  ];
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  // A relay the harness starts is fresh each run, so the same signed events replay; an outside
  // relay (--url) keeps what it got, so each of its runs needs events it has never seen (resent,
  // they came back `duplicate:` in a tenth of a millisecond and made the figures).
  const sign = async (label: string) => {
    const pool = new SignPool();
    try {
      const spec = { shape: 'feed' as const, label, authors: 500, baseTime: Math.floor(Date.now() / 1000) - 120 };
      return { events: await pool.sign(spec, 0, perRun), warm: await pool.sign({ ...spec, label: `${spec.label}-warm` }, 0, WARM_UP) };
    } finally {
      await pool.close();
    }
  };
  if (!signed && !opts.url) signed = await sign('closed-loop-replay');
  for (const v of variants) {
    const runs: IngestResult[] = [];
    const cpu: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const { events, warm } = opts.url ? await sign(`closed-loop-${Date.now()}-${rep}`) : signed!;
      const target = await startTarget(opts, { overrides: v.overrides });
      try {
        const clients = await openClients(target.url, CLIENTS);
        await ingest(clients, warm, { inFlight: 1, timeLimitMs });
        opts.log(`closed loop: ${v.name}, ${CLIENTS} clients × 1 in flight, ${perRun} events`);
        const cpu0 = processCpuMs(target.pid);
        const r = await ingest(clients, events, { inFlight: 1, timeLimitMs });
        const cpu1 = processCpuMs(target.pid);
        if (cpu0 !== undefined && cpu1 !== undefined && r.accepted) cpu.push(((cpu1 - cpu0) * 1000) / r.accepted);
        runs.push(r);
        closeAll(clients);
      } finally {
        await target.close();
      }
    }
    const k = `closed_loop.${v.name}`;
    const latency = runs.flatMap((r) => r.latencyMs);
    metrics[`${k}.ok_p50_ms`] = percentile(latency, 50); units[`${k}.ok_p50_ms`] = 'ms';
    metrics[`${k}.ok_p99_ms`] = percentile(latency, 99); units[`${k}.ok_p99_ms`] = 'ms';
    metrics[`${k}.accepted_per_s`] = median(runs.map((r) => r.acceptedPerSec)); units[`${k}.accepted_per_s`] = 'events/s';
    if (cpu.length) { metrics[`${k}.relay_cpu_us_per_event`] = Math.round(median(cpu)); units[`${k}.relay_cpu_us_per_event`] = 'µs CPU (all threads)'; }
    const rejected = runs.reduce((n, r) => n + r.rejected, 0);
    if (rejected) notes.push(`${k}: ${rejected} rejected`);
    const duplicates = runs.reduce((n, r) => n + r.duplicates, 0);
    if (duplicates) notes.push(`${k}: ${duplicates} answered duplicate: (their latencies are not a write's)`);
  }
  return { metrics, units, notes };
}
