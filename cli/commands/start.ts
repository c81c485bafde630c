import { Command } from 'commander';
import { loadCheckedConfig } from '../../policies/validate.ts';
import { exitOnConfigError } from '../configOption.ts';
import { createLogger } from '../../relay/log.ts';
import { startRelay } from '../hamlet.ts';
import { startBanner } from '../banner.ts';
import { StartError } from '../startError.ts';

export function startCommand(): Command {
  return new Command('start')
    .description('Start the relay (LMDB in storage.dataDir, policies and DVMs as configured)')
    .option('-c, --config <file>', 'TOML config file (default: $HAMLET_CONFIG, then config/default.toml)')
    .option('-p, --port <port>', 'listen on this port (overrides relay.port)')
    .option('-d, --data <dir>', 'data directory (overrides storage.dataDir)')
    .action(async (opts: { config?: string; port?: string; data?: string }) => {
      const overrides: Record<string, Record<string, unknown>> = {};
      if (opts.port !== undefined) overrides.relay = { port: Number(opts.port) };
      if (opts.data !== undefined) overrides.storage = { dataDir: opts.data };
      // The same checks as `hamlet config -c`, policies included, before anything is opened.
      const config = exitOnConfigError(() => loadCheckedConfig({ file: opts.config, overrides }));
      const log = createLogger(config);
      // Signals are handled from the start: the relay listens (and acknowledges writes) before
      // startRelay returns (DVMs start after the listener), so a SIGTERM then must stop it gracefully too.
      let running: Awaited<ReturnType<typeof startRelay>> | undefined;
      let requested: string | undefined;
      const stop = (signal: string) => {
        if (!running) {
          requested ??= signal;
          return;
        }
        log.info({ signal }, 'shutting down');
        // A second signal forces the exit.
        process.once(signal, () => process.exit(1));
        running.close().then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      try {
        // A file the operator named is watched: its hot keys apply without a restart.
        running = await startRelay({ config, log, configFile: opts.config ?? process.env.HAMLET_CONFIG });
      } catch (err) {
        // A cause the operator can act on (port or data directory taken) is one plain line.
        if (err instanceof StartError) process.stderr.write(`hamlet: ${err.message}\n`);
        else log.fatal({ err }, `relay failed to start: ${(err as Error).message}`);
        // Exit now: whatever a failed start left open (a thread, a watcher) must not keep a dead relay alive.
        process.exit(1);
      }
      // For the person at the console: the address first, then what runs (stdout stays log lines).
      process.stderr.write(startBanner(running.summary));
      if (requested) stop(requested);
    });
}
