import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VillageVocabulary } from '../../dvms/tags/vocabulary.ts';
import { VocabularyTagger } from '../../dvms/tags/tagger.ts';
import { inlineEmbedder } from '../../models/index.ts';
import type { Embedder } from '../../models/index.ts';
import { Author } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';

describe('village vocabulary and the vocabulary tagger', () => {
  let relay: TestRelay;
  const author = new Author();
  let n = 0;
  const post = (tags: string[], kind = 1) => relay.services.publish(author.sign({ kind, content: `post ${n++}`, tags: tags.map((t) => ['t', t]) }));

  beforeAll(async () => {
    relay = await startTestRelay();
    for (const tags of [['Gardening'], ['#gardening', 'bees'], ['bees'], ['once'], ['bad tag!'], ['bad tag!']]) await post(tags);
    await post(['secret'], 4);
    await post(['secret'], 4);
  });
  afterAll(() => relay.destroy());

  it('is the configured topics plus hashtags used at least twice on posts, normalised, most used first', async () => {
    const vocabulary = new VillageVocabulary(relay.services, { fixed: ['Music'], size: 10, kinds: [1, 30023] });
    expect(vocabulary.terms()).toEqual(['music', 'bees', 'gardening']);
    const v = vocabulary.version;
    await post(['once']);
    await post(['once']);
    // After-commit hooks run on a later turn than the OK.
    await relay.relay.drain();
    expect(vocabulary.terms()).toEqual(['music', 'once', 'bees', 'gardening']);
    expect(vocabulary.version).toBe(v + 1);
    vocabulary.close();
  });

  it('scores written hashtags and words above similarity, and embeds each term once', async () => {
    const inner = inlineEmbedder();
    const embedded: string[] = [];
    const counting: Embedder = { ...inner, embed: (texts) => (embedded.push(...texts), inner.embed(texts)) };
    let terms = ['gardening', 'bees', 'music'];
    const vocabulary = { terms: () => terms, version: 1 };
    const tagger = new VocabularyTagger(counting, vocabulary);
    const [a, b] = await tagger.suggest(['#bees in the garden today', 'my gardening plans'], 3);
    expect(a![0]).toEqual({ tag: 'bees', score: 1 });
    expect(b![0]).toEqual({ tag: 'gardening', score: 0.9 });
    terms = ['music', 'bees', 'gardening', 'chess'];
    vocabulary.version = 2;
    embedded.length = 0;
    await tagger.suggest(['chess club'], 1);
    expect(embedded).toEqual(['chess', 'chess club']);
  });
});
