import { Command } from 'commander';
import { openStore } from '../../relay/core.ts';
import { loadDataConfig, positiveInt, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { storeStats } from '../tools/stats.ts';
import { bytes, isoDate, textTable } from '../tools/table.ts';
import { clusterStatus, clusterTable, mirrorStatus, mirrorTable } from '../tools/clusterStatus.ts';

interface Opts extends DataOptions {
  json?: boolean;
  top: number;
}

export function statsCommand(): Command {
  return withDataOptions(new Command('stats')
      .summary('Events by kind, top authors, size on disk').description('What the data directory holds: events by kind, top authors, time span, size on disk by table'))
    .option('--top <n>', 'how many authors to list', positiveInt, 10)
    .option('--json', 'print JSON')
    .action((opts: Opts) =>
      runTool(async () => {
        const config = loadDataConfig(opts);
        const store = openStore(config, { mustExist: true });
        try {
          const s = storeStats(store, opts.top);
          // Per-stream status from LMDB, per-node status from Redis (when this is a cluster node).
          const mirrors = mirrorStatus(store);
          const cluster = await clusterStatus(config);
          if (opts.json) return void console.log(JSON.stringify({ ...s, mirrors, cluster }, null, 2));
          console.log(`${s.events} events by ${s.authors} authors, ${isoDate(s.oldest)} .. ${isoDate(s.newest)}`);
          if (s.searchWordsOwed > 0) console.log(`search index: the words of the last ${s.searchWordsOwed} events are still to be written (searches read those events meanwhile)`);
          console.log(
            `disk: ${bytes(s.disk.fileBytes)} file (${bytes(s.disk.allocatedBytes)} allocated), ${bytes(s.disk.tablesBytes)} in use by tables, map size ${bytes(s.disk.mapSizeBytes)}\n`,
          );
          console.log(textTable(['kind', 'events'], s.byKind.map((k) => [k.kind, k.events])));
          console.log();
          console.log(textTable(['author', 'events'], s.topAuthors.map((a) => [a.pubkey, a.events])));
          console.log();
          console.log(textTable(['table', 'entries', 'size'], s.tables.map((t) => [t.name, t.entries, bytes(t.bytes)])));
          if (mirrors.length > 0) console.log(`\n${mirrorTable(mirrors)}`);
          if (cluster) console.log(`\n${clusterTable(cluster)}`);
        } finally {
          await store.close();
        }
      }),
    );
}
