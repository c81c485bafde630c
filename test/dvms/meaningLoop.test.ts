import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineVillageEmbedder, loadMeaning, meaningFile, MeaningTrainer, type MeaningEmbedder } from '../../models/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { meaningCorpus } from '../models/meaningCorpus.ts';
import { Author, dvmPubkey, now, RawClient, startDvmRelay } from './helpers.ts';

/**
 * The relay's own loop: once the village has posted enough, the meaning model is learnt in a
 * worker thread; the feeds' signals embed their posts again with it, the tagger is retrained
 * over it and recent posts are relabelled, and the announcements name the model now in use.
 */
let relay: TestRelay;
let client: RawClient;
const authors = Array.from({ length: 8 }, () => new Author());
const posts: NostrEvent[] = [];

beforeAll(async () => {
  relay = await startDvmRelay({
    models: { meaning: { minPosts: 60, dims: 24 } },
    labels: { enabled: true, backfillHours: 0, tagsHead: 'tags' },
    dvms: { heartbeatSeconds: 5 },
    // 240 posts from one test address: the village posts from many
    policies: { remove: ['rateLimit'] },
  });
  client = await RawClient.open(relay.url);
  for (const [i, p] of meaningCorpus(240, 7).entries()) {
    const tags = [...p.text.matchAll(/#(\w+)/g)].map((m) => ['t', m[1]!]);
    const e = authors[i % authors.length]!.sign({ content: p.text.replace(/ #\w+/, ''), tags, created_at: now() - 3000 + i });
    const [ok, msg] = await client.publish(e);
    if (!ok) throw new Error(msg);
    posts.push(e);
  }
}, 60_000);

afterAll(async () => {
  client?.close();
  await relay?.destroy();
});

describe('the meaning loop in the relay (issue 20)', () => {
  it('learns, re-embeds, retrains the tagger, relabels and re-announces', async () => {
    const embedder = relay.dvms!.signals!.embedder as MeaningEmbedder;
    const before = embedder.info.id;
    expect(before).not.toMatch(/village-meaning/);
    await relay.labeler!.idle();
    expect(await relay.meaning!.run()).toBe(true);
    expect(existsSync(meaningFile(relay.config.models.dir))).toBe(true);
    expect(embedder.info.id).toBe(`hamlet/village-meaning+${before}`);
    // the feeds' posts carry vectors of the new model's size
    await relay.dvms!.signals!.flush();
    const sizes = new Set([...relay.dvms!.signals!.posts.posts.values()].map((p) => p.vector?.dims));
    expect([...sizes]).toEqual([embedder.dims]);
    // and every interest profile is rebuilt from them alone (an old-size profile would match no post)
    for (const a of authors) expect(relay.dvms!.signals!.interests.vector(a.pubkey)).toHaveLength(embedder.dims);
    // the tagger was retrained over the new embedding and the recent posts relabelled by it
    expect(relay.labeler!.tagger.mode).toBe('trained');
    const labels = relay.services.query([{ kinds: [1985], authors: [relay.labeler!.key.pubkey], tags: new Map([['L', ['#t']]]) }]);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.some((l) => l.tags.some((t) => t[0] === 'model' && t[1] === 'village/tags'))).toBe(true);
    // within a heartbeat the for-you announcement names the model in use
    const dvm = dvmPubkey(relay, 'feed-for-you');
    await expect
      .poll(() => JSON.parse(relay.services.query([{ kinds: [31990], authors: [dvm], limit: 1 }])[0]!.content).model as string, { timeout: 8000, interval: 250 })
      .toMatch(/^hamlet\/village-meaning\+/);
  }, 60_000);

  it('learns again once the village has posted as much again as the model knows, not before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-growth-'));
    // the test relay learns only when asked; this trainer keeps the model fresh as a relay's does
    const config = { ...relay.config.models, dir, meaning: { ...relay.config.models.meaning, retrainHours: 24 } };
    const trainer = new MeaningTrainer({ services: relay.services, config, log: relay.services.log, growthDelayMs: 100 });
    // the trainer reads the size of the model in use from the embedders that loaded it
    const embedder = inlineVillageEmbedder(config) as MeaningEmbedder;
    try {
      expect(await trainer.run()).toBe(true);
      const first = loadMeaning(meaningFile(dir))!;
      expect(first.stats.documents).toBe(posts.length);
      trainer.start();
      const more = meaningCorpus(posts.length, 8);
      const publish = async (i: number) => {
        const [ok, msg] = await client.publish(authors[i % authors.length]!.sign({ content: more[i]!.text, created_at: now() - 1000 + i }));
        if (!ok) throw new Error(msg);
      };
      for (let i = 0; i < more.length - 1; i++) await publish(i);
      await new Promise((r) => setTimeout(r, 500));
      expect(loadMeaning(meaningFile(dir))!.version).toBe(first.version); // one post short: still the first model
      await publish(more.length - 1);
      await expect.poll(() => loadMeaning(meaningFile(dir))?.stats.documents, { timeout: 20_000, interval: 200 }).toBe(2 * posts.length);
      // and the embedders took it up when told (the file can be seen a moment before the trainer tells them; their own look is 30 s apart)
      await expect.poll(() => embedder.current?.stats.documents, { timeout: 5_000, interval: 50 }).toBe(2 * posts.length);
    } finally {
      await trainer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
