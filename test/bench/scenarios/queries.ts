import { createHash } from 'node:crypto';
import { closeAll, countLatency, openClients, reqLatency } from '../loadgen.ts';
import { ARCHIVE_BASE, ARCHIVE_SPEC, ensureArchiveSeeded, startArchiveTarget } from '../util/archive.ts';
import { authorKeys, TAG_WORDS, templateFor, type CorpusSpec } from '../util/corpus.ts';
import { percentile } from '../util/stats.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';
import { seededRandom } from '../../../models/train/dataset.ts';

/**
 * Queries on a seeded database (1M events; 50k with --quick): by author, kind + time range,
 * `#t` tag, 50 ids, plain `limit 500`; and NIP-45 COUNT on a `#t` tag. Seeding is not timed and happens once: Hamlet's seeded
 * database is kept in .bench/ and any relay is recognised as seeded by a marker event.
 */

export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const size = opts.quick ? 50_000 : 1_000_000;
  const spec = ARCHIVE_SPEC;
  const notes: string[] = [];
  const { target, dataDir } = await startArchiveTarget(opts, 'queries', size, notes);
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  try {
    const [client] = await openClients(target.url, 1);
    await ensureArchiveSeeded(opts, 'queries', target, dataDir, size, { tag: 'hamlet-bench-seeded', key: 'archive-marker' }, client!, notes);

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
    const warmUp = opts.quick ? 10 : 30;
    const timeLimitMs = opts.quick ? 4_000 : 20_000;
    for (const [name, filters] of Object.entries(queries)) {
      // Warm-up: a fresh relay's first REQs compile the read path and map the database's pages
      // (Hamlet's first ten took 6-19 ms against 2-3 after); a long-running relay has done so.
      await reqLatency(client!, filters, { repeat: warmUp, timeLimitMs });
      const r = await reqLatency(client!, filters, { repeat, timeLimitMs });
      const k = `queries.${name}`;
      metrics[`${k}.p50_ms`] = percentile(r.latencyMs, 50); units[`${k}.p50_ms`] = 'ms';
      metrics[`${k}.p99_ms`] = percentile(r.latencyMs, 99); units[`${k}.p99_ms`] = 'ms';
      metrics[`${k}.events_per_query`] = r.latencyMs.length ? r.events / r.latencyMs.length : 0;
      metrics[`${k}.streamed_per_s`] = r.busyMs ? (r.events / r.busyMs) * 1000 : 0; units[`${k}.streamed_per_s`] = 'events/s';
      if (r.closed.length) notes.push(`${k}: CLOSED ${r.closed.length}× (${r.closed[0]})`);
      opts.log(`queries: ${name} p50 ${metrics[`${k}.p50_ms`]!.toFixed(2)} ms`);
    }
    // NIP-45 COUNT on one of the 20 commonest tag words (thousands to hundreds of thousands of matches).
    const tagCount = () => [{ '#t': [TAG_WORDS[Math.floor(rand() * 20)]] }];
    await countLatency(client!, tagCount, { repeat: 3, timeLimitMs });
    const c = await countLatency(client!, tagCount, { repeat: opts.quick ? 20 : 100, timeLimitMs });
    metrics['count.tag.p50_ms'] = percentile(c.latencyMs, 50); units['count.tag.p50_ms'] = 'ms';
    metrics['count.tag.p99_ms'] = percentile(c.latencyMs, 99); units['count.tag.p99_ms'] = 'ms';
    metrics['count.tag.mean_count'] = c.counts.length ? c.counts.reduce((a, b) => a + b, 0) / c.counts.length : 0;
    if (c.closed.length) notes.push(`count.tag: CLOSED ${c.closed.length}× (${c.closed[0]})`);
    opts.log(`queries: COUNT #t p50 ${metrics['count.tag.p50_ms']!.toFixed(2)} ms`);
    closeAll([client!]);
  } finally {
    await target.close();
  }
  return { metrics, units, notes };
}

/** Event ids are fixed by the template and author alone (not the random signature). */
function idOfArchive(spec: CorpusSpec, i: number, authors: string[]): string {
  const { author, template: t } = templateFor(spec, i);
  const serial = `[0,"${authors[author]}",${t.created_at},${t.kind},${JSON.stringify(t.tags)},${JSON.stringify(t.content)}]`;
  return createHash('sha256').update(serial).digest('hex');
}

