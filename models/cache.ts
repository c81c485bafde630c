import type { Database, RootDatabase } from 'lmdb';
import { modelKey, type Embedder, type ModelInfo } from './types.ts';

/**
 * Event embeddings kept in LMDB (a named database "embeddings" in the relay's environment),
 * keyed by [model id@version, event id]: a new model version never reads an old one's vectors,
 * and `dropOtherVersions` reclaims the space.
 */
export class EmbeddingCache {
  private readonly db: Database<Buffer, [string, string]>;

  constructor(env: RootDatabase) {
    this.db = env.openDB<Buffer, [string, string]>({ name: 'embeddings', encoding: 'binary' });
  }

  get(eventId: string, model: ModelInfo): Float32Array | undefined {
    const buf = this.db.get([modelKey(model), eventId]);
    return buf ? toVector(buf) : undefined;
  }

  async getMany(eventIds: readonly string[], model: ModelInfo): Promise<(Float32Array | undefined)[]> {
    const key = modelKey(model);
    const bufs = await this.db.getMany(eventIds.map((id) => [key, id] as [string, string]));
    return bufs.map((b) => (b ? toVector(b) : undefined));
  }

  async putMany(entries: readonly { eventId: string; vector: Float32Array }[], model: ModelInfo): Promise<void> {
    const key = modelKey(model);
    await this.db.transaction(() => {
      for (const { eventId, vector } of entries) void this.db.put([key, eventId], Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
    });
  }

  /** Vectors for these events from the cache, embedding (and storing) only the ones it lacks. */
  async embed(items: readonly { id: string; text: string }[], embedder: Embedder): Promise<Float32Array[]> {
    const info = embedder.info;
    const cached = await this.getMany(
      items.map((i) => i.id),
      info,
    );
    const missing = items.flatMap((item, i) => (cached[i] ? [] : [i]));
    if (missing.length > 0) {
      const vectors = await embedder.embed(missing.map((i) => items[i]!.text));
      missing.forEach((i, j) => (cached[i] = vectors[j]));
      // a model that changed meanwhile may have made them: stored under neither version
      if (modelKey(embedder.info) === modelKey(info)) {
        await this.putMany(
          missing.map((i, j) => ({ eventId: items[i]!.id, vector: vectors[j]! })),
          info,
        );
      }
    }
    return cached as Float32Array[];
  }

  /** Number of vectors stored for a model version. */
  count(model: ModelInfo): number {
    const key = modelKey(model);
    return this.db.getKeysCount({ start: [key, ''], end: [key, '\uffff'] });
  }

  /** Removes the vectors of every model version but `keep`; returns how many were removed. */
  async dropOtherVersions(keep: ModelInfo): Promise<number> {
    const key = modelKey(keep);
    let removed = 0;
    await this.db.transaction(() => {
      for (const k of this.db.getKeys()) {
        if (k[0] !== key) (void this.db.remove(k), removed++);
      }
    });
    return removed;
  }
}

/** The cache when models.cacheEmbeddings is on, else undefined. */
export function embeddingCacheFor(config: { cacheEmbeddings: boolean }, env: RootDatabase): EmbeddingCache | undefined {
  return config.cacheEmbeddings ? new EmbeddingCache(env) : undefined;
}

function toVector(buf: Buffer): Float32Array {
  // copy: LMDB buffers are not 4-byte aligned and may be reused
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Float32Array(copy.buffer);
}
