import { join } from 'node:path';
import { fitHeadInWorker, type Embedder } from '../../models/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { RelayServices } from '../../relay/services.ts';
import { pagesOf } from '../../relay/util/pagesOf.ts';
import { NEVER_LABELLED } from './labeler.ts';
import { TagsDataError, trainTags, type TrainedTags } from '../tags/train.ts';

/** Newest tagged posts a retraining reads. */
const MAX_POSTS = 20_000;

/**
 * Trains the village tagger again inside the relay, as `hamlet train tags` does, over the
 * embedder in use now: run after the meaning model changed, since a head is only used over the
 * model it was trained on. Posts are embedded in batches on the relay's thread (the embedder
 * is cheap or pooled); the head is fitted in a worker thread. Resolves undefined when there is
 * not enough to learn from (logged), or tagsHead is empty.
 */
export async function retrainTags(services: RelayServices, embedder: Embedder): Promise<TrainedTags | undefined> {
  const { config, log } = services;
  const name = config.labels.tagsHead;
  if (!name) return undefined;
  const kinds = config.labels.kinds.filter((k) => !NEVER_LABELLED.has(k) && !config.nips.restrictedKinds.includes(k));
  const posts: NostrEvent[] = [];
  for (const page of pagesOf(services, { kinds })) {
    for (const e of page) if (e.tags.some((t) => t[0] === 't') && services.modelMayRead(e)) posts.push(e);
    if (posts.length >= MAX_POSTS) break;
    await new Promise((r) => setImmediate(r));
  }
  try {
    const trained = await trainTags({ posts, embedder, name, outDir: join(config.models.dir, 'heads'), fit: fitHeadInWorker });
    const ev = trained.card.evaluation;
    log.info(
      { head: name, posts: trained.card.counts.examples, tags: trained.card.counts.labels, precisionAt3: ev.tagger.precisionAtK, baseline: ev.baseline.precisionAtK, used: ev.beatsBaseline, model: `${embedder.info.id}@${embedder.info.version}` },
      `tags: retrained over the new embedding (${ev.beatsBaseline ? 'beats' : 'does not beat'} the most-used-tags baseline)`,
    );
    return trained;
  } catch (err) {
    if (err instanceof TagsDataError) {
      log.info({ head: name, reason: err.message }, 'tags: not retrained');
      return undefined;
    }
    throw err;
  }
}
