import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closeAll, ingest, openClients, reqLatency, type Client } from '../loadgen.ts';
import { authorKeys, TAG_WORDS, templateFor, type CorpusSpec } from '../util/corpus.ts';
import { benchKey, loadSigner, signToJson } from '../util/sign.ts';
import { SignPool } from '../util/signPool.ts';
import { percentile } from '../util/stats.ts';
import { BENCH_NO_POLICIES, startTarget, type Target } from '../util/target.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';
import { seededRandom } from '../../../models/train/dataset.ts';

/**
 * Queries on a seeded database (1M events; 50k with --quick): by author, kind + time range,
 * `#t` tag, 50 ids, plain `limit 500`. Seeding is not timed and happens once: Hamlet's seeded
 * database is kept in .bench/ and any relay is recognised as seeded by a marker event.
 */
const ARCHIVE_BASE = 1_760_000_000;
const AUTHORS = 1000;

export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const size = opts.quick ? 50_000 : 1_000_000;
  const spec: CorpusSpec = { shape: 'archive', label: 'archive-v1', authors: AUTHORS, baseTime: ARCHIVE_BASE };
  const notes: string[] = [];
  const dataDir = join(process.cwd(), '.bench', `queries-${size}`);
  let target: Target;
  try {
    target = await startTarget(opts, { overrides: { policies: BENCH_NO_POLICIES }, dataDir });
  } catch (err) {
    // A database left by an older storage format: start over.
    if (opts.url) throw err;
    notes.push(`kept database did not open (${(err as Error).message.split('\n')[0]}); reseeded`);
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    target = await startTarget(opts, { overrides: { policies: BENCH_NO_POLICIES }, dataDir });
  }
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  try {
    const [client] = await openClients(target.url, 1);
    const marker = markerEvent(size);
    if (!(await isSeeded(client!, size))) {
      await seed(opts, target, spec, size, notes);
      const r = await ingest([client!], [marker], { inFlight: 1, timeLimitMs: 10_000 });
      if (r.accepted + r.duplicates !== 1) notes.push('marker event not accepted: the database will be reseeded next time');
    } else {
      opts.log(`queries: ${size}-event database already seeded${existsSync(dataDir) && target.owned ? ` (${dataDir})` : ''}`);
    }

    const authors = authorKeys(spec).map((k) => k.pubkey);
    const rand = seededRandom(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const span = size * 30;
    const queries: Record<string, () => object[]> = {
      author: () => [{ authors: [pick(authors)], limit: 500 }],
      kind_range: () => {
        const until = ARCHIVE_BASE - Math.floor(rand() * (span - 40_000));
        return [{ kinds: [1], since: until - 30_000, until, limit: 500 }];
      },
      tag: () => [{ '#t': [TAG_WORDS[Math.floor(rand() * 20)]], limit: 500 }],
      ids50: () => [{ ids: Array.from({ length: 50 }, () => idOfArchive(spec, Math.floor(rand() * size), authors)) }],
      limit500: () => [{ limit: 500 }],
    };
    const repeat = opts.quick ? 40 : 300;
    const timeLimitMs = opts.quick ? 4_000 : 20_000;
    for (const [name, filters] of Object.entries(queries)) {
      await reqLatency(client!, filters, { repeat: 5, timeLimitMs }); // warm-up
      const r = await reqLatency(client!, filters, { repeat, timeLimitMs });
      const k = `queries.${name}`;
      metrics[`${k}.p50_ms`] = percentile(r.latencyMs, 50); units[`${k}.p50_ms`] = 'ms';
      metrics[`${k}.p99_ms`] = percentile(r.latencyMs, 99); units[`${k}.p99_ms`] = 'ms';
      metrics[`${k}.events_per_query`] = r.latencyMs.length ? r.events / r.latencyMs.length : 0;
      metrics[`${k}.streamed_per_s`] = r.busyMs ? (r.events / r.busyMs) * 1000 : 0; units[`${k}.streamed_per_s`] = 'events/s';
      if (r.closed.length) notes.push(`${k}: CLOSED ${r.closed.length}× (${r.closed[0]})`);
      opts.log(`queries: ${name} p50 ${metrics[`${k}.p50_ms`]!.toFixed(2)} ms`);
    }
    closeAll([client!]);
  } finally {
    await target.close();
  }
  return { metrics, units, notes };
}

function markerEvent(size: number): string {
  return signToJson(loadSigner(), benchKey('archive-marker', 0), { kind: 1, created_at: ARCHIVE_BASE + 10, tags: [['t', `hamlet-bench-seeded-${size}`]], content: `seeded ${size}` });
}

async function isSeeded(client: Client, size: number): Promise<boolean> {
  const r = await reqLatency(client, [{ '#t': [`hamlet-bench-seeded-${size}`], limit: 1 }], { repeat: 1, timeLimitMs: 10_000 });
  return r.events > 0;
}

async function seed(opts: BenchOptions, target: Target, spec: CorpusSpec, size: number, notes: string[]): Promise<void> {
  const pool = new SignPool();
  const clients = await openClients(target.url, 8);
  const chunk = 50_000;
  let stored = 0, rejected = 0;
  const t0 = performance.now();
  try {
    for (let from = 0; from < size; from += chunk) {
      const events = await pool.sign(spec, from, Math.min(size, from + chunk));
      const r = await ingest(clients, events, { inFlight: 200, timeLimitMs: 300_000, drainMs: 30_000 });
      stored += r.accepted + r.duplicates;
      rejected += r.rejected + r.unanswered;
      opts.log(`queries: seeded ${from + events.length}/${size} (${Math.round(r.acceptedPerSec)} events/s)`);
    }
  } finally {
    closeAll(clients);
    await pool.close();
  }
  notes.push(`seeded ${stored} events in ${((performance.now() - t0) / 1000).toFixed(0)} s (not timed)${rejected ? `; ${rejected} rejected or unanswered` : ''}`);
}

/** Event ids are fixed by the template and author alone (not the random signature). */
function idOfArchive(spec: CorpusSpec, i: number, authors: string[]): string {
  const { author, template: t } = templateFor(spec, i);
  const serial = `[0,"${authors[author]}",${t.created_at},${t.kind},${JSON.stringify(t.tags)},${JSON.stringify(t.content)}]`;
  return createHash('sha256').update(serial).digest('hex');
}

