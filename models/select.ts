import type { Logger } from '../relay/log.ts';
import type { ModelsConfig } from '../config/sections/models.ts';
import { BUILTIN_EMBEDDING_DIMS, builtinEmbeddingInfo } from './builtin/embedder.ts';
import { BUILTIN_TOXICITY_LABELS, builtinToxicityInfo } from './builtin/toxicity.ts';
import { InferencePool } from './pool/pool.ts';
import { PooledClassifier, PooledEmbedder } from './provider.ts';
import { resolveModel } from './resolve.ts';
import type { Manifest } from './manifest.ts';
import type { ModelSpec } from './inference.ts';
import type { Classifier, Embedder, Models } from './types.ts';
import { villageEmbedder, type MeaningEmbedder } from './meaning/index.ts';

export interface OpenModelsOptions {
  log: Logger;
  /** Override the pinned manifest (tests). */
  manifest?: Manifest;
  /**
   * Load a transformers.js model in every worker now, so a broken model shows at start (default).
   * false: nothing runs until the first inference (the worker threads start then too).
   */
  warmUp?: boolean;
}

type Choice<T> = { model: T; reason: string; fallback: boolean };

/**
 * Picks the provider for each task from config; the worker pool starts with the first inference
 * (or the warm-up of a transformers.js model). A configured model
 * that is missing or does not load falls back to the built-in one when models.fallbackToBuiltin
 * is set (the default); either way one log line per task says which model is active and why.
 */
export async function openModels(config: ModelsConfig, { log, manifest, warmUp: warm = true }: OpenModelsOptions): Promise<Models> {
  const pool = new InferencePool(config.workers);
  const batching = { batchSize: config.batchSize, maxWaitMs: config.batchWaitMs };
  try {
    const builtinEmbedder = (): PooledEmbedder =>
      new PooledEmbedder(builtinEmbeddingInfo(), BUILTIN_EMBEDDING_DIMS, { kind: 'builtin-embedding', dims: BUILTIN_EMBEDDING_DIMS }, pool, batching);
    const builtinToxicity = (): PooledClassifier => new PooledClassifier(builtinToxicityInfo(), BUILTIN_TOXICITY_LABELS, { kind: 'builtin-toxicity' }, pool, batching);

    const embedding = await choose<Embedder>(config, config.embedding, builtinEmbedder, async () => {
      const r = await resolveModel(config.dir, config.embedding, 'feature-extraction', manifest);
      if (!r.ok) return r;
      if (warm) await warmUp(pool, r.model.spec);
      return { ok: true, model: new PooledEmbedder(r.model.info, r.model.dims, r.model.spec, pool, batching) };
    });
    const toxicity = await choose<Classifier>(config, config.toxicity, builtinToxicity, async () => {
      const r = await resolveModel(config.dir, config.toxicity, 'text-classification', manifest);
      if (!r.ok) return r;
      if (warm) await warmUp(pool, r.model.spec);
      return { ok: true, model: new PooledClassifier(r.model.info, r.model.labels, r.model.spec, pool, batching) };
    });

    log[embedding.fallback ? 'warn' : 'info'](
      { task: 'embedding', model: embedding.model.info.id, version: embedding.model.info.version, provider: embedding.model.info.provider, dims: embedding.model.dims, workers: pool.size },
      `embedding model: ${embedding.model.info.id} (${embedding.reason})`,
    );
    log[toxicity.fallback ? 'warn' : 'info'](
      { task: 'toxicity', model: toxicity.model.info.id, version: toxicity.model.info.version, provider: toxicity.model.info.provider, labels: toxicity.model.labels, workers: pool.size },
      `toxicity model: ${toxicity.model.info.id} (${toxicity.reason})`,
    );
    const embedder = villageEmbedder(config, embedding.model, (err) => log.error({ err: err.message }, 'meaning model not taken up'));
    if (embedder !== embedding.model) log.info({ meaning: (embedder as MeaningEmbedder).current?.version ?? 'not trained yet', weight: config.meaning.weight }, 'embedding: with the meaning learnt from the village\'s posts');
    return { embedder, toxicity: toxicity.model, close: () => pool.close() };
  } catch (err) {
    await pool.close();
    throw err;
  }
}

/** Loads the model in every worker now (one task each), so a broken model shows at start, not on the first event. */
async function warmUp(pool: InferencePool, spec: ModelSpec): Promise<void> {
  await Promise.all(Array.from({ length: pool.size }, () => pool.run({ spec, texts: ['warm-up'] })));
}

async function choose<T>(
  config: ModelsConfig,
  name: string,
  builtin: () => T,
  load: () => Promise<{ ok: true; model: T } | { ok: false; reason: string }>,
): Promise<Choice<T>> {
  if (name === 'builtin') return { model: builtin(), reason: 'built-in, as configured', fallback: false };
  let failure: string;
  try {
    const r = await load();
    if (r.ok) return { model: r.model, reason: `transformers.js, local model "${name}"`, fallback: false };
    failure = `model "${name}" not found: ${r.reason}; run \`hamlet models pull\``;
  } catch (err) {
    failure = `model "${name}" failed to load: ${(err as Error).message}`;
  }
  if (!config.fallbackToBuiltin) throw new Error(`${failure} (models.fallbackToBuiltin is off)`);
  return { model: builtin(), reason: `built-in fallback: ${failure}`, fallback: true };
}
