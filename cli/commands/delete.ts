import { Command } from 'commander';
import { openStore } from '../../relay/core.ts';
import { deleteMatching, planDelete } from '../tools/deleter.ts';
import { parseCliFilter, parseDuration, UsageError } from '../tools/filter.ts';
import { loadDataConfig, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';

interface Opts extends DataOptions {
  filter?: string;
  olderThan?: string;
  dryRun?: boolean;
  list?: boolean;
  json?: boolean;
}

export function deleteCommand(): Command {
  return withDataOptions(
    new Command('delete')
      .summary('Remove events by filter and/or age (--dry-run first)').description(
      'Remove stored events for good: those matching a filter and/or older than an age. Run with --dry-run first to see what would go. ' +
        'Safe while the relay runs.',
    ),
  )
    .option('-f, --filter <json>', 'a NIP-01 filter, e.g. \'{"kinds":[7]}\'')
    .option('--older-than <age>', 'only events created more than this long ago: 30d, 12h, 2w ...')
    .option('--dry-run', 'count (and with --list print) what would be deleted; change nothing')
    .option('--list', 'with --dry-run: print the events that would go as JSONL')
    .option('--json', 'print the result as JSON')
    .action((opts: Opts) =>
      runTool(async () => {
        if (opts.filter === undefined && opts.olderThan === undefined) {
          throw new UsageError('say what to delete: --filter <json> and/or --older-than <age> (use --filter \'{}\' to delete everything)');
        }
        const filter = parseCliFilter(opts.filter);
        if (opts.olderThan !== undefined) {
          const until = Math.floor(Date.now() / 1000) - parseDuration(opts.olderThan);
          filter.until = filter.until === undefined ? until : Math.min(filter.until, until);
        }
        const store = openStore(loadDataConfig(opts), { mustExist: true });
        try {
          if (opts.dryRun) {
            const NL = '\n';
            const plan = planDelete(store, filter, opts.list ? (rec) => process.stdout.write(rec.json.toString() + NL) : undefined);
            if (opts.json) console.log(JSON.stringify({ dryRun: true, ...plan }));
            else if (!opts.list) {
              console.log(`would delete ${plan.matched} events (dry run: nothing changed)`);
              for (const [kind, n] of Object.entries(plan.byKind).sort((a, b) => b[1] - a[1])) console.log(`  kind ${kind.padEnd(6)} ${n}`);
            } else process.stderr.write(`would delete ${plan.matched} events (dry run: nothing changed)\n`);
            return;
          }
          const deleted = await deleteMatching(store, filter, (n) => {
            if (process.stderr.isTTY) process.stderr.write(`\rdeleted ${n}`);
          });
          if (process.stderr.isTTY) process.stderr.write('\n');
          if (opts.json) console.log(JSON.stringify({ deleted }));
          else console.log(`deleted ${deleted} events`);
        } finally {
          await store.close();
        }
      }),
    );
}
