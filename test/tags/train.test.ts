import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { TagsDataError, trainTags, type TagsModelCard } from '../../dvms/tags/train.ts';
import { VillageTagger } from '../../dvms/tags/village.ts';
import { mostFrequentTags, rankingScore } from '../../dvms/tags/evaluate.ts';
import { plainText } from '../../dvms/tags/text.ts';
import { inlineEmbedder } from '../../models/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author } from '../helpers/client.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { hamlet } from '../cli/helpers.ts';
import { tempDir } from '../models/helpers.ts';
import { VILLAGE_TOPICS, villagePosts } from './syntheticVillage.ts';

const asEvents = (n: number, seed?: number): NostrEvent[] =>
  villagePosts(n, { seed }).map((p, i) => ({ ...p, id: i.toString(16).padStart(64, '0'), pubkey: '0'.repeat(64), kind: 1, sig: '' }));
const silent = pino({ level: 'silent' });

describe('ranking metrics', () => {
  it('precision@k and recall@k as defined, against the most-used-tags baseline', () => {
    expect(mostFrequentTags([['a'], ['a', 'b'], ['c'], ['b'], ['a']], 2)).toEqual(['a', 'b']);
    const s = rankingScore([['a', 'b', 'c'], ['x', 'y', 'z'], ['q']], [['a', 'c'], ['y'], []], 3);
    expect(s.posts).toBe(2); // posts without tags do not count
    expect(s.precisionAtK).toBeCloseTo((2 / 3 + 1 / 3) / 2);
    expect(s.recallAtK).toBeCloseTo((1 + 1) / 2);
  });

  it('trains on text without the inline hashtags (no copying)', () => {
    expect(plainText('ripe #tomatoes today https://x.org/a nostr:npub1sg6plzptd64u62a878hep2kev88swjh3tw00gjsfl8f237lmu63q0uf63m', { hashtags: 'drop' })).toBe('ripe today');
    expect(plainText('ripe #tomatoes today', { hashtags: 'words' })).toBe('ripe tomatoes today');
  });
});

describe('trainTags on a synthetic village whose right tags are known', () => {
  const dir = tempDir('hamlet-tags-');
  afterAll(() => dir.remove());

  it('holds out the newest fifth, beats the most-used-tags baseline, writes head and card', async () => {
    const posts = asEvents(500).reverse(); // any order in
    const progress: number[] = [];
    const { head, card, files } = await trainTags({ posts, embedder: inlineEmbedder(), outDir: dir.path, chunk: 100, progress: (d) => progress.push(d) });
    expect(progress).toEqual([0, 100, 200, 300, 400, 500]);
    expect(card.counts).toMatchObject({ examples: 500, train: 400, heldOut: 100, labels: 8 });
    expect(card.dataWindow).toEqual({ since: 1_700_000_000, until: 1_700_000_000 + 499 * 300 });
    const ev = card.evaluation;
    expect(ev.heldOut).toBe('newest');
    expect(ev.baseline.tags).toEqual(['gardening', 'bitcoin', 'music']);
    expect(ev.tagger.precisionAtK).toBeGreaterThan(ev.baseline.precisionAtK + 0.05);
    expect(ev.tagger.recallAtK).toBeGreaterThan(0.85);
    expect(ev.beatsBaseline).toBe(true);
    expect(head.labels).toEqual(Object.keys(VILLAGE_TOPICS).sort());
    expect(JSON.parse(readFileSync(files!.card, 'utf8'))).toEqual(card);
    expect(existsSync(files!.head)).toBe(true);
  });

  it('the tagger switches to the head only when its card beats the baseline over the active model', async () => {
    const heads = join(dir.path, 'switch');
    await trainTags({ posts: asEvents(300), embedder: inlineEmbedder(), outDir: heads, kind: 'knn' });
    const vocabulary = { terms: () => ['gardening'], version: 1 };
    const make = () => new VillageTagger({ embedder: inlineEmbedder(), vocabulary, headsDir: heads, headName: 'tags', log: silent, recheckMs: 0 });
    const tagger = make();
    expect(tagger.mode).toBe('trained');
    expect((await tagger.suggest(['sats over lightning into my new wallet, the mempool fees are low'], 3))[0]![0]!.tag).toBe('bitcoin');
    const cardFile = join(heads, 'tags.card.json');
    const card = JSON.parse(readFileSync(cardFile, 'utf8')) as TagsModelCard;
    writeFileSync(cardFile, JSON.stringify({ ...card, evaluation: { ...card.evaluation, beatsBaseline: false } }));
    expect(make().mode).toBe('vocabulary');
    writeFileSync(cardFile, JSON.stringify({ ...card, baseModel: { ...card.baseModel, version: 'other' } }));
    expect(make().mode).toBe('vocabulary');
    expect(new VillageTagger({ embedder: inlineEmbedder(), vocabulary, headsDir: heads, headName: '', log: silent }).mode).toBe('vocabulary');
  });

  it('refuses a village with too few tagged posts', async () => {
    await expect(trainTags({ posts: asEvents(5), embedder: inlineEmbedder() })).rejects.toBeInstanceOf(TagsDataError);
  });
});

describe('hamlet train tags', () => {
  const dir = tempDir('hamlet-tags-cli-');
  afterAll(() => dir.remove());

  it('trains from the stored posts of a data directory, reports precision@3 / recall@3 against the baseline, shows progress', async () => {
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir);
    const relay = await startTestRelay({ storage: { dataDir } });
    const author = new Author();
    const results = await Promise.all(villagePosts(300).map((p) => relay.services.publish(author.sign({ content: p.content, tags: p.tags, created_at: p.created_at }))));
    expect(results.every((r) => r.ok)).toBe(true);
    // DMs are never training data, even tagged ones
    for (let i = 0; i < 5; i++) await relay.services.publish(author.sign({ kind: 4, content: `private tomatoes ${i}`, tags: [['p', author.pubkey], ['t', 'secret']] }));
    await relay.close();
    const config = join(dir.path, 'hamlet.toml');
    writeFileSync(config, `[models]\ndir = "${join(dir.path, 'models')}"\nembedding = "builtin"\ntoxicity = "builtin"\nworkers = 1\n[log]\nlevel = "warn"\n`);
    const r = await hamlet(['train', 'tags', '-c', config, '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/tags: 300 posts with hashtags/);
    expect(r.stderr).toMatch(/tags: embedding 300\/300/);
    expect(r.stdout).toMatch(/240 train \/ 60 held out \(the newest\)/);
    expect(r.stdout).toMatch(/held-out precision@3 0\.\d+, recall@3 0\.\d+/);
    expect(r.stdout).toMatch(/baseline \(#gardening #bitcoin #music for every post\): precision@3 0\.\d+/);
    expect(r.stdout).toMatch(/beats the baseline/);
    const card = JSON.parse(readFileSync(join(dir.path, 'models', 'heads', 'tags.card.json'), 'utf8')) as TagsModelCard;
    expect(card.evaluation.beatsBaseline).toBe(true);
    expect(Object.keys(card.counts.perLabel)).not.toContain('secret');
  });
});
