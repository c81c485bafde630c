import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModels, type Models } from '../../models/index.ts';
import { writeRandomBert, writeTinyModels } from '../fixtures/tinyModels.ts';
import { capturingLogger, dot, modelsConfig, norm, tempDir } from './helpers.ts';

// Tiny generated models, loaded through the real transformers.js pipelines in real worker threads.
describe('transformers.js provider', () => {
  const dir = tempDir();
  let models: Models;
  const capture = capturingLogger();

  beforeAll(async () => {
    writeTinyModels(dir.path);
    models = await openModels(modelsConfig({ dir: dir.path, embedding: 'tiny-bert-embed', toxicity: 'tiny-bert-toxic', workers: 1 }), { log: capture.log });
  });
  afterAll(async () => {
    await models?.close();
    dir.remove();
  });

  it('is chosen when the configured folders exist, and says so', () => {
    expect(models.embedder.info).toMatchObject({ id: 'tiny-bert-embed', provider: 'transformers' });
    expect(models.embedder.info.version).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(models.embedder.dims).toBe(32);
    expect(models.toxicity.labels).toEqual(['non-toxic', 'toxic']);
    const lines = capture.lines();
    expect(lines.find((l) => l.task === 'embedding')).toMatchObject({ level: 30, provider: 'transformers', model: 'tiny-bert-embed' });
    expect(lines.find((l) => l.task === 'toxicity')?.msg).toContain('transformers.js, local model "tiny-bert-toxic"');
  });

  it('embeds through feature-extraction: normalised, mean-pooled, topic words close', async () => {
    const [football, soccer, pizza] = await models.embedder.embed(['the football game', 'a soccer match', 'pizza for dinner']);
    for (const v of [football!, soccer!, pizza!]) expect(norm(v)).toBeCloseTo(1, 4);
    expect(dot(football!, soccer!)).toBeGreaterThan(0.6);
    expect(dot(football!, pizza!)).toBeLessThan(0.3);
  });

  it('keeps order when texts of very different lengths share a batch', async () => {
    const texts = ['football', 'pizza ' .repeat(40), 'soccer match today', 'rain'];
    const together = await models.embedder.embed(texts);
    const alone = await Promise.all(texts.map(async (t) => (await models.embedder.embed([t]))[0]!));
    together.forEach((v, i) => expect(dot(v, alone[i]!)).toBeCloseTo(1, 4));
  });

  it('classifies through text-classification with every label scored', async () => {
    const [rude, kind] = await models.toxicity.classify(['you stupid idiot', 'what a nice day']);
    expect(rude!.toxic).toBeGreaterThan(0.9);
    expect(kind!.toxic).toBeLessThan(0.5);
    expect(rude!.toxic! + rude!['non-toxic']!).toBeCloseTo(1, 5);
  });
});

describe('transformers.js provider with an 8-bit style folder', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('loads onnx/model_quantized.onnx when it is the only model file (as the pulled MiniLM)', async () => {
    const tiny = writeTinyModels(dir.path);
    renameSync(join(tiny.embed, 'onnx', 'model.onnx'), join(tiny.embed, 'onnx', 'model_quantized.onnx'));
    const { log } = capturingLogger();
    const models = await openModels(modelsConfig({ dir: dir.path, embedding: 'tiny-bert-embed', toxicity: 'builtin', workers: 1 }), { log });
    try {
      expect(models.embedder.info.provider).toBe('transformers');
      const [a, b] = await models.embedder.embed(['tennis coach', 'basketball league']);
      expect(dot(a!, b!)).toBeGreaterThan(0.5);
    } finally {
      await models.close();
    }
  });
});

describe('transformers.js provider with a real BERT encoder', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('runs a random-weight encoder and a multi-label classifier (sigmoid scores)', async () => {
    const shape = { layers: 2, hidden: 32, heads: 4, intermediate: 64, vocabSize: 400, maxPositions: 64 };
    writeRandomBert(`${dir.path}/enc`, shape);
    writeRandomBert(`${dir.path}/cls`, shape, { labels: ['toxic', 'insult', 'threat'] });
    const { log } = capturingLogger();
    const models = await openModels(modelsConfig({ dir: dir.path, embedding: 'enc', toxicity: `${dir.path}/cls`, workers: 1 }), { log });
    try {
      const vectors = await models.embedder.embed(['hello world', 'a b c', 'good day to you all']);
      expect(vectors.map((v) => v.length)).toEqual([32, 32, 32]);
      for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 4);
      const [scores] = await models.toxicity.classify(['hello world']);
      expect(Object.keys(scores!)).toEqual(['toxic', 'insult', 'threat']);
      // multi-label: independent sigmoids, so they need not sum to 1
      const sum = Object.values(scores!).reduce((a, b) => a + b, 0);
      expect(sum).toBeGreaterThan(1.2);
    } finally {
      await models.close();
    }
  });
});
