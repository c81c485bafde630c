import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, loadHead, splitHeldOut, trainHead, trainKnn, trainLogistic, type Example, type ModelCard, type ModelInfo } from '../../models/index.ts';
import { seededRandom } from '../../models/train/dataset.ts';
import { tempDir } from './helpers.ts';

const base: ModelInfo = { id: 'test/embedder', version: '1', provider: 'builtin' };

/**
 * Synthetic labelled set with a known answer: each topic has a centre direction; an example is
 * a noisy mix of the centres of its labels (one or two), normalised.
 */
function syntheticSet(n: number, seed = 11): Example[] {
  const random = seededRandom(seed);
  const dims = 16;
  const topics = ['garden', 'music', 'bitcoin', 'weather'];
  const centres = topics.map((_, t) => Float32Array.from({ length: dims }, (_, j) => (j % topics.length === t ? 1 : 0)));
  return Array.from({ length: n }, (_, i) => {
    const first = i % topics.length;
    const labels = random() < 0.3 ? [topics[first]!, topics[(first + 1) % topics.length]!] : [topics[first]!];
    const v = new Float32Array(dims);
    for (const l of labels) centres[topics.indexOf(l)]!.forEach((x, j) => (v[j]! += x));
    for (let j = 0; j < dims; j++) v[j]! += (random() - 0.5) * 0.6;
    const norm = Math.hypot(...v);
    return { vector: v.map((x) => x / norm), labels, createdAt: 1_700_000_000 + i * 60 };
  });
}

describe('metrics', () => {
  it('computes precision@k, micro and per-label precision/recall/F1 as defined', () => {
    const labels = ['a', 'b'];
    const predictions = [
      { a: 0.9, b: 0.2 }, // a: tp
      { a: 0.8, b: 0.7 }, // a: fp, b: tp
      { a: 0.1, b: 0.4 }, // b: fn
    ];
    const truth = [['a'], ['b'], ['b']];
    const m = evaluate(predictions, truth, labels, { k: 1 });
    expect(m.precisionAtK).toBeCloseTo(2 / 3); // top-1: a ✓, a ✗, b ✓
    expect(m.precision).toBeCloseTo(2 / 3); // tp 2, fp 1
    expect(m.recall).toBeCloseTo(2 / 3); // tp 2, fn 1
    expect(m.f1).toBeCloseTo(2 / 3);
    expect(m.perLabel.a).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(m.perLabel.b).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 2 / 3) / 2);
  });
});

describe('split', () => {
  it('is deterministic for a seed and keeps every example once', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = splitHeldOut(items, 0.2, 7);
    expect(a.heldOut).toHaveLength(10);
    expect([...a.train, ...a.heldOut].sort((x, y) => x - y)).toEqual(items);
    expect(splitHeldOut(items, 0.2, 7)).toEqual(a);
    expect(splitHeldOut(items, 0.2, 8).heldOut).not.toEqual(a.heldOut);
  });
});

describe('heads', () => {
  const examples = syntheticSet(240);
  const { train, heldOut } = splitHeldOut(examples, 0.25, 1);
  const labels = ['bitcoin', 'garden', 'music', 'weather'];

  it('logistic regression learns the topics (held-out F1 near 1)', () => {
    const head = trainLogistic(train, labels, base);
    const m = evaluate(heldOut.map((e) => head.predict(e.vector)), heldOut.map((e) => e.labels), labels);
    expect(m.precisionAtK).toBeGreaterThan(0.95);
    expect(m.f1).toBeGreaterThan(0.9);
  });

  it('kNN learns them too', () => {
    const head = trainKnn(train, labels, base, { k: 7 });
    const m = evaluate(heldOut.map((e) => head.predict(e.vector)), heldOut.map((e) => e.labels), labels, { k: 1, threshold: 0.3 });
    expect(m.precisionAtK).toBeGreaterThan(0.95);
    expect(m.f1).toBeGreaterThan(0.8);
  });

  it('a label that is noise scores no better than chance', () => {
    const random = seededRandom(5);
    const noisy = examples.map((e) => ({ ...e, labels: random() < 0.5 ? ['coin'] : ['flip'] }));
    const split = splitHeldOut(noisy, 0.25, 1);
    const head = trainLogistic(split.train, ['coin', 'flip'], base);
    const m = evaluate(split.heldOut.map((e) => head.predict(e.vector)), split.heldOut.map((e) => e.labels), ['coin', 'flip']);
    expect(m.precisionAtK).toBeLessThan(0.75);
  });
});

describe('trainHead', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  for (const kind of ['logistic', 'knn'] as const) {
    it(`writes a ${kind} head and its model card, and the head loads back identically`, () => {
      const examples = syntheticSet(200);
      const { head, card, files } = trainHead({ name: `topics-${kind}`, kind, examples, baseModel: base, source: 'synthetic', outDir: dir.path, heldOutFraction: 0.2, seed: 3 });
      expect(files).toEqual({ head: join(dir.path, `topics-${kind}.head.json`), card: join(dir.path, `topics-${kind}.card.json`) });
      expect(existsSync(files!.head)).toBe(true);
      const onDisk = JSON.parse(readFileSync(files!.card, 'utf8')) as ModelCard;
      expect(onDisk).toEqual(card);
      expect(card).toMatchObject({
        format: 'hamlet-model-card/1',
        name: `topics-${kind}`,
        kind,
        baseModel: base,
        source: 'synthetic',
        dataWindow: { since: 1_700_000_000, until: 1_700_000_000 + 199 * 60 },
        counts: { examples: 200, train: 160, heldOut: 40, labels: 4 },
        split: { heldOutFraction: 0.2, seed: 3 },
      });
      expect(Object.values(card.counts.perLabel).reduce((a, b) => a + b, 0)).toBeGreaterThan(200);
      expect(card.metrics.examples).toBe(40);
      expect(card.metrics.precisionAtK).toBeGreaterThan(0.9);
      const loaded = loadHead(files!.head);
      expect(loaded.kind).toBe(kind);
      expect(loaded.baseModel).toEqual(base);
      for (const e of examples.slice(0, 5)) expect(loaded.predict(e.vector)).toEqual(head.predict(e.vector));
    });
  }

  it('leaves out labels with too few examples and refuses an empty task', () => {
    const examples = syntheticSet(40).map((e, i) => (i === 0 ? { ...e, labels: [...e.labels, 'rare'] } : e));
    expect(trainHead({ name: 'x', kind: 'knn', examples, baseModel: base }).head.labels).not.toContain('rare');
    expect(() => trainHead({ name: 'y', kind: 'logistic', examples: examples.map((e) => ({ ...e, labels: [] })), baseModel: base })).toThrow(/no label/);
  });
});
