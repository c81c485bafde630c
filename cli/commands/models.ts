import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { loadDataConfig } from '../tools/options.ts';
import { DEFAULT_MANIFEST, listModels, pullModel, type ManifestModel, type PullProgress } from '../../models/index.ts';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

export function modelsCommand(): Command {
  const models = new Command('models').description('Local models: what is installed and active, and downloading the pinned defaults');

  models
    .command('list')
    .description('Show the known and installed models, and which one each task (embedding, toxicity) uses')
    .option('-c, --config <file>', 'config file (with HAMLET_* overrides)')
    .option('-d, --data <dir>', 'data directory (overrides storage.dataDir; models.dir defaults to <dir>/models)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nA task whose configured model is not installed runs on the built-in model (see models.fallbackToBuiltin).')
    .action(async (opts: { config?: string; data?: string; json?: boolean }) => {
      const config = loadDataConfig(opts);
      const listing = await listModels(config.models);
      if (opts.json) return void console.log(JSON.stringify(listing, null, 2));
      console.log(`models.dir = ${config.models.dir}\n`);
      for (const r of listing.rows) {
        const state = r.folder === '' ? 'built in' : r.installed ? 'installed' : 'not installed';
        const active = r.activeFor.length ? `  active: ${r.activeFor.join(', ')}` : '';
        console.log(`${r.name.padEnd(32)} ${state.padEnd(14)}${active}\n    ${r.description}${r.folder ? ` [${r.folder}]` : ''}`);
      }
      console.log('');
      for (const a of listing.active) console.log(`${a.task}: ${a.model} ${a.version} (${a.reason})`);
      if (listing.rows.some((r) => !r.installed)) console.log('\nrun `hamlet models pull` on a machine with network access to download the pinned models');
    });

  models
    .command('pull')
    .description('Download the pinned default models (or one of them) into models.dir, checking every file against its sha256')
    .argument('[name]', `model to download: ${Object.keys(DEFAULT_MANIFEST).join(', ')} (default: all)`)
    .option('-c, --config <file>', 'config file (with HAMLET_* overrides)')
    .option('-d, --data <dir>', 'data directory (overrides storage.dataDir; models.dir defaults to <dir>/models)')
    .option('--dir <dir>', 'download into this directory instead of models.dir')
    .addOption(new Option('--base-url <url>', 'hub to download from instead of models.hubUrl (a Hugging Face mirror)'))
    .addHelpText(
      'after',
      '\nNeeds network access; run it once on a machine that has it, the relay itself never downloads.\n' +
        'Files land as .part first and are moved into place only when their checksum matches.',
    )
    .action(async (name: string | undefined, opts: { config?: string; data?: string; dir?: string; baseUrl?: string }) => {
      const config = loadDataConfig(opts);
      const wanted: ManifestModel[] = name ? [DEFAULT_MANIFEST[name]].filter((m): m is ManifestModel => m !== undefined) : Object.values(DEFAULT_MANIFEST);
      if (wanted.length === 0) {
        process.stderr.write(`hamlet: unknown model "${name}"; known: ${Object.keys(DEFAULT_MANIFEST).join(', ')}\n`);
        process.exit(2);
      }
      const dir = opts.dir ?? config.models.dir;
      const baseUrl = opts.baseUrl ?? config.models.hubUrl;
      for (const model of wanted) {
        console.log(`${model.name}: ${model.repo}@${model.revision.slice(0, 12)} from ${baseUrl}`);
        const reporter = progressReporter();
        try {
          await pullModel({ model, dir, baseUrl, ...reporter });
        } catch (err) {
          reporter.stop();
          process.stderr.write(`hamlet: ${model.name}: ${(err as Error).message}\n`);
          process.exitCode = 1;
          return;
        }
      }
      console.log(`done: ${dir}`);
    });

  return models;
}

/** A progress bar per file at a terminal; one line per file otherwise. */
function progressReporter(): Pick<Parameters<typeof pullModel>[0], 'onFileStart' | 'onProgress' | 'onFileDone'> & { stop(): void } {
  const tty = process.stdout.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  return {
    stop: () => bar?.stop(),
    onFileStart(p: PullProgress) {
      if (!tty) return;
      bar = new cliProgress.SingleBar({ format: `  ${p.file.padEnd(28)} [{bar}] {percentage}% {value}/{total} bytes`, hideCursor: true }, cliProgress.Presets.shades_classic);
      bar.start(p.total ?? 0, 0);
    },
    onProgress(p: PullProgress) {
      if (p.total === undefined) bar?.setTotal(p.received);
      bar?.update(p.received);
    },
    onFileDone(p) {
      bar?.stop();
      bar = undefined;
      const how = p.skipped ? 'already present' : p.pinned ? 'sha256 ok' : `not pinned, sha256 ${p.sha256} recorded`;
      console.log(`  ${p.file}: ${mb(p.received)}, ${how}`);
    },
  };
}
