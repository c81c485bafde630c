import { join } from 'node:path';
import type { DvmPlugContext } from '../index.ts';
import { inlineVillageEmbedder } from '../../models/index.ts';
import type { Tagger } from './tagger.ts';
import { VillageTagger } from './village.ts';
import { VillageVocabulary } from './vocabulary.ts';

export { trainTags, type TagsModelCard, type TrainTagsOptions, type TrainedTags } from './train.ts';
export { VillageTagger } from './village.ts';
export { VillageVocabulary } from './vocabulary.ts';

/** The village tagger over the active models (or the in-thread built-ins), from the labels config. */
export function villageTagger(ctx: Pick<DvmPlugContext, 'services' | 'models'>): VillageTagger {
  const { config, log } = ctx.services;
  const vocabulary = new VillageVocabulary(ctx.services, { fixed: config.labels.vocabulary, size: config.labels.vocabularySize, kinds: config.labels.kinds });
  return new VillageTagger({
    embedder: ctx.models?.embedder ?? inlineVillageEmbedder(ctx.services.config.models),
    vocabulary,
    headsDir: join(config.models.dir, 'heads'),
    headName: config.labels.tagsHead,
    log,
  });
}
