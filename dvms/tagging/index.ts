import type { DvmPlugContext } from '../index.ts';
import type { DvmSpec } from '../types.ts';
import { inlineToxicity } from '../../models/index.ts';
import { villageTagger } from '../tags/index.ts';
import type { Tagger } from '../tags/tagger.ts';
import { taggingDvm } from './dvm.ts';

export { TAGGING_KIND, taggingDvm } from './dvm.ts';

/**
 * The tagging DVM for the runtime's `extra` hook (dvms/index.ts): none when labels.tagsDvm is
 * off. Pass the labeler's tagger to share it (one vocabulary, one head).
 */
export function tagDvmSpecs(ctx: DvmPlugContext, shared?: Tagger): DvmSpec[] {
  const { config } = ctx.services;
  if (!config.labels.tagsDvm) return [];
  return [
    taggingDvm({
      services: ctx.services,
      tagger: shared ?? villageTagger(ctx),
      toxicity: ctx.models?.toxicity ?? inlineToxicity(),
      config: config.labels,
      namePrefix: config.dvms.name,
    }),
  ];
}
