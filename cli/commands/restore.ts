import { Command } from 'commander';
import { restoreDataDir } from '../tools/backup.ts';
import { loadDataConfig, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { bytes } from '../tools/table.ts';

interface Opts extends DataOptions {
  json?: boolean;
}

export function restoreCommand(): Command {
  return withDataOptions(
    new Command('restore')
      .summary('Put a backup in place as the data directory (never over a database)')
      .description(
        'Copy a directory written by `hamlet backup` into the data directory, which must not hold a database: move a damaged one ' +
          'away first. Stop the relay, restore, start it again. (A backup directory is itself a data directory: `-d <backup>` also works.)',
      )
      .argument('<backup-dir>', 'a directory written by hamlet backup'),
  )
    .option('--json', 'print the result as JSON')
    .action((from: string, opts: Opts) =>
      runTool(async () => {
        const config = loadDataConfig(opts);
        const r = await restoreDataDir(config, from);
        if (opts.json) return void console.log(JSON.stringify({ from, ...r }));
        console.log(`restored ${r.events} events (${bytes(r.bytes)}) from ${from} into ${config.storage.dataDir}${r.others.length ? `, with ${r.others.join(', ')}` : ''}`);
      }),
    );
}
