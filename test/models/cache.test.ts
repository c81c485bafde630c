import { open, type RootDatabase } from 'lmdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedOne } from '../../models/builtin/embedder.ts';
import { EmbeddingCache, type Embedder, type ModelInfo } from '../../models/index.ts';
import { tempDir } from './helpers.ts';

/** An Embedder over the built-in function that counts the texts it was asked to embed. */
class CountingEmbedder implements Embedder {
  readonly dims = 64;
  calls: string[][] = [];
  constructor(readonly info: ModelInfo) {}
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls.push([...texts]);
    return texts.map((t) => embedOne(t, this.dims));
  }
}

describe('LMDB embedding cache', () => {
  const dir = tempDir();
  let env: RootDatabase;
  let cache: EmbeddingCache;
  const v1: ModelInfo = { id: 'test/model', version: '1', provider: 'builtin' };
  const v2: ModelInfo = { ...v1, version: '2' };

  beforeAll(() => {
    env = open({ path: dir.path });
    cache = new EmbeddingCache(env);
  });
  afterAll(async () => {
    await env.close();
    dir.remove();
  });

  it('stores vectors by (event id, model version) and returns equal copies', async () => {
    const vector = embedOne('hello village', 64);
    await cache.putMany([{ eventId: 'a'.repeat(64), vector }], v1);
    expect(Array.from(cache.get('a'.repeat(64), v1)!)).toEqual(Array.from(vector));
    expect(cache.get('a'.repeat(64), v2)).toBeUndefined();
    expect(cache.get('b'.repeat(64), v1)).toBeUndefined();
  });

  it('embeds only what it does not have, and keeps the callers order', async () => {
    const embedder = new CountingEmbedder(v1);
    const items = [
      { id: 'e1', text: 'first post' },
      { id: 'e2', text: 'second post' },
    ];
    const first = await cache.embed(items, embedder);
    const second = await cache.embed([...items, { id: 'e3', text: 'third post' }].reverse(), embedder);
    expect(embedder.calls).toEqual([['first post', 'second post'], ['third post']]);
    expect(Array.from(second[2]!)).toEqual(Array.from(first[0]!));
    expect(Array.from(second[0]!)).toEqual(Array.from(embedOne('third post', 64)));
  });

  it('stores nothing when the model changed while it embedded (the vectors may be either model\'s)', async () => {
    const v3: ModelInfo = { ...v1, version: '3' };
    const embedder = new CountingEmbedder(v2);
    const switching: Embedder = {
      dims: embedder.dims,
      get info() {
        return embedder.info;
      },
      embed: async (texts) => {
        const out = await embedder.embed(texts);
        (embedder as { info: ModelInfo }).info = v3; // a new model taken up mid-batch
        return out;
      },
    };
    const [vector] = await cache.embed([{ id: 'switched', text: 'a post embedded across a model change' }], switching);
    expect(vector).toHaveLength(64);
    expect(cache.get('switched', v2)).toBeUndefined();
    expect(cache.get('switched', v3)).toBeUndefined();
  });

  it('survives reopening the environment', async () => {
    await env.close();
    env = open({ path: dir.path });
    cache = new EmbeddingCache(env);
    expect(cache.get('e1', v1)).toBeDefined();
  });

  it('counts per version and drops the other versions', async () => {
    await cache.putMany([{ eventId: 'e1', vector: embedOne('x', 64) }], v2);
    expect(cache.count(v1)).toBe(4);
    expect(cache.count(v2)).toBe(1);
    expect(await cache.dropOtherVersions(v2)).toBe(4);
    expect(cache.count(v1)).toBe(0);
    expect(cache.get('e1', v2)).toBeDefined();
  });
});
