import { Command } from 'commander';
import { MEANING_DEFAULTS, meaningFile, postTokens, saveMeaning, trainMeaning } from '../../models/index.ts';
import { MEANING_KINDS } from '../../models/meaning/corpus.ts';
import { openStore } from '../../relay/core.ts';
import { UsageError } from '../tools/filter.ts';
import { scanRecords } from '../tools/records.ts';
import { loadDataConfig, positiveInt, runTool } from '../tools/options.ts';

interface Opts {
  config?: string;
  dataDir?: string;
  maxPosts?: number;
  dims?: number;
}

/**
 * `hamlet train meaning`: learns the village's word vectors from the newest stored posts (what
 * the relay does by itself every models.meaning.retrainHours) and writes
 * <models.dir>/meaning/village-meaning.json; a running relay takes it up within 30 s and embeds
 * its window of posts again. Posts of NIP-29 groups are left out here (the relay, which knows
 * which groups opted in, includes theirs).
 */
export function trainMeaningCommand(): Command {
  return new Command('meaning')
    .description("Learn what words mean in this village from its own posts (co-occurrence word vectors); feeds, tags and labels use them")
    .option('--data-dir <dir>', 'data directory (overrides storage.dataDir)')
    .option('--max-posts <n>', 'newest posts to learn from (default models.meaning.maxPosts)', positiveInt)
    .option('--dims <n>', 'dimensions of the word vectors (default models.meaning.dims)', positiveInt)
    .action(function (this: Command) {
      const opts = this.optsWithGlobals<Opts>();
      return runTool(async () => {
        const config = loadDataConfig({ config: opts.config, data: opts.dataDir });
        const max = opts.maxPosts ?? config.models.meaning.maxPosts;
        const store = openStore(config, { mustExist: true });
        const docs: string[][] = [];
        try {
          for (const rec of scanRecords(store.tables, { kinds: MEANING_KINDS }, { order: 'newest' })) {
            const e = rec.event();
            if (e.tags.some((t) => t[0] === 'h')) continue;
            const tokens = postTokens(e);
            if (tokens.length > 0) docs.push(tokens);
            if (docs.length >= max) break;
          }
        } finally {
          await store.close();
        }
        process.stderr.write(`meaning: ${docs.length} posts read\n`);
        let result;
        try {
          result = trainMeaning(() => docs, { ...MEANING_DEFAULTS, dims: opts.dims ?? config.models.meaning.dims, onProgress: (stage) => process.stderr.write(`meaning: ${stage}\n`) });
        } catch (err) {
          throw new UsageError(`train meaning: ${(err as Error).message}`);
        }
        const file = meaningFile(config.models.dir);
        const m = saveMeaning(file, result);
        const s = m.stats;
        console.log(
          `meaning ${m.version}: ${s.vocabulary.toLocaleString('en')} words × ${s.dims} dimensions from ${s.documents.toLocaleString('en')} posts ` +
            `(${s.pairs.toLocaleString('en')} word pairs, ${s.seconds.toFixed(1)} s)\nwrote ${file}` +
            (config.models.meaning.enabled ? '' : '\nnote: models.meaning.enabled is false, so nothing uses it until it is turned on'),
        );
      });
    });
}
