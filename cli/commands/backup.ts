import { Command } from 'commander';
import { backupDataDir } from '../tools/backup.ts';
import { UsageError } from '../tools/filter.ts';
import { loadDataConfig, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { bytes } from '../tools/table.ts';

interface Opts extends DataOptions {
  out?: string;
  skipModels?: boolean;
  json?: boolean;
}

export function backupCommand(): Command {
  return withDataOptions(
    new Command('backup')
      .summary('A consistent copy of the data directory, while the relay runs')
      .description(
        'Copy the database as of one moment (LMDB copies it from a single read transaction, compacted) and the rest of the data ' +
          'directory (DVM and labeler keys, models) into a new directory. Safe while the relay runs. Restore with `hamlet restore`.',
      ),
  )
    .option('-o, --out <dir>', 'the directory to write the backup to (new or empty) (required)')
    .option('--skip-models', 'leave out models.dir (the downloaded models; `hamlet models pull` fetches them again)')
    .option('--json', 'print the result as JSON')
    .action((opts: Opts) =>
      runTool(async () => {
        if (!opts.out) throw new UsageError('say where to write the backup: --out <dir>');
        const config = loadDataConfig(opts);
        const r = await backupDataDir(config, opts.out, { skipModels: opts.skipModels });
        if (opts.json) return void console.log(JSON.stringify({ out: opts.out, ...r }));
        console.log(`backed up ${r.events} events (${bytes(r.bytes)}) from ${config.storage.dataDir} to ${opts.out}${r.others.length ? `, with ${r.others.join(', ')}` : ''}`);
      }),
    );
}
