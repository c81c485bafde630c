import { Command } from 'commander';
import { compactDataDir } from '../tools/compact.ts';
import { loadDataConfig, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { bytes } from '../tools/table.ts';

interface Opts extends DataOptions {
  keepOld?: boolean;
  force?: boolean;
}

export function compactCommand(): Command {
  return withDataOptions(
    new Command('compact')
      .summary('Rewrite the database without free pages').description(
      'Rewrite the LMDB file without its free pages, to give disk space back after large deletions. ' +
        'Writes a compacted copy, then swaps it in; refuses while the relay (or any process) has the database open. ' +
        'A compaction stopped by a crash is finished by the next open (or the next compact).',
    ),
  )
    .option('--keep-old', 'keep the previous file as events.lmdb.old')
    .option('--force', 'proceed where it cannot be checked that no other process has the database open')
    .action((opts: Opts) =>
      runTool(async () => {
        const config = loadDataConfig(opts);
        if (process.stderr.isTTY) process.stderr.write(`compacting ${config.storage.dataDir} (a copy of the live pages, then a swap) ...\n`);
        const r = await compactDataDir(config, opts);
        if (r.recovered) process.stderr.write(`${r.recovered}\n`);
        console.log(`compacted: ${bytes(r.beforeBytes)} -> ${bytes(r.afterBytes)}${r.oldFile ? ` (previous file kept at ${r.oldFile})` : ''}`);
      }),
    );
}
