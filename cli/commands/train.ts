import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { createLogger } from '../../relay/log.ts';
import { UsageError } from '../tools/filter.ts';
import { loadDataConfig, runTool } from '../tools/options.ts';
import { openModels, trainHead, type Example } from '../../models/index.ts';
import { trainTagsCommand } from './trainTags.ts';
import { trainMeaningCommand } from './trainMeaning.ts';
import { trainModerationCommand } from './trainModeration.ts';

interface Row {
  text: string;
  labels: string[];
  id?: string;
  created_at?: number;
}

function readRows(file: string): Row[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return text
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line.length > 0)
    .map(([line, n]) => {
      let row: Row;
      try {
        row = JSON.parse(line) as Row;
      } catch {
        throw new UsageError(`${file}:${n}: not JSON`);
      }
      if (typeof row.text !== 'string' || !Array.isArray(row.labels)) throw new UsageError(`${file}:${n}: needs "text" (string) and "labels" (array)`);
      return row;
    });
}

export function trainCommand(): Command {
  return new Command('train')
    .description('Train a small head (labels over embeddings) from labelled texts, evaluate it on held-out data, and write it with its model card')
    .argument('<name>', 'name of the head, e.g. "hashtags"; files are <name>.head.json and <name>.card.json')
    // not requiredOption: commander would demand it of `train tags` too
    .option('--data <file>', 'JSON lines: {"text": "...", "labels": ["gardening"], "created_at": 1700000000} (required)')
    .addOption(new Option('--kind <kind>', 'head type').choices(['logistic', 'knn']).default('logistic'))
    .option('--held-out <fraction>', 'share of examples kept aside for evaluation', '0.2')
    .option('--seed <n>', 'seed of the train/held-out split', '1')
    .option('--k <n>', 'kNN: neighbours that vote', '10')
    .option('--source <text>', 'where the labels came from, for the model card', 'labelled file')
    .option('--out <dir>', 'output directory (default <models.dir>/heads)')
    .option('-c, --config <file>', 'config file (with HAMLET_* overrides)')
    .option('--data-dir <dir>', 'data directory (overrides storage.dataDir; models.dir defaults to <dir>/models)')
    .addHelpText('after', '\nTexts are embedded with the active embedding model (see `hamlet models list`); the head only works over that model.')
    .addCommand(trainMeaningCommand())
    .addCommand(trainTagsCommand())
    .addCommand(trainModerationCommand())
    .action((name: string, opts: { data: string; kind: 'logistic' | 'knn'; heldOut: string; seed: string; k: string; source: string; out?: string; config?: string; dataDir?: string }) =>
      runTool(async () => {
        if (!opts.data) {
          process.stderr.write("error: required option '--data <file>' not specified\n");
          process.exit(1);
        }
        const config = loadDataConfig({ config: opts.config, data: opts.dataDir });
        const rows = readRows(opts.data);
        const models = await openModels(config.models, { log: createLogger(config, process.stderr) });
        try {
          const bar = process.stdout.isTTY ? new cliProgress.SingleBar({ format: 'embedding [{bar}] {value}/{total}' }, cliProgress.Presets.shades_classic) : undefined;
          bar?.start(rows.length, 0);
          const examples: Example[] = [];
          const chunk = 256;
          for (let i = 0; i < rows.length; i += chunk) {
            const part = rows.slice(i, i + chunk);
            const vectors = await models.embedder.embed(part.map((r) => r.text));
            part.forEach((r, j) => examples.push({ vector: vectors[j]!, labels: r.labels, id: r.id, createdAt: r.created_at }));
            bar?.update(examples.length);
          }
          bar?.stop();
          const { card, files } = trainHead({
            name,
            kind: opts.kind,
            examples,
            baseModel: models.embedder.info,
            source: opts.source,
            heldOutFraction: Number(opts.heldOut),
            seed: Number(opts.seed),
            k: Number(opts.k),
            outDir: opts.out ?? join(config.models.dir, 'heads'),
          });
          const m = card.metrics;
          console.log(
            `${name}: ${card.kind} over ${card.baseModel.id}@${card.baseModel.version}, ${card.counts.labels} labels, ` +
              `${card.counts.train} train / ${card.counts.heldOut} held out\n` +
              `held-out precision@${m.k} ${m.precisionAtK.toFixed(3)}, precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, F1 ${m.f1.toFixed(3)} (macro ${m.macroF1.toFixed(3)})\n` +
              `wrote ${files!.head}\n      ${files!.card}`,
          );
        } finally {
          await models.close();
        }
      }),
    );
}
