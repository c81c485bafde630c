import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Author, Relay, fetchEvents, publish, until } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { verifyEvent } from 'nostr-tools';

const labelsOf = async (client: Relay, id: string): Promise<NostrEvent[]> => (await fetchEvents(client, [{ kinds: [1985], '#e': [id] }])).events;
const byNs = (events: NostrEvent[], ns: string) => events.find((e) => e.tags.some((t) => t[0] === 'L' && t[1] === ns));
const values = (e: NostrEvent | undefined) => (e?.tags ?? []).filter((t) => t[0] === 'l').map((t) => t[1]);

describe('village labeler', () => {
  let relay: TestRelay;
  let client: Relay;
  const alice = new Author();

  beforeAll(async () => {
    relay = await startTestRelay({ labels: { enabled: true, vocabulary: ['gardening', 'bitcoin'], kinds: [1, 30023, 4, 1059, 1985] } });
    client = await Relay.connect(relay.url);
  });
  afterAll(async () => {
    client.close();
    await relay.destroy();
  });

  /** Publishes a post and waits until the labeler has dealt with it. */
  async function post(content: string, kind = 1, tags: string[][] = []): Promise<NostrEvent> {
    const e = alice.sign({ kind, content, tags });
    const before = relay.labeler!.stats.labelled;
    expect((await publish(client, e)).ok).toBe(true);
    // labels are published (and committed) before a post counts as labelled
    await until(() => relay.labeler!.stats.labelled > before);
    return e;
  }

  it('keeps its key in the data directory, mode 0600', () => {
    const file = join(relay.dataDir, 'labeler.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(relay.labeler!.key.pubkey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('labels a new post: topic, language, each label a decision record', async () => {
    const e = await post('Our gardening club planted tomatoes and beans in the village plot this weekend, everyone is welcome to help.');
    const labels = await labelsOf(client, e.id);
    for (const l of labels) {
      expect(verifyEvent(l as never)).toBe(true);
      expect(l.pubkey).toBe(relay.labeler!.key.pubkey);
      const L = l.tags.filter((t) => t[0] === 'L').map((t) => t[1]);
      expect(L).toHaveLength(1); // one namespace per label event
      for (const t of l.tags.filter((t) => t[0] === 'l')) {
        expect(t[2]).toBe(L[0]); // mark matches the namespace
        expect(Number(t[3])).toBeGreaterThan(0);
        expect(Number(t[3])).toBeLessThanOrEqual(1);
      }
      expect(l.tags).toContainEqual(['e', e.id, relay.url]);
      expect(l.tags.some((t) => t[0] === 'p')).toBe(false); // the post is labelled, not its author
      expect(l.tags.filter((t) => t[0] === 'model').length).toBeGreaterThan(0);
    }
    expect(values(byNs(labels, 'ISO-639-1'))).toEqual(['en']);
    expect(byNs(labels, 'ISO-639-1')!.tags).toContainEqual(['model', 'franc', '6.2.0']);
    expect(values(byNs(labels, '#t'))).toContain('gardening');
    expect(byNs(labels, '#t')!.tags.find((t) => t[0] === 'model')![1]).toBe('hamlet/vocabulary-tagger');
  });

  it('labels languages other than English', async () => {
    const e = await post('Die Tomaten in unserem Dorfgarten sind endlich reif, und wir teilen sie am Samstag auf dem Markt.');
    expect(values(byNs(await labelsOf(client, e.id), 'ISO-639-1'))).toEqual(['de']);
  });

  it('labels toxicity and content warnings, and they are queryable by #L and #l', async () => {
    const e = await post('You are a stupid idiot and a worthless moron, shut up and go to hell!');
    const labels = await labelsOf(client, e.id);
    const toxic = byNs(labels, 'village.hamlet.toxicity')!;
    expect(values(toxic)).toContain('insult');
    expect(toxic.tags).toContainEqual(['model', 'hamlet/builtin-lexicon-toxicity', '1']);
    expect(values(byNs(labels, 'content-warning'))).toContain('offensive');
    const { events: byL } = await fetchEvents(client, [{ kinds: [1985], '#L': ['village.hamlet.toxicity'] }]);
    expect(byL.map((x) => x.id)).toContain(toxic.id);
    const { events: byl } = await fetchEvents(client, [{ kinds: [1985], '#l': ['insult'], authors: [relay.labeler!.key.pubkey] }]);
    expect(byl.map((x) => x.id)).toContain(toxic.id);
    const nsfw = await post('nsfw: the photos from the art class are nude studies');
    expect(values(byNs(await labelsOf(client, nsfw.id), 'content-warning'))).toContain('nsfw');
  });

  it('never labels DMs, gift wraps or labels (no loop), even when configured to', async () => {
    const bob = new Author();
    const dm = alice.sign({ kind: 4, content: 'You are a stupid idiot, this is a long private message in English.', tags: [['p', bob.pubkey]] });
    const wrap = alice.sign({ kind: 1059, content: 'You are a stupid idiot, this is a long gift wrapped message.', tags: [['p', bob.pubkey]] });
    const label = alice.sign({ kind: 1985, content: 'You are a stupid idiot, said in a label event in English.', tags: [['L', 'x'], ['l', 'y', 'x'], ['e', dm.id]] });
    const before = relay.labeler!.stats.labelled;
    for (const e of [dm, wrap, label]) expect((await publish(client, e)).ok).toBe(true);
    // a post after them: once it is labelled, the three were heard and passed over
    const after = await post('A short note in English to follow the private messages of today.');
    expect((await labelsOf(client, after.id)).length).toBeGreaterThan(0);
    expect(relay.labeler!.stats.labelled).toBe(before + 1);
    const aboutThem = relay.services.query([{ kinds: [1985], authors: [relay.labeler!.key.pubkey], tags: new Map([['e', [dm.id, wrap.id, label.id]]]) }]);
    expect(aboutThem).toHaveLength(0);
  });
});

describe('village labeler, namespaces switched off', () => {
  it('publishes only the namespaces that are on', async () => {
    const relay = await startTestRelay({ labels: { enabled: true, language: false, toxicity: false, topic: false } });
    const client = await Relay.connect(relay.url);
    try {
      const e = new Author().sign({ content: 'You are a stupid idiot and a worthless moron, nsfw, the whole village knows it.' });
      expect((await publish(client, e)).ok).toBe(true);
      await until(() => relay.labeler!.stats.labelled === 1);
      await relay.labeler!.idle();
      const labels = await labelsOf(client, e.id);
      expect(labels.map((l) => l.tags.find((t) => t[0] === 'L')![1])).toEqual(['content-warning']);
    } finally {
      client.close();
      await relay.destroy();
    }
  });

  it('is off in the test helper unless configured, and off when labels.enabled is false', async () => {
    const relay = await startTestRelay({});
    expect(relay.labeler).toBeUndefined();
    await relay.destroy();
  });
});

describe('village labeler and the feeds', () => {
  it("feeds trust the labeler's key: a post it labels nsfw leaves the feed, by the default hide_labels", async () => {
    const relay = await startTestRelay({ labels: { enabled: true }, dvms: { enabled: true, feeds: ['following'] } });
    const { RawClient, runJob } = await import('../dvms/helpers.ts');
    const client = await RawClient.open(relay.url);
    try {
      const alice = new Author();
      const bob = new Author();
      expect((await client.publish(alice.sign({ kind: 3, tags: [['p', bob.pubkey]] })))[0]).toBe(true);
      const plain = bob.sign({ content: 'Photos from the village fair, the pie contest was lovely this year.' });
      const flagged = bob.sign({ content: 'nsfw: the figure drawing class photos are nude studies, not for work' });
      const before = relay.labeler!.stats.labelled;
      for (const e of [plain, flagged]) expect((await client.publish(e))[0]).toBe(true);
      await until(() => relay.labeler!.stats.labelled === before + 2);
      const dvm = relay.dvms!.dvms.find((d) => d.id === 'feed-following')!.pubkey;
      const { result } = await runJob(client, alice.sign({ kind: 5300, tags: [['p', dvm]] }));
      const ids = (JSON.parse(result!.content) as string[][]).map((t) => t[1]);
      expect(ids).toContain(plain.id);
      expect(ids).not.toContain(flagged.id);
      // control: with nothing hidden, the post is there
      const all = await runJob(client, alice.sign({ kind: 5300, tags: [['p', dvm], ['param', 'hide_labels', 'none']] }));
      expect((JSON.parse(all.result!.content) as string[][]).map((t) => t[1])).toContain(flagged.id);
    } finally {
      client.close();
      await relay.destroy();
    }
  });
});

describe('village labeler under a flood', () => {
  it('keeps at most labels.queueSize posts waiting: the oldest waiting are skipped and counted', async () => {
    const relay = await startTestRelay({ labels: { enabled: true, queueSize: 2, batchSize: 1 } });
    try {
      const author = new Author();
      const posts = Array.from({ length: 40 }, (_, i) => author.sign({ content: `Post number ${i} of a very busy morning in the village square.` }));
      const results = await Promise.all(posts.map((e) => relay.services.publish(e)));
      expect(results.every((r) => r.ok)).toBe(true);
      await until(() => relay.labeler!.stats.labelled + relay.labeler!.stats.skipped === 40);
      await relay.labeler!.idle();
      expect(relay.labeler!.stats.skipped).toBeGreaterThan(0);
      expect(relay.labeler!.stats.labelled).toBeLessThan(40);
    } finally {
      await relay.destroy();
    }
  });
});

describe('village labeler backfill', () => {
  it('at start labels recent posts it has not labelled yet, once', async () => {
    const first = await startTestRelay({});
    const dataDir = first.dataDir;
    const author = new Author();
    const posts = [
      author.sign({ content: 'Die Tomaten in unserem Dorfgarten sind endlich reif, und wir teilen sie am Samstag.' }),
      author.sign({ content: 'Les tomates de notre jardin du village sont enfin mûres, nous les partagerons samedi.' }),
      author.sign({ content: 'An old post from last month about the village garden and its tomatoes.', created_at: Math.floor(Date.now() / 1000) - 30 * 86400 }),
    ];
    for (const e of posts) expect((await first.services.publish(e)).ok).toBe(true);
    await first.close();

    const labelsFor = (relay: TestRelay) => relay.services.query([{ kinds: [1985], tags: new Map([['e', posts.map((p) => p.id)]]) }]);
    const second = await startTestRelay({ storage: { dataDir }, labels: { enabled: true } });
    await until(() => second.labeler!.stats.labelled === 2);
    await second.labeler!.idle();
    const labels = labelsFor(second);
    const languages = labels.filter((l) => l.tags.some((t) => t[0] === 'L' && t[1] === 'ISO-639-1')).map((l) => l.tags.find((t) => t[0] === 'l')![1]);
    expect(languages.sort()).toEqual(['de', 'fr']); // not the month-old post
    await second.close();

    const third = await startTestRelay({ storage: { dataDir }, labels: { enabled: true } });
    await third.labeler!.idle();
    expect(third.labeler!.stats.labelled).toBe(0);
    expect(labelsFor(third)).toHaveLength(labels.length);
    await third.destroy();
  });
});
