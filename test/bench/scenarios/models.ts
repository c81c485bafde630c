import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import * as ort from 'onnxruntime-node';
import { AutoTokenizer } from '@huggingface/transformers';
import { modelsSection } from '../../../config/sections/models.ts';
import { embedOne } from '../../../models/builtin/embedder.ts';
import { openModels, VectorIndex } from '../../../models/index.ts';
import { seededRandom } from '../../../models/train/dataset.ts';
import type { ScenarioResult } from '../util/types.ts';
import { BENCH_MODEL_NAME, BENCH_MODELS_DIR, ensureBenchModel } from '../util/benchModel.ts';

/**
 * Models: embeddings/s of the built-in provider and of a random-weight model with
 * all-MiniLM-L6-v2's exact shape (6 layers, hidden 384, 12 heads, vocab 30522; fp32, generated
 * here; the pulled model is 8-bit), through our provider (worker pool, batching, tokenising,
 * pooling) per worker count, against raw onnxruntime-node InferenceSession.run on the same
 * model and the same pre-tokenised batches, one intra-op thread. Also exact top-10 vector
 * search time. Rates are medians over rounds (the machine is shared and noisy).
 */
const MICRO_BATCH = 16; // as models/transformers/runtime.ts

const WORDS = (
  'the a village garden tomato harvest rain sun market bitcoin lightning relay nostr zap note friend meeting ' +
  'tonight soup bread music concert school road bridge well water festival photo cat dog weather coffee ' +
  'morning build code release bug fix thanks love great new old small big today tomorrow because and with ' +
  'for about from people neighbour council vote plan idea question answer hello gm'
).split(' ');

/** Deterministic posts of 4 to 48 words, the spread of short social notes. */
function corpus(n: number, seed = 1): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const len = 4 + Math.floor(random() ** 2 * 44);
    return Array.from({ length: len }, () => WORDS[Math.floor(random() * WORDS.length)]!).join(' ');
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}


type Measure = () => Promise<number>;

/** Opens a provider with warm workers; the returned function embeds `texts` once and gives the rate. */
async function providerMeasure(config: Parameters<typeof openModels>[0], texts: string[]): Promise<{ measure: Measure; close(): Promise<void> }> {
  const models = await openModels(config, { log: pino({ level: 'silent' }) });
  // warm every worker: enough batches in flight that each loads the model
  await models.embedder.embed(texts.slice(0, config.batchSize * config.workers * 2));
  return {
    measure: async () => {
      const t0 = performance.now();
      const vectors = await models.embedder.embed(texts);
      return vectors.length / ((performance.now() - t0) / 1000);
    },
    close: () => models.close(),
  };
}

/** Raw InferenceSession.run over the same length-sorted, padded micro-batches (tokenised beforehand, untimed). */
async function rawOrtMeasure(folder: string, texts: string[]): Promise<{ measure: Measure; close(): Promise<void> }> {
  const tokenizer = await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
  const sorted = [...texts].sort((a, b) => a.length - b.length);
  const feeds: Record<string, ort.Tensor>[] = [];
  for (let i = 0; i < sorted.length; i += MICRO_BATCH) {
    const enc = tokenizer(sorted.slice(i, i + MICRO_BATCH), { padding: true, truncation: true }) as Record<string, { data: BigInt64Array; dims: number[] }>;
    feeds.push(Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].map((k) => [k, new ort.Tensor('int64', enc[k]!.data, enc[k]!.dims)])));
  }
  const session = await ort.InferenceSession.create(join(folder, 'onnx', 'model.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  for (const feed of feeds) await session.run(feed); // warm: the memory arena grows to the largest shape
  return {
    measure: async () => {
      const t0 = performance.now();
      for (const feed of feeds) await session.run(feed);
      return texts.length / ((performance.now() - t0) / 1000);
    },
    close: () => session.release(),
  };
}

/** Runs the measures in interleaved rounds (so load from elsewhere hits them alike); median per measure. */
async function interleaved(measures: Record<string, Measure>, rounds: number): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(measures).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) for (const [k, m] of Object.entries(measures)) samples[k]!.push(await m());
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
}

function searchMs(size: number, queries: number): number {
  const random = seededRandom(9);
  const dims = 384;
  const index = new VectorIndex(dims, size);
  const v = new Float32Array(dims);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < dims; j++) v[j] = random() - 0.5;
    index.add(`e${i}`, i, v); // not normalised: the scan costs the same
  }
  const times: number[] = [];
  for (let q = 0; q < queries; q++) {
    for (let j = 0; j < dims; j++) v[j] = random() - 0.5;
    const t0 = performance.now();
    index.search(v, { k: 10, since: 0 });
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function run(opts: { quick: boolean; log?: (line: string) => void }): Promise<ScenarioResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`  … ${l}\n`));
  const rounds = opts.quick ? 2 : 5;
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const set = (k: string, v: number, unit: string): void => void ((metrics[k] = v), (units[k] = unit));

  // built-in: in this thread (the ceiling) and through the pool
  const builtinTexts = corpus(opts.quick ? 4_000 : 20_000);
  log('models: built-in provider, 1 and 2 workers');
  const builtin = [1, 2].map((workers) => modelsSection.parse({ embedding: 'builtin', toxicity: 'builtin', workers, batchSize: 256 }));
  const b1 = await providerMeasure(builtin[0]!, builtinTexts);
  const b2 = await providerMeasure(builtin[1]!, builtinTexts);
  try {
    const r = await interleaved(
      {
        inline: async () => {
          const t0 = performance.now();
          for (const t of builtinTexts) embedOne(t);
          return builtinTexts.length / ((performance.now() - t0) / 1000);
        },
        w1: b1.measure,
        w2: b2.measure,
      },
      rounds,
    );
    set('models.builtin.inline_per_s', r.inline!, 'embeddings/s (caller thread, no pool)');
    set('models.builtin.w1.per_s', r.w1!, 'embeddings/s');
    set('models.builtin.w2.per_s', r.w2!, 'embeddings/s');
  } finally {
    await Promise.all([b1.close(), b2.close()]);
  }

  // MiniLM-shaped random model: raw session and provider with 1 and 2 workers, interleaved
  const folder = ensureBenchModel(log, 'models');
  const texts = corpus(opts.quick ? 160 : 512, 2);
  log('models: MiniLM-shaped model: raw onnxruntime session and provider with 1 and 2 workers');
  const raw = await rawOrtMeasure(folder, texts);
  const config = (workers: number) => modelsSection.parse({ dir: BENCH_MODELS_DIR, embedding: BENCH_MODEL_NAME, toxicity: 'builtin', workers, batchSize: 32 });
  const m1 = await providerMeasure(config(1), texts);
  const m2 = await providerMeasure(config(2), texts);
  try {
    const r = await interleaved({ raw: raw.measure, w1: m1.measure, w2: m2.measure }, rounds);
    set('models.minilm.raw_ort_1t.per_s', r.raw!, 'embeddings/s (InferenceSession.run, 1 thread)');
    set('models.minilm.w1.per_s', r.w1!, 'embeddings/s');
    set('models.minilm.w2.per_s', r.w2!, 'embeddings/s');
    set('models.minilm.w1.vs_raw_1t', r.w1! / r.raw!, '× raw session (1 thread)');
    set('models.minilm.w2.vs_raw_1t', r.w2! / r.raw!, '× raw session (1 thread)');
  } finally {
    await Promise.all([raw.close(), m1.close(), m2.close()]);
  }
  notes.push('MiniLM-shaped model: random fp32 weights in all-MiniLM-L6-v2\'s shape; the pulled model is 8-bit, so its rates will differ');
  notes.push(`texts: ${texts.length} posts of 4-48 words; medians of ${rounds} interleaved round(s)`);

  // exact vector search
  const size = opts.quick ? 20_000 : 100_000;
  log(`models: exact top-10 search over ${size} vectors of 384 dims`);
  set(`models.search.exact_${size / 1000}k.ms`, searchMs(size, opts.quick ? 10 : 30), 'ms per query');
  return { metrics, units, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(result, null, 2));
}
