import { Command } from 'commander';
import { renderDefaultToml, describeKeys } from '../../config/doc.ts';
import { droppedDefaults } from '../../config/pipelines.ts';
import { configSchema } from '../../config/schema.ts';
import { describeBuiltins } from '../../policies/describe.ts';
import { loadCheckedConfig } from '../../policies/validate.ts';
import { exitOnConfigError } from '../configOption.ts';

function printKeys(): void {
  for (const row of describeKeys()) console.log(`${row.key} = ${JSON.stringify(row.value)}${row.hot ? ' (hot)' : ''}\n    ${row.description}`);
  // Built-in options are keys too, one level down: `options = { ... }` of an entry with `use = "<name>"`.
  console.log('\n# Options of the built-in policies (options = { ... } of a pipeline entry with use = "<name>")');
  for (const b of describeBuiltins()) {
    for (const o of b.options) console.log(`${b.name}.${o.key}${'default' in o ? ` = ${JSON.stringify(o.default)}` : ''}\n    ${o.description}`);
  }
}

export function configCommand(): Command {
  return new Command('config')
    .description('Print the annotated defaults, the list of keys, or check a config file')
    .option('--defaults', 'print config/default.toml as generated from the schema')
    .option('--keys', 'list every key with its default and description, and the options of each built-in policy')
    .option('-c, --config <file>', 'validate this file (with HAMLET_* overrides) as start would, and print the result as JSON')
    .action((opts: { defaults?: boolean; keys?: boolean; config?: string }) => {
      if (opts.defaults) return void process.stdout.write(renderDefaultToml());
      if (opts.keys) return printKeys();
      const config = exitOnConfigError(() => loadCheckedConfig({ file: opts.config }));
      // Valid, but worth a second look: a replaced pipeline that leaves default protections out.
      for (const note of droppedDefaults(config.policies, configSchema.parse({}).policies)) process.stderr.write(`hamlet: note: ${note}\n`);
      console.log(JSON.stringify(config, null, 2));
    });
}
