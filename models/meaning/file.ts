import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WordVectors } from './wordVectors.ts';
import type { MeaningTrainResult } from './train.ts';

const FORMAT = 'hamlet-meaning/1';

/** Where the village's meaning model lives under models.dir. */
export const meaningFile = (modelsDir: string): string => join(modelsDir, 'meaning', 'village-meaning.json');

export interface MeaningModel {
  vectors: WordVectors;
  /** A hash of the weights: cached embeddings and trained heads are keyed by it. */
  version: string;
  trainedAt: number;
  stats: MeaningTrainResult['stats'];
}

const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function f32(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** Writes the model (atomically: a reader sees the old file or the new one) and returns it as loaded. */
export function saveMeaning(file: string, r: MeaningTrainResult, trainedAt = Math.floor(Date.now() / 1000)): MeaningModel {
  const d = r.vectors.data;
  const body = { vocabulary: d.vocabulary, dims: d.dims, vectors: b64(d.vectors), weights: b64(d.weights), common: b64(d.common) };
  const version = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ format: FORMAT, version, trainedAt, stats: r.stats, ...body }));
  renameSync(tmp, file);
  return { vectors: r.vectors, version, trainedAt, stats: r.stats };
}

/** Reads a saved model; undefined when there is none. A damaged file is an error naming it. */
export function loadMeaning(file: string): MeaningModel | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const j = JSON.parse(text);
    if (j.format !== FORMAT) throw new Error(`unknown format ${JSON.stringify(j.format)}`);
    const vectors = new WordVectors({ vocabulary: j.vocabulary, dims: j.dims, vectors: f32(j.vectors), weights: f32(j.weights), common: f32(j.common) });
    if (vectors.data.vectors.length !== j.vocabulary.length * j.dims || vectors.data.weights.length !== j.vocabulary.length) throw new Error('sizes do not match');
    return { vectors, version: j.version, trainedAt: j.trainedAt, stats: j.stats };
  } catch (err) {
    throw new Error(`meaning model ${file} is damaged (${(err as Error).message}); train it again with \`hamlet train meaning\``);
  }
}

/** The file's modification time in ms, or -1 when it does not exist. */
export function meaningMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}
