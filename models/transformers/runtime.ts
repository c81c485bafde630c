import type { FeatureExtractionPipeline, TextClassificationPipeline } from '@huggingface/transformers';
import type { InferenceResult, ModelSpec } from '../inference.ts';

/**
 * The transformers.js side of a pool worker: loads pipelines from local folders only (remote
 * loading is switched off before anything loads), with one ONNX intra-op thread, and runs them
 * over length-sorted micro-batches so short texts are not padded to the longest one.
 */
type TransformersSpec = Extract<ModelSpec, { kind: 'transformers-embedding' | 'transformers-classifier' }>;

const MICRO_BATCH = 16;
const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1 };

let library: Promise<typeof import('@huggingface/transformers')> | undefined;
const pipelines = new Map<string, Promise<FeatureExtractionPipeline | TextClassificationPipeline>>();

function loadLibrary(): Promise<typeof import('@huggingface/transformers')> {
  library ??= import('@huggingface/transformers').then((t) => {
    t.env.allowRemoteModels = false;
    t.env.allowLocalModels = true;
    t.env.useFSCache = false;
    t.env.useBrowserCache = false;
    return t;
  });
  return library;
}

function loadPipeline(spec: TransformersSpec): Promise<FeatureExtractionPipeline | TextClassificationPipeline> {
  const key = `${spec.kind}:${spec.path}:${spec.dtype}`;
  let p = pipelines.get(key);
  if (!p) {
    p = loadLibrary().then(async (t) => {
      const options = { dtype: spec.dtype, device: 'cpu' as const, local_files_only: true, session_options: SESSION_OPTIONS };
      return spec.kind === 'transformers-embedding'
        ? await t.pipeline('feature-extraction', spec.path, options)
        : await t.pipeline('text-classification', spec.path, options);
    });
    p.catch(() => pipelines.delete(key)); // a failed load may be retried
    pipelines.set(key, p);
  }
  return p;
}

/** Indices of texts sorted by length, cut into micro-batches. */
function microBatches(texts: string[]): number[][] {
  const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += MICRO_BATCH) out.push(order.slice(i, i + MICRO_BATCH));
  return out;
}

export async function runTransformers(spec: TransformersSpec, texts: string[]): Promise<InferenceResult> {
  const pipe = await loadPipeline(spec);
  if (spec.kind === 'transformers-embedding') {
    const extract = pipe as FeatureExtractionPipeline;
    let data: Float32Array | undefined;
    let dims = 0;
    for (const batch of microBatches(texts)) {
      const out = await extract(batch.map((i) => texts[i]!), { pooling: spec.pooling, normalize: true });
      dims = out.dims[1]!;
      data ??= new Float32Array(texts.length * dims);
      const rows = out.data as Float32Array;
      batch.forEach((row, j) => data!.set(rows.subarray(j * dims, (j + 1) * dims), row * dims));
    }
    return { kind: 'embedding', dims, data: data ?? new Float32Array(0) };
  }
  const classify = pipe as TextClassificationPipeline;
  const config = classify.model.config as unknown as { id2label: Record<string, string>; problem_type?: string };
  // some exports of multi-label models (toxic-bert) lack problem_type; without it scores would be softmaxed
  if (spec.multiLabel) config.problem_type = 'multi_label_classification';
  const labels = Object.keys(config.id2label)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => config.id2label[k]!);
  const data = new Float32Array(texts.length * labels.length);
  for (const batch of microBatches(texts)) {
    const out = (await classify(batch.map((i) => texts[i]!), { top_k: null })) as unknown as { label: string; score: number }[][];
    batch.forEach((row, j) => {
      for (const { label, score } of out[j]!) data[row * labels.length + labels.indexOf(label)] = score;
    });
  }
  return { kind: 'scores', labels, data };
}
