import { Command, Option } from 'commander';
import { checkVersion, commonsKeyFile, DatasetHistory, exportDataset, loadOrCreateCommonsKey, PURPOSES, whichVersions, type Purpose } from '../../commons/index.ts';
import { toHexPubkey } from '../../relay/nostr/keys.ts';
import { datasetRule, readGroups } from '../../groups/index.ts';
import type { Config } from '../../config/schema.ts';
import { UsageError } from '../tools/filter.ts';
import { openLocal } from '../tools/local.ts';
import { loadDataConfig, runTool, withDataOptions, type DataOptions } from '../tools/options.ts';

interface ExportOpts extends DataOptions {
  purpose: Purpose;
  out?: string;
  json?: boolean;
}

interface WhichOpts extends DataOptions {
  json?: boolean;
}

/** The relay's URL as the metadata names it: relay.url, else where it listens by default. */
const relayUrlOf = (config: Config): string => config.relay.url || `ws://${config.relay.host.includes(':') ? `[${config.relay.host}]` : config.relay.host}:${config.relay.port}`;

function exportCommand(): Command {
  return withDataOptions(
    new Command('export')
      .summary('Export the posts members consented to share, as a new dataset version')
      .description(
        'Write a new version of the dataset for one use (AI-preferences vocabulary): the signed posts of the members who allow it (events.jsonl, posts.csv), croissant.json (Croissant 1.1 + RAI), manifest.json (sha256 of every file, Merkle root), and publish the manifest as an event signed by the commons key. Nothing changed since the last version: nothing is written.',
      ),
  )
    .addOption(new Option('--purpose <use>', 'the use the authors consented to').choices([...PURPOSES]).makeOptionMandatory())
    .option('-o, --out <dir>', 'root of the datasets; the version goes to <dir>/<use>/<version>/ (default commons.exportDir, or <dataDir>/datasets)')
    .option('--json', 'print the result as JSON')
    .action((opts: ExportOpts) =>
      runTool(async () => {
        const config = loadDataConfig(opts);
        // Through the relay's ingest path: the manifest events are verified and stored as any event, beside a running relay or not.
        const local = await openLocal(config, { ingest: true, mustExist: true });
        const groups = readGroups(local.store.env);
        try {
          const result = await exportDataset({
            store: local.store,
            config,
            history: new DatasetHistory(local.store.env),
            key: loadOrCreateCommonsKey(commonsKeyFile(config)),
            purpose: opts.purpose,
            relayUrl: relayUrlOf(config),
            publish: (event) => local.relay!.submit(event, 'internal'),
            root: opts.out,
            // nothing of a NIP-29 group that has not opted in (or is private) enters a dataset
            mayExport: datasetRule((id) => groups.get(id)),
          });
          if (opts.json) process.stdout.write(JSON.stringify(result) + '\n');
          else if (result.status === 'empty') process.stdout.write(`no member consents to ${opts.purpose} yet: nothing written\n`);
          else if (result.status === 'unchanged') process.stdout.write(`${opts.purpose} ${result.version} is current (${result.records} posts): nothing changed, nothing written\n`);
          else
            process.stdout.write(
              `${opts.purpose} ${result.version}: ${result.records} posts (+${result.added} -${result.removed}${result.previous ? ` since ${result.previous}` : ''}) in ${result.dir}\nmerkle root ${result.merkleRoot}\nmanifest event ${result.manifestEventId}\n`,
            );
        } finally {
          await local.close();
        }
      }),
    );
}

function whichCommand(): Command {
  return withDataOptions(new Command('which').summary("A member's posts in each dataset version").argument('<pubkey>', 'the member (hex or npub)'))
    .option('--json', 'one JSON line per version')
    .action((pubkeyText: string, opts: WhichOpts) =>
      runTool(async () => {
        let pubkey: string;
        try {
          pubkey = toHexPubkey(pubkeyText);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        const config = loadDataConfig(opts);
        const local = await openLocal(config, { mustExist: true });
        try {
          const found = whichVersions(new DatasetHistory(local.store.env), pubkey);
          if (opts.json) for (const f of found) process.stdout.write(JSON.stringify(f) + '\n');
          else if (found.length === 0) process.stdout.write('in no dataset version\n');
          else for (const f of found) process.stdout.write(`${f.purpose} ${f.version} (${f.status}): ${f.ids.length} posts\n${f.ids.map((id) => `  ${id}\n`).join('')}`);
        } finally {
          await local.close();
        }
      }),
    );
}

function verifyCommand(): Command {
  return new Command('verify')
    .summary('Check a dataset version as its user would')
    .description('Check a version directory: every file against manifest.json, the Merkle root against events.jsonl, every event signature, and croissant.json (Croissant 1.1 required properties, RAI fields, declared files). With --x, also manifest.json against the sha256 the signed manifest event states.')
    .argument('<dir>', 'a version directory (<root>/<use>/<version>)')
    .option('--x <sha256>', "the manifest event's x tag")
    .option('--json', 'the checks as JSON')
    .action((dir: string, opts: { x?: string; json?: boolean }) =>
      runTool(async () => {
        const checks = await checkVersion(dir, { manifestSha256: opts.x });
        if (opts.json) process.stdout.write(JSON.stringify(checks) + '\n');
        else for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail && !c.ok ? `: ${c.detail}` : ''}\n`);
        if (checks.some((c) => !c.ok)) process.exitCode = 1;
      }),
    );
}

/** `hamlet dataset export | which | verify`: the village's data as a commons (commons/, docs/dataset.md). */
export function datasetCommand(): Command {
  return new Command('dataset').summary('Datasets of the posts members consented to share').addCommand(exportCommand()).addCommand(whichCommand()).addCommand(verifyCommand());
}
