import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { openLocal } from '../tools/local.ts';
import { importLines, type ImportSummary } from '../tools/importer.ts';
import { loadDataConfig, positiveInt, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { UsageError } from '../tools/filter.ts';

interface Opts extends DataOptions {
  throughPolicies?: boolean;
  batch?: number;
  json?: boolean;
}

export function importCommand(): Command {
  return withDataOptions(
    new Command('import')
      .summary('Import JSONL events (verified; around or through the policies)')
      .description(
        'Import events (JSONL, one per line) from a file or stdin. Every event is checked and its signature verified; ' +
          'by default it then goes straight to the store (around the write policies), with --through-policies it takes ' +
          "a client's path through the configured policies. Safe while the relay runs (its live subscribers are not told).",
      )
      .argument('[file]', 'JSONL file; "-" or nothing reads stdin'),
  )
    .option('--through-policies', 'judge every event by the configured write policies, as if a client sent it')
    .option('--skip-policies', 'store every valid, verified event without consulting the policies (default)')
    .option('-b, --batch <n>', 'events submitted together (default: storage.batchSize)', positiveInt)
    .option('--json', 'print the summary as JSON')
    .action((file: string | undefined, opts: Opts & { skipPolicies?: boolean }) =>
      runTool(async () => {
        if (opts.throughPolicies && opts.skipPolicies) throw new UsageError('choose one of --through-policies and --skip-policies');
        const config = loadDataConfig(opts);
        const fromFile = file !== undefined && file !== '-';
        let size = 0;
        if (fromFile) {
          try {
            const st = statSync(file);
            if (!st.isFile()) throw new Error('not a file');
            size = st.size;
          } catch (err) {
            throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
          }
        }
        const input = fromFile ? createReadStream(file) : process.stdin;
        if (!fromFile && process.stdin.isTTY) process.stderr.write('reading JSONL events from the terminal; end with Ctrl-D\n');
        const local = await openLocal(config, { ingest: true, policies: opts.throughPolicies === true });
        const bar = process.stderr.isTTY
          ? new SingleBar(
              { stream: process.stderr, format: fromFile ? 'import [{bar}] {percentage}% | {lines} lines | {stored} stored | {duplicate} dup | {rejected} rejected | {rate}/s' : 'import {lines} lines | {stored} stored | {duplicate} dup | {rejected} rejected | {rate}/s' },
              Presets.shades_classic,
            )
          : undefined;
        bar?.start(Math.max(size, 1), 0, { lines: 0, stored: 0, duplicate: 0, rejected: 0, rate: 0 });
        let summary: ImportSummary;
        try {
          summary = await importLines(createInterface({ input, crlfDelay: Infinity }), (raw) => local.relay!.ingest.submit(raw, 'import'), {
            batch: opts.batch ?? config.storage.batchSize,
            onProgress: (s, bytes) => bar?.update(Math.min(bytes, size), { ...s, rate: Math.round(s.lines / Math.max(s.seconds, 0.001)) }),
          });
          bar?.stop();
          // Stored events' search words follow their commits (relay/store/wordIndexer.ts): written before the command ends.
          if (summary.stored > 0 && !opts.json) process.stderr.write('writing the search index of the imported events...\n');
          const started = performance.now();
          await local.store.wordsIndexed();
          summary = { ...summary, seconds: summary.seconds + (performance.now() - started) / 1000 };
        } finally {
          bar?.stop();
          await local.close();
        }
        if (opts.json) return void console.log(JSON.stringify(summary));
        printSummary(summary, opts.throughPolicies === true);
      }),
    );
}

function printSummary(s: ImportSummary, policies: boolean): void {
  const rate = s.seconds > 0 ? Math.round(s.lines / s.seconds) : s.lines;
  console.log(`imported ${s.lines} lines in ${s.seconds.toFixed(1)} s (${rate}/s), ${policies ? 'through' : 'around'} the write policies`);
  console.log(`  stored     ${s.stored}${s.held ? ` (${s.held} held for moderation)` : ''}`);
  console.log(`  duplicate  ${s.duplicate}`);
  console.log(`  rejected   ${s.rejected}`);
  const reasons = Object.entries(s.reasons).sort((a, b) => b[1] - a[1]);
  for (const [reason, n] of reasons.slice(0, 20)) console.log(`    ${String(n).padStart(8)}  ${reason}`);
  if (reasons.length > 20) console.log(`    ... and ${reasons.length - 20} other reasons`);
}
