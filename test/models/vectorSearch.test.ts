import { describe, expect, it } from 'vitest';
import { topK, VectorIndex } from '../../models/index.ts';
import { seededRandom } from '../../models/train/dataset.ts';

function randomUnit(random: () => number, dims: number): Float32Array {
  const v = Float32Array.from({ length: dims }, () => random() * 2 - 1);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('exact vector search', () => {
  const random = seededRandom(3);
  const dims = 24;
  const items = Array.from({ length: 500 }, (_, i) => ({ id: `e${i}`, createdAt: 1000 + i, vector: randomUnit(random, dims) }));
  const index = new VectorIndex(dims, 16); // small start: exercises growth
  for (const it of items) index.add(it.id, it.createdAt, it.vector);

  it('returns the same top k as sorting every cosine', () => {
    const query = randomUnit(random, dims);
    const expected = items
      .map((it) => ({ id: it.id, score: dot(query, it.vector) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
    const hits = index.search(query, { k: 10 });
    expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 5));
  });

  it('restricts to a time window, skips excluded ids and low scores', () => {
    const query = items[250]!.vector;
    const hits = index.search(query, { k: 5, since: 1200, until: 1300, exclude: new Set(['e250']), minScore: -1 });
    expect(hits).toHaveLength(5);
    for (const h of hits) {
      expect(h.createdAt).toBeGreaterThanOrEqual(1200);
      expect(h.createdAt).toBeLessThanOrEqual(1300);
      expect(h.id).not.toBe('e250');
    }
    expect(index.search(query, { k: 3 })[0]).toMatchObject({ id: 'e250' });
    expect(index.search(query, { k: 3, minScore: 0.999 }).map((h) => h.id)).toEqual(['e250']);
  });

  it('replaces, removes and prunes, keeping the rest findable', () => {
    const small = new VectorIndex(dims, 2);
    items.slice(0, 20).forEach((it) => small.add(it.id, it.createdAt, it.vector));
    small.add('e3', 1003, items[7]!.vector); // replace e3's vector
    expect(small.size).toBe(20);
    expect(small.search(items[7]!.vector, { k: 2 }).map((h) => h.id).sort()).toEqual(['e3', 'e7']);
    expect(small.remove('e7')).toBe(true);
    expect(small.remove('e7')).toBe(false);
    expect(small.pruneBefore(1010)).toBe(9); // e0..e9 minus the removed e7
    expect(small.size).toBe(10);
    for (const it of items.slice(10, 20)) expect(small.search(it.vector, { k: 1 })[0]!.id).toBe(it.id);
    expect(() => small.add('bad', 0, new Float32Array(3))).toThrow(/dimensions/);
  });

  it('searchAsync gives the same hits while yielding to the event loop between chunks', async () => {
    const query = randomUnit(random, dims);
    const options = { k: 8, since: 1100 };
    const order: string[] = [];
    setImmediate(() => order.push('loop turned'));
    const hits = await index.searchAsync(query, { ...options, chunkRows: 50 }).then((h) => (order.push('searched'), h));
    expect(hits).toEqual(index.search(query, options));
    expect(order).toEqual(['loop turned', 'searched']);
  });

  it('searchAsync reports each id once and none removed during the scan', async () => {
    const live = new VectorIndex(dims, 8);
    items.slice(0, 200).forEach((it) => live.add(it.id, it.createdAt, it.vector));
    const query = items[150]!.vector;
    const pending = live.searchAsync(query, { k: 20, chunkRows: 10 });
    live.remove('e150'); // after the first chunk: rows move (the last one fills the hole)
    live.remove('e3');
    const hits = await pending;
    const ids = hits.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('e150');
    expect(ids).not.toContain('e3');
  });

  it('topK works over a plain list, best first', () => {
    const vectors = items.slice(0, 50).map((i) => i.vector);
    const r = topK(vectors[9]!, vectors, 3);
    expect(r[0]).toMatchObject({ index: 9 });
    expect(r[0]!.score).toBeGreaterThanOrEqual(r[1]!.score);
    expect(topK(vectors[0]!, vectors, 0)).toEqual([]);
  });
});
