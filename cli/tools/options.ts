import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { exitOnConfigError } from '../configOption.ts';
import { UsageError } from './filter.ts';

export interface DataOptions {
  config?: string;
  data?: string;
}

/** The options every data command shares: which config and which data directory. */
export function withDataOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'TOML config file (default: $HAMLET_CONFIG, then config/default.toml)')
    .option('-d, --data <dir>', 'data directory (overrides storage.dataDir)');
}

export function loadDataConfig(opts: DataOptions): Config {
  const overrides: Record<string, Record<string, unknown>> = {};
  if (opts.data !== undefined) overrides.storage = { dataDir: opts.data };
  return exitOnConfigError(() => loadConfig({ file: opts.config, overrides }));
}

/** Runs a command body: usage errors become one line on stderr and exit code 2. */
export async function runTool(body: () => Promise<void>): Promise<void> {
  // `hamlet scan ... | head`: a reader that goes away ends the output, not with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    await body();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`hamlet: ${err.message}\n`);
    process.exitCode = 2;
  }
}

/** A commander argument parser: bad values are reported by commander (exit code 1). */
export function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
