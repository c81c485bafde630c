import { Command } from 'commander';
import { renderDefaultToml, describeKeys } from '../../config/doc.ts';
import { loadConfig } from '../../config/load.ts';
import { exitOnConfigError } from '../configOption.ts';

export function configCommand(): Command {
  return new Command('config')
    .description('Print the annotated defaults, the list of keys, or check a config file')
    .option('--defaults', 'print config/default.toml as generated from the schema')
    .option('--keys', 'list every key with its default and description')
    .option('-c, --config <file>', 'validate this file (with HAMLET_* overrides) and print the result as JSON')
    .action((opts: { defaults?: boolean; keys?: boolean; config?: string }) => {
      if (opts.defaults) return void process.stdout.write(renderDefaultToml());
      if (opts.keys) {
        for (const row of describeKeys()) console.log(`${row.key} = ${JSON.stringify(row.value)}${row.hot ? ' (hot)' : ''}\n    ${row.description}`);
        return;
      }
      const config = exitOnConfigError(() => loadConfig({ file: opts.config }));
      console.log(JSON.stringify(config, null, 2));
    });
}
