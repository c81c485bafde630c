import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closeAll, ingest, openClients, reqLatency, type Client } from '../loadgen.ts';
import type { CorpusSpec } from './corpus.ts';
import { benchKey, loadSigner, signToJson } from './sign.ts';
import { SignPool } from './signPool.ts';
import { BENCH_NO_POLICIES, startTarget, type Target } from './target.ts';
import type { BenchOptions } from './types.ts';

/** The archive corpus the read scenarios query: its newest event and its authors. */
export const ARCHIVE_BASE = 1_760_000_000;
export const ARCHIVE_SPEC: CorpusSpec = { shape: 'archive', label: 'archive-v1', authors: 1000, baseTime: ARCHIVE_BASE };

/** How a scenario recognises its seeded database: a marker event's `t` tag and signing key. */
export interface ArchiveMarker {
  tag: string;
  key: string;
}

/**
 * A relay over a seeded archive database kept in .bench/<name>-<size> (seeding is slow and not
 * timed, so it happens once). A kept database that no longer opens (an older storage format) is
 * dropped and seeded again.
 */
export async function startArchiveTarget(opts: BenchOptions, name: string, size: number, notes: string[]): Promise<{ target: Target; dataDir: string }> {
  const dataDir = join(process.cwd(), '.bench', `${name}-${size}`);
  const start = () => startTarget(opts, { overrides: { policies: BENCH_NO_POLICIES }, dataDir });
  try {
    return { target: await start(), dataDir };
  } catch (err) {
    if (opts.url) throw err;
    notes.push(`kept database did not open (${(err as Error).message.split('\n')[0]}); reseeded`);
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    return { target: await start(), dataDir };
  }
}

const markerEvent = (m: ArchiveMarker, size: number): string =>
  signToJson(loadSigner(), benchKey(m.key, 0), { kind: 1, created_at: ARCHIVE_BASE + 10, tags: [['t', `${m.tag}-${size}`]], content: `seeded ${size}` });

/** Seeds `size` archive events unless the marker says a run already did, then leaves the marker. */
export async function ensureArchiveSeeded(
  opts: BenchOptions,
  scenario: string,
  target: Target,
  dataDir: string,
  size: number,
  marker: ArchiveMarker,
  client: Client,
  notes: string[],
): Promise<void> {
  const probe = await reqLatency(client, [{ '#t': [`${marker.tag}-${size}`], limit: 1 }], { repeat: 1, timeLimitMs: 30_000 });
  if (probe.events > 0) {
    opts.log(`${scenario}: ${size}-event database already seeded${existsSync(dataDir) && target.owned ? ` (${dataDir})` : ''}`);
    return;
  }
  const pool = new SignPool();
  const writers = await openClients(target.url, 8);
  const chunk = 50_000;
  let stored = 0, rejected = 0;
  const t0 = performance.now();
  try {
    for (let from = 0; from < size; from += chunk) {
      const events = await pool.sign(ARCHIVE_SPEC, from, Math.min(size, from + chunk));
      const r = await ingest(writers, events, { inFlight: 200, timeLimitMs: 300_000, drainMs: 30_000 });
      stored += r.accepted + r.duplicates;
      rejected += r.rejected + r.unanswered;
      opts.log(`${scenario}: seeded ${from + events.length}/${size} (${Math.round(r.acceptedPerSec)} events/s)`);
    }
    const m = await ingest([client], [markerEvent(marker, size)], { inFlight: 1, timeLimitMs: 10_000 });
    if (m.accepted + m.duplicates !== 1) notes.push('marker event not accepted: the database will be reseeded next time');
  } finally {
    closeAll(writers);
    await pool.close();
  }
  notes.push(`seeded ${stored} events in ${((performance.now() - t0) / 1000).toFixed(0)} s (not timed)${rejected ? `; ${rejected} rejected or unanswered` : ''}`);
}
