import { Command, Option } from 'commander';
import { openStore } from '../../relay/core.ts';
import { parseCliFilter } from '../tools/filter.ts';
import { loadDataConfig, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { scanRecords, writeJsonl, type Order } from '../tools/records.ts';

interface Opts extends DataOptions {
  count?: boolean;
  order: Order;
  includeHeld?: boolean;
}

export function scanCommand(): Command {
  return withDataOptions(
    new Command('scan')
      .summary('Print or count the events matching a filter')
      .description('Print the stored events matching a NIP-01 filter as JSONL, or count them. Unlike a REQ there is no default limit')
      .argument('<filter>', 'a NIP-01 filter as JSON, e.g. \'{"authors":["<hex>"],"kinds":[1]}\'; \'{}\' matches everything'),
  )
    .option('--count', 'print only the number of matches')
    .addOption(new Option('--order <order>', 'created_at order').choices(['newest', 'oldest']).default('newest'))
    .option('--include-held', 'also events held for moderation')
    .action((filterText: string, opts: Opts) =>
      runTool(async () => {
        const filter = parseCliFilter(filterText);
        const store = openStore(loadDataConfig(opts), { mustExist: true });
        try {
          const records = scanRecords(store.tables, filter, { order: opts.order, includeHeld: opts.includeHeld });
          if (opts.count) {
            let n = 0;
            for (const _ of records) n++;
            console.log(n);
          } else await writeJsonl(records, process.stdout);
        } finally {
          await store.close();
        }
      }),
    );
}
