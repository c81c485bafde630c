import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildConfig } from '../../../config/load.ts';
import { DatasetHistory, exportDataset, loadOrCreateCommonsKey } from '../../../commons/index.ts';
import { openStore } from '../../../relay/core.ts';
import { KIND_DATA_CONSENT } from '../../../relay/nostr/kinds.ts';
import type { NostrEvent } from '../../../relay/nostr/types.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/**
 * Dataset export: posts per second that `hamlet dataset export` turns into a version (read from
 * LMDB, JSONL, CSV, stats, Croissant, manifest with every sha256 and the Merkle root), for a
 * village where half the authors consent, first build and a rebuild after one withdrawal (a new
 * major version). Events are stored directly (ids and signatures are not checked on export).
 */
const hex = (n: number): string => randomBytes(n).toString('hex');

function event(pubkey: string, kind: number, created_at: number, content: string, tags: string[][] = []): NostrEvent {
  return { id: hex(32), pubkey, created_at, kind, tags, content, sig: hex(64) };
}

export async function run(opts: Pick<BenchOptions, 'quick'> & { log?: (line: string) => void }): Promise<ScenarioResult> {
  const posts = opts.quick ? 20_000 : 100_000;
  const authors = Array.from({ length: 200 }, () => hex(32));
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-bench-dataset-'));
  const config = buildConfig({ storage: { dataDir: dir, mapSizeMb: 1024 }, log: { level: 'silent' } });
  const store = openStore(config);
  try {
    const t0 = Math.floor(Date.now() / 1000) - posts;
    const write = (e: NostrEvent) => store.store(e, JSON.stringify(e));
    await Promise.all(authors.map((a, i) => write(event(a, KIND_DATA_CONSENT, t0, '', [['use', 'train-ai', i % 2 === 0 ? 'y' : 'n']]))));
    const text = 'the village green is lovely this time of year, come and see the tomatoes at the market on saturday #garden';
    for (let i = 0; i < posts; i += 1000) {
      await Promise.all(Array.from({ length: Math.min(1000, posts - i) }, (_, j) => write(event(authors[(i + j) % authors.length]!, 1, t0 + i + j, `${text} ${i + j}`, [['t', 'garden']]))));
    }
    const history = new DatasetHistory(store.env);
    const key = loadOrCreateCommonsKey(join(dir, 'commons.key'));
    const build = async () => {
      const start = performance.now();
      const r = await exportDataset({ store, config, history, key, purpose: 'train-ai', relayUrl: 'wss://bench.example', publish: async () => ({ ok: true, message: '' }), root: join(dir, 'datasets') });
      return { r, s: (performance.now() - start) / 1000 };
    };
    const first = await build();
    opts.log?.(`dataset: ${first.r.records} posts in ${first.s.toFixed(2)} s`);
    await store.store(...((e) => [e, JSON.stringify(e)] as const)(event(authors[0]!, KIND_DATA_CONSENT, t0 + posts + 1, '', [['use', 'train-ai', 'n']])));
    const second = await build();
    return {
      metrics: {
        dataset_posts: first.r.records,
        dataset_export_posts_per_s: Math.round(first.r.records / first.s),
        dataset_export_s: Number(first.s.toFixed(2)),
        dataset_rebuild_after_withdrawal_posts_per_s: Math.round(second.r.records / second.s),
        dataset_rebuild_removed: second.r.removed,
      },
      units: { dataset_export_posts_per_s: 'posts/s', dataset_export_s: 's', dataset_rebuild_after_withdrawal_posts_per_s: 'posts/s' },
      notes: [`${posts} posts by ${authors.length} authors, half consenting; second build ${second.r.version} after one withdrawal`],
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick'), log: (l) => process.stderr.write(l + '\n') });
  console.log(JSON.stringify(result, null, 2));
}
