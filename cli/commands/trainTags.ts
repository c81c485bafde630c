import { join } from 'node:path';
import { Command } from 'commander';
import { openModels } from '../../models/index.ts';
import { TagsDataError, trainTags, type TrainedTags } from '../../dvms/tags/train.ts';
import { UsageError } from '../tools/filter.ts';
import { NEVER_LABELLED } from '../../dvms/labels/labeler.ts';
import { toolLogger } from '../tools/local.ts';
import { openStore } from '../../relay/core.ts';
import { scanRecords } from '../tools/records.ts';
import { loadDataConfig, positiveInt, runTool } from '../tools/options.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

interface Opts {
  config?: string;
  dataDir?: string;
  kind: 'logistic' | 'knn';
  heldOut: string;
  k: string;
  minExamples: number;
  maxTags: number;
  out?: string;
}

/** Progress on stderr: a line every 10% (and at the end), so long runs are visibly alive in logs too. */
function progressLine(label: string): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (tenth === last) return;
    last = tenth;
    process.stderr.write(`${label} ${done}/${total}\n`);
  };
}

/**
 * `hamlet train tags`: learns hashtag suggestion from the stored posts that carry `t` tags (the
 * labels.kinds kinds), holds out the newest fifth, compares precision@3 / recall@3 with the
 * most-used-tags baseline, and writes <models.dir>/heads/<labels.tagsHead>.head.json and its
 * model card. The labeler and the tagging DVM use it when it beats the baseline.
 */
export function trainTagsCommand(): Command {
  return new Command('tags')
    .description("Train the village tagger on the hashtags members used (newest fifth held out; compared with suggesting the most used tags)")
    .option('--data-dir <dir>', 'data directory (overrides storage.dataDir)')
    .option('--min-examples <n>', 'a hashtag needs this many training posts', positiveInt, 3)
    .option('--max-tags <n>', 'most hashtags learnt (the most used)', positiveInt, 200)
    .addHelpText(
      'after',
      '\nAlso reads from `hamlet train`: --kind (logistic|knn), --held-out (newest share, default 0.2), --k (kNN neighbours), --out (default <models.dir>/heads), -c/--config.' +
        '\nPosts are embedded with the active embedding model; the head is used only over that model.',
    )
    .action(function (this: Command) {
      const opts = this.optsWithGlobals<Opts>();
      return runTool(async () => {
        const config = loadDataConfig({ config: opts.config, data: opts.dataDir });
        const log = toolLogger(config);
        const kinds = config.labels.kinds.filter((k) => !NEVER_LABELLED.has(k) && !config.nips.restrictedKinds.includes(k));
        const store = openStore(config, { mustExist: true });
        const posts: NostrEvent[] = [];
        try {
          for (const rec of scanRecords(store.tables, { kinds }, { order: 'oldest' })) {
            const e = rec.event();
            if (e.tags.some((t) => t[0] === 't')) posts.push(e);
          }
        } finally {
          await store.close();
        }
        process.stderr.write(`tags: ${posts.length} posts with hashtags (kinds ${kinds.join(', ')})\n`);
        const models = await openModels(config.models, { log });
        try {
          const name = config.labels.tagsHead || 'tags';
          const { card, files } = await trainTags({
            posts,
            embedder: models.embedder,
            kind: opts.kind === 'knn' ? 'knn' : 'logistic',
            heldOutFraction: Number(opts.heldOut ?? 0.2),
            knnK: Number(opts.k ?? 10),
            minExamples: opts.minExamples,
            maxTags: opts.maxTags,
            name,
            outDir: opts.out ?? join(config.models.dir, 'heads'),
            progress: progressLine('tags: embedding'),
          }).catch((err: Error): TrainedTags => {
            throw err instanceof TagsDataError ? new UsageError(`train tags: ${err.message}`) : err;
          });
          const ev = card.evaluation;
          const f = (x: number) => x.toFixed(3);
          console.log(
            `${name}: ${card.kind} over ${card.baseModel.id}@${card.baseModel.version}, ${card.counts.labels} hashtags, ` +
              `${card.counts.train} train / ${card.counts.heldOut} held out (the newest)\n` +
              `held-out precision@${ev.tagger.k} ${f(ev.tagger.precisionAtK)}, recall@${ev.tagger.k} ${f(ev.tagger.recallAtK)}\n` +
              `baseline (${ev.baseline.tags.map((t) => '#' + t).join(' ')} for every post): precision@${ev.baseline.k} ${f(ev.baseline.precisionAtK)}, recall@${ev.baseline.k} ${f(ev.baseline.recallAtK)}\n` +
              (ev.beatsBaseline
                ? 'beats the baseline: the labeler and the tagging DVM will use it'
                : 'does not beat the baseline: the labeler and the tagging DVM keep the vocabulary tagger') +
              `\nwrote ${files!.head}\n      ${files!.card}`,
          );
        } finally {
          await models.close();
        }
      });
    });
}
