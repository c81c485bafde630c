import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { openLocal } from '../tools/local.ts';
import { parseCliFilter, UsageError } from '../tools/filter.ts';
import { loadDataConfig, positiveInt, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';
import { parseSecretKey as secretKeyOf } from '../../relay/nostr/keys.ts';
import { relayUrlArg } from '../tools/args.ts';
import { syncWithRelay, type SyncDirection, type SyncReport } from '../../relay/sync/client.ts';

interface Opts extends DataOptions {
  dir: SyncDirection;
  filter?: string;
  throughPolicies?: boolean;
  frameSize?: number;
  authKey?: string;
  json?: boolean;
}

export function syncCommand(): Command {
  return withDataOptions(
    new Command('sync')
      .summary('NIP-77 negentropy sync with another relay')
      .description(
        'Reconcile this data directory with another relay by NIP-77 negentropy: only the ids that differ are exchanged, ' +
          'then missing events are fetched (REQ) and/or sent (EVENT). Downloads are verified like imports. Safe while the relay runs.',
      )
      .argument('<url>', 'the other relay, ws:// or wss://', relayUrlArg),
  )
    .addOption(new Option('--dir <dir>', 'down: fetch what we lack; up: send what they lack; both').choices(['up', 'down', 'both']).default('down'))
    .option('-f, --filter <json>', 'sync only events matching this NIP-01 filter, e.g. \'{"kinds":[0,1,3]}\'')
    .option('--through-policies', 'judge downloaded events by the configured write policies')
    .option('--frame-size <bytes>', 'negentropy frame size limit for our messages', positiveInt, 60_000)
    .option('--auth-key <key>', 'answer NIP-42 AUTH with this secret key (hex or nsec, or @file to read it from a file, kept out of ps): relays that require auth, DMs of that key')
    .option('--json', 'print the report as JSON')
    .action((url: string, opts: Opts) =>
      runTool(async () => {
        const filter = parseCliFilter(opts.filter);
        const authKey = authKeyOption(opts.authKey);
        const config = loadDataConfig(opts);
        const local = await openLocal(config, { ingest: true, policies: opts.throughPolicies === true });
        const bar = process.stderr.isTTY ? new SingleBar({ stream: process.stderr, format: '{phase} [{bar}] {value}/{total}' }, Presets.shades_classic) : undefined;
        let phase = '';
        let report: SyncReport;
        try {
          report = await syncWithRelay({
            url,
            store: local.store,
            submit: (raw) => local.relay!.ingest.submit(raw, 'sync'),
            filter,
            dir: opts.dir,
            frameSizeLimit: opts.frameSize,
            authKey,
            onProgress: (p, done, total) => {
              if (!bar) return;
              if (p !== phase) {
                if (phase) bar.stop();
                phase = p;
                bar.start(total, done, { phase: p });
              } else bar.update(done);
              bar.setTotal(total);
            },
          });
        } catch (err) {
          // Network and protocol failures are the other relay's answer, not a bug here: one line.
          process.stderr.write(`hamlet: sync with ${url} failed: ${(err as Error).message}\n`);
          process.exitCode = 1;
          return;
        } finally {
          bar?.stop();
          await local.close();
        }
        if (opts.json) return void console.log(JSON.stringify(report));
        console.log(`synced with ${url} in ${report.seconds.toFixed(1)} s (${report.rounds} negentropy rounds, ${report.windows} window${report.windows === 1 ? '' : 's'})`);
        console.log(`  only here   ${report.have}${opts.dir === 'down' ? ' (not sent: --dir down)' : ''}`);
        console.log(`  only there  ${report.need}${opts.dir === 'up' ? ' (not fetched: --dir up)' : ''}`);
        if (opts.dir !== 'up') {
          const d = report.down;
          console.log(`  fetched     ${d.stored} stored, ${d.duplicate} duplicate, ${d.rejected} rejected, ${d.missing} not served`);
          for (const [reason, n] of Object.entries(d.reasons)) console.log(`    ${String(n).padStart(8)}  ${reason}`);
        }
        if (opts.dir !== 'down') {
          const u = report.up;
          console.log(`  sent        ${u.stored} accepted, ${u.duplicate} duplicate, ${u.rejected} rejected`);
          for (const [reason, n] of Object.entries(u.reasons)) console.log(`    ${String(n).padStart(8)}  ${reason}`);
        }
      }),
    );
}

function authKeyOption(given: string | undefined): Uint8Array | undefined {
  if (given === undefined || given === '') return undefined;
  let text = given;
  if (given.startsWith('@')) {
    try {
      text = readFileSync(given.slice(1), 'utf8').trim();
    } catch (err) {
      throw new UsageError(`cannot read the key file: ${(err as Error).message}`);
    }
  }
  const key = secretKeyOf(text);
  if (key) return key;
  throw new UsageError('--auth-key must be a 64-character hex secret key or an nsec');
}
