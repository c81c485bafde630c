import type { Embedder, ModelInfo } from '../types.ts';
import { loadMeaning, meaningMtime, type MeaningModel } from './file.ts';
import { meaningTokens } from './tokens.ts';

export interface MeaningEmbedderOptions {
  /** The model file (models/meaning/file.ts meaningFile); absent until `hamlet train meaning` or the relay's training writes it. */
  file: string;
  /** Share of the similarity that comes from meaning (the rest: the base model's wording or sentence sense), 0-1. */
  weight: number;
  /** How often the file is looked at again (a model trained meanwhile is taken up), ms. */
  recheckMs?: number;
  /** Told when the file could not be read (the embedder goes on with what it had). */
  onError?: (err: Error) => void;
}

/**
 * The village's embedding: the meaning model's vector (what the village's own posts teach about
 * which words go together) beside the base embedder's (hashed wording, or a pulled sentence
 * model), each scaled so that a dot product is `weight` × meaning similarity + (1 − weight) ×
 * base similarity. Before any training it is the base alone. A newly trained model is picked
 * up within `recheckMs`; `onChange` listeners then re-embed what they hold (the version, and so
 * every cache key, changes with it).
 */
/** Live embedders by model file: a training run tells them at once (not at their next 30 s look). */
const live = new Map<string, Set<WeakRef<MeaningEmbedder>>>();

/** The model a live embedder holds from `file` (what it read already: no second read), if any. */
export function loadedMeaning(file: string): MeaningModel | undefined {
  for (const ref of live.get(file) ?? []) {
    const model = ref.deref()?.current;
    if (model) return model;
  }
  return undefined;
}

/** Every embedder reading `file` takes up what is in it now. */
export function refreshMeaning(file: string): void {
  const set = live.get(file);
  if (!set) return;
  for (const ref of set) {
    const e = ref.deref();
    if (e) e.recheck(true);
    else set.delete(ref);
  }
}

export class MeaningEmbedder implements Embedder {
  private model?: MeaningModel;
  private mtime = -1;
  private checkedAt = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly base: Embedder,
    private readonly o: MeaningEmbedderOptions,
  ) {
    this.recheck(true);
    let set = live.get(o.file);
    if (!set) live.set(o.file, (set = new Set()));
    set.add(new WeakRef(this));
  }

  get info(): ModelInfo {
    this.recheck();
    const m = this.model;
    return { id: m ? `hamlet/village-meaning+${this.base.info.id}` : this.base.info.id, version: m ? `${m.version}+${this.base.info.version}` : this.base.info.version, provider: this.base.info.provider };
  }

  get dims(): number {
    return (this.model?.vectors.dims ?? 0) + this.base.dims;
  }

  /** The meaning model in use (undefined before the first training). */
  get current(): MeaningModel | undefined {
    this.recheck();
    return this.model;
  }

  /** Called after a new model is taken up. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.recheck();
    const model = this.model;
    const base = await this.base.embed(texts);
    if (!model) return base;
    const m = model.vectors;
    const wm = Math.sqrt(this.o.weight);
    const wb = Math.sqrt(1 - this.o.weight);
    return texts.map((text, i) => {
      const meaning = m.embed(meaningTokens(text));
      const b = base[i]!;
      const out = new Float32Array(m.dims + b.length);
      let norm = 0;
      for (let d = 0; d < m.dims; d++) norm += (out[d] = wm * meaning[d]!) ** 2;
      for (let d = 0; d < b.length; d++) norm += (out[m.dims + d] = wb * b[d]!) ** 2;
      if (norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (let d = 0; d < out.length; d++) out[d]! *= inv;
      }
      return out;
    });
  }

  /** Takes up a model written since the last look (at most every recheckMs, unless forced). */
  recheck(force = false): void {
    const now = Date.now();
    if (!force && now - this.checkedAt < (this.o.recheckMs ?? 30_000)) return;
    this.checkedAt = now;
    const mtime = meaningMtime(this.o.file);
    if (mtime === this.mtime) return;
    try {
      const next = mtime < 0 ? undefined : loadMeaning(this.o.file);
      this.mtime = mtime;
      const changed = next?.version !== this.model?.version;
      this.model = next;
      if (changed) for (const l of this.listeners) queueMicrotask(l);
    } catch (err) {
      this.mtime = mtime; // not again until the file changes
      this.o.onError?.(err as Error);
    }
  }
}
