import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { inlineEmbedder, MEANING_DEFAULTS, MeaningEmbedder, meaningFile, loadMeaning, saveMeaning, trainMeaning } from '../../models/index.ts';
import { meaningTokens } from '../../models/meaning/tokens.ts';
import { dot, tempDir } from './helpers.ts';
import { meaningCorpus } from './meaningCorpus.ts';

const corpus = meaningCorpus();
const train = (dims = 32) => trainMeaning(() => corpus.map((p) => meaningTokens(p.text)), { ...MEANING_DEFAULTS, dims });

describe('the meaning model (models/meaning)', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('puts posts on one topic in other words close, and posts on other topics apart, where the wording model cannot', async () => {
    const { vectors, stats } = train();
    expect(stats.documents).toBe(corpus.length);
    expect(stats.vocabulary).toBeGreaterThan(60);
    const meaning = (t: string) => vectors.embed(meaningTokens(t));
    const [wording] = [inlineEmbedder()];
    const [a, b, c] = await wording.embed(['tomato compost soil', 'lettuce mulch greenhouse', 'guitar drums album']);
    // no word in common: the wording model sees nothing either way
    expect(Math.abs(dot(a!, b!))).toBeLessThan(0.15);
    const same = dot(meaning('tomato compost soil'), meaning('lettuce mulch greenhouse'));
    const other = dot(meaning('tomato compost soil'), meaning('guitar drums album'));
    expect(same).toBeGreaterThan(0.6);
    expect(other).toBeLessThan(0.2);
    expect(same - other).toBeGreaterThan(0.5);
    expect(Math.abs(dot(a!, c!))).toBeLessThan(0.15);
  });

  it('gives an unknown word the sense of the known words that start like it', () => {
    const { vectors } = train();
    expect(vectors.has('telescopes')).toBe(false);
    const v = vectors.word('telescopes')!;
    expect(v).toBeDefined();
    expect(dot(v, vectors.word('nebula')!)).toBeGreaterThan(dot(v, vectors.word('garlic')!));
  });

  it('refuses a corpus too small to learn from, with the reason', () => {
    expect(() => trainMeaning(() => [['one', 'post']], MEANING_DEFAULTS)).toThrow(/too few posts to learn from: 1/);
  });

  it('saves and loads the same vectors; a damaged file is an error naming it and what to do', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = meaningFile(dir.path);
    const saved = saveMeaning(file, train());
    const loaded = loadMeaning(file)!;
    expect(loaded.version).toBe(saved.version);
    expect([...loaded.vectors.embed(['tomato', 'soil'])]).toEqual([...saved.vectors.embed(['tomato', 'soil'])]);
    writeFileSync(file, '{"format": "hamlet-meaning/1", "vocabulary": [');
    expect(() => loadMeaning(file)).toThrow(/village-meaning\.json is damaged .*hamlet train meaning/);
    expect(loadMeaning(`${file}.absent`)).toBeUndefined();
  });

  it('the embedder is the base model until a model is written, then takes it up and tells its listeners', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = meaningFile(dir.path);
    const base = inlineEmbedder();
    const e = new MeaningEmbedder(base, { file, weight: 0.7, recheckMs: 0 });
    expect(e.info).toEqual(base.info);
    expect(e.dims).toBe(base.dims);
    let told = 0;
    e.onChange(() => told++);
    const saved = saveMeaning(file, train(24));
    const [v, w] = await e.embed(['tomato compost soil', 'lettuce mulch greenhouse']);
    expect(e.info.id).toBe(`hamlet/village-meaning+${base.info.id}`);
    expect(e.info.version).toBe(`${saved.version}+${base.info.version}`);
    expect(e.dims).toBe(24 + base.dims);
    expect(v!.length).toBe(e.dims);
    await new Promise((r) => setTimeout(r, 0));
    expect(told).toBe(1);
    // 0.7 of the similarity is meaning: far above what the shared-nothing wording gives
    expect(dot(v!, w!)).toBeGreaterThan(0.4);
    // a damaged file: the embedder keeps the model it had and reports the error
    const errors: string[] = [];
    const f = new MeaningEmbedder(base, { file, weight: 0.7, recheckMs: 0, onError: (err) => errors.push(err.message) });
    writeFileSync(file, 'not json');
    f.recheck(true);
    expect(errors[0]).toMatch(/damaged/);
    expect(f.current?.version).toBe(saved.version);
  });
});
