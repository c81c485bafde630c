import { join } from 'node:path';
import { Command } from 'commander';
import { openModels, wordingEmbedder } from '../../models/index.ts';
import { CaseStore } from '../../moderation/caseStore.ts';
import { HeadRegistry, trainModerationHead, type TrainedVersion } from '../../moderation/index.ts';
import { openStore } from '../../relay/core.ts';
import { modelReadRule, readGroups } from '../../groups/index.ts';
import { UsageError } from '../tools/filter.ts';
import { toolLogger } from '../tools/local.ts';
import { loadDataConfig, runTool } from '../tools/options.ts';

/**
 * `hamlet train moderation`: a new version of the village moderation head, trained on the final
 * decisions of the village's cases (upheld → hide, overturned → keep), with its model card. It is
 * pending until an operator approves it (`hamlet moderation model approve <version>`).
 */
export function trainModerationCommand(): Command {
  return new Command('moderation')
    .description('Train a new version of the village moderation head on final moderation decisions (used only once approved)')
    .option('--data-dir <dir>', 'data directory (overrides storage.dataDir)')
    .addHelpText('after', '\nAlso reads -c/--config from `hamlet train`. Decisions are embedded with the active embedding model.')
    .action(function (this: Command) {
      const opts = this.optsWithGlobals<{ config?: string; dataDir?: string }>();
      return runTool(async () => {
        const config = loadDataConfig({ config: opts.config, data: opts.dataDir });
        const store = openStore(config, { mustExist: true });
        const cases = (() => {
          try {
            // no model learns from a NIP-29 group that has not opted in to the village's AI
            const groups = readGroups(store.env);
            const mayRead = modelReadRule((id) => groups.get(id));
            return new CaseStore(store.env).list().filter((c) => mayRead(c.event));
          } finally {
            void store.close();
          }
        })();
        const registry = new HeadRegistry(join(config.models.dir, 'heads'), config.moderation.head);
        const before = registry.read().versions.at(-1);
        const models = await openModels(config.models, { log: toolLogger(config) });
        try {
          const { version, card } = await trainModerationHead({ cases, embedder: wordingEmbedder(models.embedder), registry }).catch((err: Error): TrainedVersion => {
            throw new UsageError(`train moderation: ${err.message}`);
          });
          const per = card.counts.perLabel;
          console.log(
            `${version.name}: ${card.kind} over ${card.baseModel.id}@${card.baseModel.version}, ${card.counts.examples} final decisions (${per.hide ?? 0} hide, ${per.keep ?? 0} keep), ` +
              `${card.counts.train} train / ${card.counts.heldOut} held out; held-out macro F1 ${card.metrics.macroF1.toFixed(3)}` +
              (before ? ` (v${before.version}: ${before.examples} decisions, macro F1 ${before.macroF1.toFixed(3)})` : '') +
              `\npending: it scores new cases once approved: hamlet moderation model approve ${version.version}`,
          );
        } finally {
          await models.close();
        }
      });
    });
}
