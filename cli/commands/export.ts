import { createWriteStream, openSync } from 'node:fs';
import { Command, Option } from 'commander';
import { openStore } from '../../relay/core.ts';
import { parseCliFilter, UsageError } from '../tools/filter.ts';
import { loadDataConfig, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { scanRecords, writeJsonl, type Order } from '../tools/records.ts';

interface Opts extends DataOptions {
  filter?: string;
  order: Order;
  output?: string;
  includeHeld?: boolean;
}

export function exportCommand(): Command {
  return withDataOptions(
    new Command('export')
      .summary('Write stored events as JSONL').description('Write stored events as JSONL (their exact stored JSON), streaming; all of them or those matching a filter'),
  )
    .option('-f, --filter <json>', 'a NIP-01 filter, e.g. \'{"kinds":[1],"since":1700000000}\' (no limit: every match)')
    .addOption(new Option('--order <order>', 'created_at order').choices(['newest', 'oldest']).default('oldest'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--include-held', 'also events held for moderation')
    .action((opts: Opts) =>
      runTool(async () => {
        const filter = parseCliFilter(opts.filter);
        const config = loadDataConfig(opts);
        const store = openStore(config, { mustExist: true });
        let out: NodeJS.WritableStream = process.stdout;
        if (opts.output) {
          try {
            out = createWriteStream(opts.output, { fd: openSync(opts.output, 'w') });
          } catch (err) {
            await store.close();
            throw new UsageError(`cannot write ${opts.output}: ${(err as Error).message}`);
          }
        }
        try {
          // Progress only where stdout is not the data and a person watches stderr.
          const progress = opts.output !== undefined && process.stderr.isTTY;
          let count = 0;
          const tick = progress ? () => ++count % 1000 === 0 && process.stderr.write(`\rexported ${count}`) : undefined;
          const n = await writeJsonl(scanRecords(store.tables, filter, { order: opts.order, includeHeld: opts.includeHeld }), out, tick ? () => void tick() : undefined);
          if (opts.output) process.stderr.write(`${progress ? '\r' : ''}exported ${n} events to ${opts.output}\n`);
        } finally {
          if (opts.output) await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(resolve));
          await store.close();
        }
      }),
    );
}
