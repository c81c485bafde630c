import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { findManifestModel, type Manifest, DEFAULT_MANIFEST } from './manifest.ts';
import { onnxFileFor, readMarker, sha256File } from './installed.ts';
import type { ModelSpec, TransformersDtype } from './inference.ts';
import type { ModelInfo } from './types.ts';

/** A transformers.js model found on disk, ready to hand to the pool. */
export interface ResolvedModel {
  info: ModelInfo;
  spec: ModelSpec;
  /** Embedding models: output dimensions (config.json hidden_size). */
  dims: number;
  /** Classifiers: labels in id order (config.json id2label). */
  labels: string[];
}

export type Resolution = { ok: true; model: ResolvedModel } | { ok: false; reason: string };

interface HfConfig {
  hidden_size?: number;
  id2label?: Record<string, string>;
}

/**
 * Finds the model a config value names (a manifest name, a folder relative to `dir`, or an
 * absolute folder) and checks it is complete. The version is the sha256 prefix of the ONNX file
 * (from the pull record when there is one), so cached outputs never outlive the weights.
 */
export async function resolveModel(
  dir: string,
  name: string,
  task: 'feature-extraction' | 'text-classification',
  manifest: Manifest = DEFAULT_MANIFEST,
): Promise<Resolution> {
  const known = findManifestModel(name, manifest);
  const folder = resolve(isAbsolute(name) ? name : join(dir, known?.repo ?? name));
  if (!existsSync(folder)) return { ok: false, reason: `${folder} does not exist` };
  for (const f of ['config.json', 'tokenizer.json']) {
    if (!existsSync(join(folder, f))) return { ok: false, reason: `${join(folder, f)} is missing` };
  }
  const marker = readMarker(folder);
  const dtype: TransformersDtype | undefined =
    marker?.model.dtype ?? known?.dtype ?? (['fp32', 'q8'] as const).find((d) => existsSync(join(folder, onnxFileFor(d))));
  if (!dtype) return { ok: false, reason: `${folder}/onnx has neither model.onnx nor model_quantized.onnx` };
  const onnx = join(folder, onnxFileFor(dtype));
  if (!existsSync(onnx)) return { ok: false, reason: `${onnx} is missing` };

  let config: HfConfig;
  try {
    config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as HfConfig;
  } catch (err) {
    return { ok: false, reason: `${join(folder, 'config.json')} is not valid JSON (${(err as Error).message})` };
  }
  const digest = marker?.files.find((f) => f.path === onnxFileFor(dtype))?.sha256 ?? (await sha256File(onnx));
  const info: ModelInfo = { id: known?.repo ?? name, version: `sha256:${digest.slice(0, 12)}`, provider: 'transformers' };

  if (task === 'feature-extraction') {
    if (!config.hidden_size) return { ok: false, reason: `${join(folder, 'config.json')} has no hidden_size` };
    const pooling = marker?.model.pooling ?? known?.pooling ?? 'mean';
    return { ok: true, model: { info, dims: config.hidden_size, labels: [], spec: { kind: 'transformers-embedding', path: folder, dtype, pooling } } };
  }
  if (!config.id2label || Object.keys(config.id2label).length === 0) {
    return { ok: false, reason: `${join(folder, 'config.json')} has no id2label: not a classifier` };
  }
  const labels = Object.keys(config.id2label)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => config.id2label![k]!);
  const multiLabel = marker?.model.multiLabel ?? known?.multiLabel;
  return { ok: true, model: { info, dims: 0, labels, spec: { kind: 'transformers-classifier', path: folder, dtype, multiLabel } } };
}
