import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { diskBytes } from '../util/diskBytes.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAll, ingest, openClients } from '../loadgen.ts';
import { SignPool } from '../util/signPool.ts';
import { sleep } from '../util/stats.ts';
import { tableBytes } from '../util/lmdbTables.ts';
import { BENCH_NO_POLICIES, rssOf, startTarget } from '../util/target.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/** How long the relay is left alone before its idle RSS is read. */
const IDLE_MS = 12_000;

/**
 * Memory: the relay's idle RSS (DVMs and labeler off, as the bench starts it), its RSS per idle
 * connection at 10,000 connections (2,000 with --quick), and database bytes on disk per stored
 * event against the events' raw JSON size. RSS needs the relay's pid (known when the harness
 * starts Hamlet, else --pid); disk needs its data directory.
 */
export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const connections = opts.quick ? 2_000 : 10_000;
  const storedEvents = opts.quick ? 20_000 : 100_000;

  // Our own data directory, kept past close() so the tables can be measured, then removed.
  // (strfry gets a temporary one of its own, measured before it is removed)
  const dataDir = opts.url || opts.side === 'strfry' ? undefined : mkdtempSync(join(tmpdir(), 'hamlet-bench-mem-'));
  const target = await startTarget(opts, { overrides: { policies: BENCH_NO_POLICIES }, dataDir });
  let stored = 0;
  try {
    if (target.pid === undefined) {
      notes.push('RSS per connection skipped: relay pid unknown (pass --pid with --url)');
    } else {
      // Warm the relay (first connections load code paths) before the baseline reading.
      closeAll(await openClients(target.url, 20));
      // Idle means left alone: V8 collects startup's garbage about 8 s after the allocations stop.
      await sleep(IDLE_MS);
      const before = await rssOf(target.pid);
      opts.log(`memory: opening ${connections} idle connections`);
      const clients = await openClients(target.url, connections, 200);
      await sleep(3_000);
      const after = await rssOf(target.pid);
      closeAll(clients);
      metrics['memory.rss_idle_mb'] = before / 2 ** 20; units['memory.rss_idle_mb'] = 'MiB (idle 12 s)';
      metrics[`memory.rss_per_conn_kb`] = (after - before) / connections / 1024; units['memory.rss_per_conn_kb'] = `KiB (${connections} conns)`;
    }

    if (!target.dataDir) {
      notes.push('bytes per event skipped: the relay\'s data directory is not known with --url');
    } else {
      const pool = new SignPool();
      const events = await pool.sign({ shape: 'feed', label: `memory-${randomBytes(6).toString('hex')}`, authors: 1000, baseTime: Math.floor(Date.now() / 1000) - 600 }, 0, storedEvents);
      await pool.close();
      const empty = diskBytes(target.dataDir);
      const clients = await openClients(target.url, 10);
      opts.log(`memory: storing ${storedEvents} events`);
      const r = await ingest(clients, events, { inFlight: 100, timeLimitMs: 120_000 });
      closeAll(clients);
      const used = diskBytes(target.dataDir) - empty;
      const rawJson = events.reduce((n, e) => n + Buffer.byteLength(e), 0) / events.length;
      metrics['memory.db_bytes_per_event'] = used / Math.max(1, r.accepted); units['memory.db_bytes_per_event'] = 'bytes';
      metrics['memory.raw_json_bytes_per_event'] = rawJson; units['memory.raw_json_bytes_per_event'] = 'bytes';
      metrics['memory.db_vs_raw_json'] = used / Math.max(1, r.accepted) / rawJson; units['memory.db_vs_raw_json'] = '×';
      if (r.accepted < storedEvents) notes.push(`only ${r.accepted} of ${storedEvents} events stored`);
      stored = r.accepted;
    }
  } finally {
    await target.close();
  }
  if (dataDir) {
    try {
      if (stored > 0) {
        const tables = Object.entries(tableBytes(dataDir)).filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1]);
        notes.push(`disk bytes per event by table: ${tables.map(([n, b]) => `${n} ${Math.round(b / stored)}`).join(', ')}`);
      }
    } catch (err) {
      notes.push(`table breakdown unavailable: ${(err as Error).message}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { metrics, units, notes };
}
