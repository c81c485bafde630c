import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openModels } from '../../models/index.ts';
import { writeTinyModels } from '../fixtures/tinyModels.ts';
import { capturingLogger, modelsConfig, norm, tempDir } from './helpers.ts';

describe('provider selection', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('falls back to the built-in models when none is installed, and logs why', async () => {
    const capture = capturingLogger();
    const models = await openModels(modelsConfig({ dir: join(dir.path, 'empty'), workers: 1 }), { log: capture.log });
    try {
      expect(models.embedder.info).toMatchObject({ id: 'hamlet/builtin-ngram-512', provider: 'builtin' });
      expect(models.toxicity.info.provider).toBe('builtin');
      const [v] = await models.embedder.embed(['a fresh install still embeds']);
      expect(norm(v!)).toBeCloseTo(1, 5);
      const [s] = await models.toxicity.classify(['you are an idiot']);
      expect(s!.toxic).toBeGreaterThan(0.5);
      const embeddingLine = capture.lines().find((l) => l.task === 'embedding')!;
      expect(embeddingLine.level).toBe(40); // warn
      expect(embeddingLine.msg).toMatch(/^embedding model: hamlet\/builtin-ngram-512 \(built-in fallback: model "all-MiniLM-L6-v2" not found: .*does not exist; run `hamlet models pull`\)$/);
      expect(capture.lines().find((l) => l.task === 'toxicity')!.msg).toContain('model "toxic-bert" not found');
    } finally {
      await models.close();
    }
  });

  it('uses the built-in models without a warning when configured so', async () => {
    const capture = capturingLogger();
    const models = await openModels(modelsConfig({ dir: dir.path, embedding: 'builtin', toxicity: 'builtin', workers: 1 }), { log: capture.log });
    await models.close();
    const lines = capture.lines().filter((l) => l.task);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [30, 'embedding model: hamlet/builtin-ngram-512 (built-in, as configured)'],
      [30, 'toxicity model: hamlet/builtin-lexicon-toxicity (built-in, as configured)'],
    ]);
  });

  it('falls back when a model folder is there but its ONNX file is broken', async () => {
    const tiny = writeTinyModels(join(dir.path, 'broken'));
    writeFileSync(join(tiny.embed, 'onnx', 'model.onnx'), 'not a model');
    const capture = capturingLogger();
    const models = await openModels(modelsConfig({ dir: join(dir.path, 'broken'), embedding: 'tiny-bert-embed', toxicity: 'tiny-bert-toxic', workers: 1 }), { log: capture.log });
    await models.close();
    expect(models.embedder.info.provider).toBe('builtin');
    expect(models.toxicity.info.provider).toBe('transformers');
    expect(capture.lines().find((l) => l.task === 'embedding')!.msg).toContain('model "tiny-bert-embed" failed to load');
  });

  it('refuses to start without the model when fallback is off', async () => {
    const { log } = capturingLogger();
    await expect(openModels(modelsConfig({ dir: join(dir.path, 'empty'), fallbackToBuiltin: false, workers: 1 }), { log })).rejects.toThrow(
      /model "all-MiniLM-L6-v2" not found.*models.fallbackToBuiltin is off/,
    );
  });
});
