import { afterAll, describe, expect, it } from 'vitest';
import { embedOne } from '../../models/builtin/embedder.ts';
import { Batcher } from '../../models/pool/batcher.ts';
import { InferencePool } from '../../models/pool/pool.ts';
import { PooledEmbedder } from '../../models/provider.ts';
import { builtinEmbeddingInfo } from '../../models/index.ts';

describe('inference pool', () => {
  const pool = new InferencePool(2);
  afterAll(() => pool.close());

  it('has the size asked for, and one per core for 0', async () => {
    expect(pool.size).toBe(2);
    const auto = new InferencePool(0);
    expect(auto.size).toBeGreaterThan(0);
    await auto.close();
  });

  it('runs tasks in worker threads with the same results as the code run here', async () => {
    const texts = ['one two three', 'village garden', ''];
    const r = await pool.run({ spec: { kind: 'builtin-embedding', dims: 64 }, texts });
    expect(r.kind).toBe('embedding');
    texts.forEach((t, i) => expect(Array.from(r.data.subarray(i * 64, (i + 1) * 64))).toEqual(Array.from(embedOne(t, 64))));
  });

  it('leaves the caller event loop free while a large batch is computed', async () => {
    const embedder = new PooledEmbedder(builtinEmbeddingInfo(), 512, { kind: 'builtin-embedding', dims: 512 }, pool, { batchSize: 5000, maxWaitMs: 0 });
    const texts = Array.from({ length: 5000 }, (_, i) => `post number ${i} about the harvest festival and the new well`);
    const order: string[] = [];
    const done = embedder.embed(texts).then((v) => order.push(`embedded ${v.length}`));
    await new Promise<void>((resolve) => setImmediate(() => (order.push('loop turned'), resolve())));
    await done;
    expect(order).toEqual(['loop turned', 'embedded 5000']);
  });

  it('never loads from the network: a hub id that is not on disk fails as a local miss', async () => {
    await expect(pool.run({ spec: { kind: 'transformers-embedding', path: 'Xenova/not-downloaded', dtype: 'q8', pooling: 'mean' }, texts: ['x'] })).rejects.toThrow(
      /local_files_only=true|allowRemoteModels=false/,
    );
  });

  it('reports a failing task to its caller and keeps serving', async () => {
    await expect(
      pool.run({ spec: { kind: 'transformers-embedding', path: '/nonexistent/model', dtype: 'fp32', pooling: 'mean' }, texts: ['x'] }),
    ).rejects.toThrow();
    const r = await pool.run({ spec: { kind: 'builtin-toxicity' }, texts: ['hello'] });
    expect(r.kind).toBe('scores');
  });
});

describe('batcher', () => {
  it('merges concurrent requests into batches of at most batchSize and splits the results back in order', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string>(
      async (texts) => {
        batches.push(texts);
        return texts.map((t) => t.toUpperCase());
      },
      { batchSize: 4, maxWaitMs: 5 },
    );
    const [a, b, c] = await Promise.all([batcher.submit(['a', 'b']), batcher.submit(['c']), batcher.submit(['d', 'e', 'f'])]);
    expect([a, b, c]).toEqual([['A', 'B'], ['C'], ['D', 'E', 'F']]);
    expect(batches).toEqual([['a', 'b', 'c', 'd'], ['e', 'f']]);
    expect(await batcher.submit([])).toEqual([]);
  });

  it('groups texts of similar length into the same batch and still answers each caller in order', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string>(async (texts) => (batches.push(texts), texts.map((t) => `<${t}>`)), { batchSize: 3, maxWaitMs: 5 });
    const [a, b] = await Promise.all([batcher.submit(['long text here', 'x']), batcher.submit(['medium', 'yy'])]);
    expect(a).toEqual(['<long text here>', '<x>']);
    expect(b).toEqual(['<medium>', '<yy>']);
    expect(batches).toEqual([['x', 'yy', 'medium'], ['long text here']]);
  });

  it('waits at most maxWaitMs for company, then runs what it has', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string>(async (texts) => (batches.push(texts), texts), { batchSize: 100, maxWaitMs: 1 });
    expect(await batcher.submit(['alone'])).toEqual(['alone']);
    expect(batches).toEqual([['alone']]);
  });

  it('rejects every caller of a failed batch', async () => {
    const batcher = new Batcher<string>(async () => Promise.reject(new Error('model fell over')), { batchSize: 10, maxWaitMs: 0 });
    const results = await Promise.allSettled([batcher.submit(['a']), batcher.submit(['b'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
