import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideLabels } from '../../dvms/labels/decide.ts';
import { labelsSection } from '../../config/sections/labels.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, until } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { dvmPubkey, items, RawClient, runJob } from '../dvms/helpers.ts';

/**
 * Labels only where they say something (issue 15): nothing below the confidence floor, no
 * topic the post already carries as a hashtag, no language the post already states or that
 * the village speaks anyway, and a budget for the start-up backfill.
 */
const GARDEN_EN = 'Our gardening club planted tomatoes and beans in the village plot this weekend, everyone is welcome to help.';
const GARDEN_DE = 'Unser Gartenverein hat am Wochenende Tomaten und Bohnen im Dorfgarten gepflanzt, alle sind willkommen.';

const labelsOn = (relay: TestRelay, id: string): NostrEvent[] => relay.services.query([{ kinds: [1985], authors: [relay.labeler!.key.pubkey], tags: new Map([['e', [id]]]) }]);
const values = (labels: NostrEvent[], ns: string): string[] =>
  labels.filter((l) => l.tags.some((t) => t[0] === 'L' && t[1] === ns)).flatMap((l) => l.tags.filter((t) => t[0] === 'l').map((t) => t[1]!));

describe('labels that say something', () => {
  let relay: TestRelay;
  const author = new Author();

  beforeAll(async () => {
    relay = await startTestRelay({ labels: { enabled: true, vocabulary: ['gardening', 'bitcoin'] } });
  });
  afterAll(() => relay.destroy());

  async function post(content: string, tags: string[][] = []): Promise<NostrEvent> {
    const e = author.sign({ content, tags });
    const before = relay.labeler!.stats.labelled;
    expect((await relay.services.publish(e)).ok).toBe(true);
    await until(() => relay.labeler!.stats.labelled > before);
    return e;
  }

  it('gives no topic label for a hashtag the post already carries; the same post without the tag gets it', async () => {
    const tagged = await post(GARDEN_EN, [['t', 'Gardening']]);
    expect(values(labelsOn(relay, tagged.id), '#t')).not.toContain('gardening');
    const untagged = await post(`${GARDEN_EN} Again.`);
    expect(values(labelsOn(relay, untagged.id), '#t')).toContain('gardening');
  });

  it('gives no language label a post already states about itself; without it, the language is labelled', async () => {
    const stated = await post(GARDEN_DE, [['L', 'ISO-639-1'], ['l', 'de', 'ISO-639-1']]);
    expect(values(labelsOn(relay, stated.id), 'ISO-639-1')).toEqual([]);
    const plain = await post(`${GARDEN_DE} Danke!`);
    expect(values(labelsOn(relay, plain.id), 'ISO-639-1')).toEqual(['de']);
  });
});

describe('the confidence floor', () => {
  it('no label below labels.minConfidence, whatever the namespace thresholds say', () => {
    const c = labelsSection.parse({ minTopicScore: 0, minConfidence: 0.95 });
    const on = { topic: true, language: false, contentWarning: false, toxicity: false };
    const topics = [
      { tag: 'gardening', score: 1 },
      { tag: 'tomatoes', score: 0.9 },
      { tag: 'weather', score: 0.2 },
    ];
    const decided = decideLabels({ text: GARDEN_EN, topics, topicModels: [{ id: 't', version: '1' }] }, on, c);
    expect(decided.flatMap((d) => d.labels.map((l) => l.value))).toEqual(['gardening']);
    // the floor off: the namespace threshold alone decides
    const all = decideLabels({ text: GARDEN_EN, topics, topicModels: [{ id: 't', version: '1' }] }, on, { ...c, minConfidence: 0 });
    expect(all.flatMap((d) => d.labels.map((l) => l.value))).toEqual(['gardening', 'tomatoes', 'weather']);
    // nothing left: no decision at all (no empty label event)
    expect(decideLabels({ text: GARDEN_EN, topics: [topics[2]!], topicModels: [{ id: 't', version: '1' }] }, on, c)).toEqual([]);
  });
});

describe("the village's usual language", () => {
  let relay: TestRelay;
  let client: RawClient;
  const alice = new Author();
  const bob = new Author();

  beforeAll(async () => {
    relay = await startTestRelay({ labels: { enabled: true, villageLanguage: 'en' }, dvms: { enabled: true, feeds: ['following'] } });
    client = await RawClient.open(relay.url);
  });
  afterAll(async () => {
    client.close();
    await relay.destroy();
  });

  it('is not labelled; other languages are; feeds read an unlabelled post as written in it', async () => {
    expect((await client.publish(alice.sign({ kind: 3, tags: [['p', bob.pubkey]] })))[0]).toBe(true);
    const en = bob.sign({ content: GARDEN_EN });
    const de = bob.sign({ content: GARDEN_DE });
    const before = relay.labeler!.stats.labelled;
    for (const e of [en, de]) expect((await client.publish(e))[0]).toBe(true);
    await until(() => relay.labeler!.stats.labelled === before + 2);
    expect(values(labelsOn(relay, en.id), 'ISO-639-1')).toEqual([]);
    expect(values(labelsOn(relay, de.id), 'ISO-639-1')).toEqual(['de']);
    const dvm = dvmPubkey(relay, 'feed-following');
    const feed = async (language: string) =>
      items((await runJob(client, alice.sign({ kind: 5300, tags: [['p', dvm], ['param', 'language', language], ['param', 'client_nonce', language]] }))).result!).map((i) => i[1]);
    await until(() => relay.dvms!.signals!.labels.languages.has(de.id));
    expect(await feed('de')).toEqual([de.id]);
    expect(await feed('en')).toEqual([en.id]);
  });
});

describe('the backfill budget', () => {
  it('labels at most labels.backfillMaxPosts posts at start: the newest unlabelled ones', async () => {
    const first = await startTestRelay({});
    const dataDir = first.dataDir;
    const author = new Author();
    const now = Math.floor(Date.now() / 1000);
    const posts = Array.from({ length: 8 }, (_, i) => author.sign({ content: `${GARDEN_DE} Beitrag ${i}.`, created_at: now - 3600 + i * 60 }));
    for (const e of posts) expect((await first.services.publish(e)).ok).toBe(true);
    await first.close();

    const second = await startTestRelay({ storage: { dataDir }, labels: { enabled: true, backfillMaxPosts: 3 } });
    try {
      await until(() => second.labeler!.stats.labelled === 3);
      await second.labeler!.idle();
      expect(second.labeler!.stats.labelled).toBe(3);
      const labelled = posts.filter((p) => labelsOn(second, p.id).length > 0).map((p) => p.id);
      expect(labelled).toEqual(posts.slice(-3).map((p) => p.id));
    } finally {
      await second.destroy();
    }
  });
});
