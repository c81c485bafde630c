import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { modelsSection } from '../../config/sections/models.ts';
import { openModels } from '../../models/index.ts';
import { writeTinyModels } from '../fixtures/tinyModels.ts';
import { tempDir } from '../models/helpers.ts';
import { Author, Relay, fetchEvents, publish, until } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';

// The labeler over the relay's model pool with transformers.js models (tiny, generated here).
describe('labeler with transformers.js models in the worker pool', () => {
  const dir = tempDir('hamlet-tags-models-');
  let relay: TestRelay;
  let client: Relay;

  beforeAll(async () => {
    writeTinyModels(dir.path);
    const models = modelsSection.parse({ dir: dir.path, embedding: 'tiny-bert-embed', toxicity: 'tiny-bert-toxic', workers: 1 });
    relay = await startTestRelay(
      { models, labels: { enabled: true, vocabulary: ['sports', 'food', 'music'] } },
      { models: (c) => openModels(c.models, { log: pino({ level: 'silent' }) }) },
    );
    client = await Relay.connect(relay.url);
  });
  afterAll(async () => {
    client.close();
    await relay.destroy();
    dir.remove();
  });

  it('labels with the pooled models and names them; a negative class is never a label', async () => {
    const author = new Author();
    const posts = [
      author.sign({ content: 'the football match tonight, what a game, the team and the coach were great' }),
      author.sign({ content: 'you stupid idiot, you pathetic worthless loser, everyone hates you' }),
    ];
    for (const e of posts) expect((await publish(client, e)).ok).toBe(true);
    await until(() => relay.labeler!.stats.labelled === 2);
    const { events } = await fetchEvents(client, [{ kinds: [1985], '#e': posts.map((p) => p.id) }]);
    const models = new Set(events.flatMap((e) => e.tags.filter((t) => t[0] === 'model').map((t) => t[1])));
    expect(models).toContain('tiny-bert-embed');
    const values = events.flatMap((e) => e.tags.filter((t) => t[0] === 'l').map((t) => t[1]));
    expect(values).not.toContain('non-toxic');
    const topic = events.find((e) => e.tags.some((t) => t[0] === 'e' && t[1] === posts[0]!.id) && e.tags.some((t) => t[0] === 'L' && t[1] === '#t'));
    expect(topic?.tags.find((t) => t[0] === 'l')?.[1]).toBe('sports');
    const toxic = events.find((e) => e.tags.some((t) => t[0] === 'e' && t[1] === posts[1]!.id) && e.tags.some((t) => t[0] === 'L' && t[1] === 'village.hamlet.toxicity'));
    expect(toxic?.tags.find((t) => t[0] === 'l')?.[1]).toBe('toxic');
    expect(toxic?.tags.find((t) => t[0] === 'model')?.[1]).toBe('tiny-bert-toxic');
  });
});
