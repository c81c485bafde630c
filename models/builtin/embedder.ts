import { hash32 } from './hash.ts';
import { words } from './text.ts';
import type { ModelInfo } from '../types.ts';

/**
 * The built-in embedding: signed feature hashing of word unigrams, word bigrams and character
 * trigrams into a fixed number of dimensions, L2-normalised. It needs no download, is
 * deterministic, and is good at "same words / same topic words" similarity; it knows nothing
 * of synonyms. Bump VERSION whenever the features change: cached vectors are keyed by it.
 */
export const BUILTIN_EMBEDDING_DIMS = 512;
const VERSION = '1';

export function builtinEmbeddingInfo(dims = BUILTIN_EMBEDDING_DIMS): ModelInfo {
  return { id: `hamlet/builtin-ngram-${dims}`, version: VERSION, provider: 'builtin' };
}

const STOP = new Set(
  ('a an and are as at be been but by do for from has have he her his i if in is it its me my no not of on or our she so ' +
    'that the their them they this to was we were what when which who will with you your').split(' '),
);
const WEIGHT = { word: 1, stopWord: 0.15, bigram: 0.6, trigram: 0.25 };

function addFeature(v: Float32Array, feature: string, weight: number): void {
  const h = hash32(feature);
  v[h % v.length] += h & 0x80000000 ? -weight : weight;
}

export function embedOne(text: string, dims = BUILTIN_EMBEDDING_DIMS): Float32Array {
  const v = new Float32Array(dims);
  const ws = words(text);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!; // hashtags arrive without their '#': #garden and garden are one feature
    addFeature(v, 'w:' + w, STOP.has(w) ? WEIGHT.stopWord : WEIGHT.word);
    if (i > 0) addFeature(v, 'b:' + ws[i - 1] + ' ' + w, WEIGHT.bigram);
    if (w.startsWith('url:')) continue;
    const padded = `<${w}>`;
    const grams = padded.length - 2;
    for (let j = 0; j < grams; j++) addFeature(v, 'c:' + padded.slice(j, j + 3), WEIGHT.trigram / Math.sqrt(grams));
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += v[i] * v[i];
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dims; i++) v[i] *= inv;
  }
  return v;
}
