import { join } from 'node:path';
import { Command } from 'commander';
import { HeadRegistry } from '../../moderation/index.ts';
import { UsageError } from '../tools/filter.ts';
import { loadDataConfig, positiveInt, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { textTable } from '../tools/table.ts';

function registryOf(opts: DataOptions): HeadRegistry {
  const config = loadDataConfig(opts);
  return new HeadRegistry(join(config.models.dir, 'heads'), config.moderation.head);
}

/** `hamlet moderation model list | approve <version> | rollback`: which moderation head the relay uses. */
export function moderationModelCommand(): Command {
  const cmd = new Command('model').description('Versions of the village moderation head (`hamlet train moderation`): list them, approve one, roll back');
  cmd.addCommand(
    withDataOptions(new Command('list').description('Trained versions, their model cards in short, and which one is used'))
      .option('--json', 'print JSON')
      .action((opts: DataOptions & { json?: boolean }) =>
        runTool(async () => {
          const r = registryOf(opts).read();
          if (opts.json) return void console.log(JSON.stringify(r, null, 2));
          console.log(
            textTable(
              ['version', 'trained', 'decisions', 'macro F1', 'status', 'used'],
              r.versions.map((v) => [v.version, v.createdAt, v.examples, Number(v.macroF1.toFixed(3)), v.status, v.version === r.active ? 'yes' : '']),
            ),
          );
        }),
      ),
  );
  cmd.addCommand(
    withDataOptions(new Command('approve').description('Use this version to score new cases (the relay reads it on the next case)').argument('<version>', 'version number', positiveInt))
      .option('--by <name>', 'who approved, recorded in the history', 'cli')
      .action((version: number, opts: DataOptions & { by: string }) =>
        runTool(async () => {
          try {
            const v = registryOf(opts).approve(version, opts.by);
            console.log(`approved ${v.name} (${v.examples} decisions, macro F1 ${v.macroF1.toFixed(3)})`);
          } catch (err) {
            throw new UsageError((err as Error).message);
          }
        }),
      ),
  );
  cmd.addCommand(
    withDataOptions(new Command('rollback').description('Go back to the version approved before the current one (or to none)'))
      .option('--by <name>', 'who rolled back, recorded in the history', 'cli')
      .action((opts: DataOptions & { by: string }) =>
        runTool(async () => {
          try {
            const previous = registryOf(opts).rollback(opts.by);
            console.log(previous === null ? 'rolled back: no moderation head is used' : `rolled back to version ${previous}`);
          } catch (err) {
            throw new UsageError((err as Error).message);
          }
        }),
      ),
  );
  return cmd;
}
