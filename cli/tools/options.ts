import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { exitOnConfigError } from '../configOption.ts';
import { UsageError } from './filter.ts';
import { DataDirError } from '../../relay/store/dataFiles.ts';

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

/**
 * Runs a command body: a usage error is one line on stderr and exit code 2, any other error one
 * line and exit code 1 (the stack only with HAMLET_DEBUG=1).
 */
export async function runTool(body: () => Promise<void>): Promise<void> {
  // `hamlet scan ... | head`: a reader that goes away ends the output, not with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    await body();
  } catch (err) {
    reportError(err);
  }
}

/** Says what went wrong in one line (stack with HAMLET_DEBUG=1) and sets the exit code. */
export function reportError(err: unknown): void {
  const debug = /^(1|true|yes)$/i.test(process.env.HAMLET_DEBUG ?? '');
  const message = (err instanceof Error ? err.message : String(err)).trim().replace(/\s*\n\s*/g, '; ');
  // Errors the operator can act on say all there is; anything else is a bug worth its stack.
  const known = err instanceof UsageError || err instanceof DataDirError;
  process.stderr.write(`hamlet: ${message}${known || debug ? '' : ' (HAMLET_DEBUG=1 shows where)'}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}

/** A commander argument parser: bad values are reported by commander (exit code 2, cli/main.ts). */
export function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
