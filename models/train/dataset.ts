/** A labelled example for training a head: an embedding and the labels it carries (possibly none). */
export interface Example {
  vector: Float32Array;
  labels: readonly string[];
  id?: string;
  createdAt?: number;
}

/** mulberry32: seeded, so a split (and so a model card) can be reproduced. */
export function seededRandom(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A seeded shuffle, then the last `heldOutFraction` of it is kept aside for evaluation. */
export function splitHeldOut<T>(items: readonly T[], heldOutFraction = 0.2, seed = 1): { train: T[]; heldOut: T[] } {
  if (heldOutFraction < 0 || heldOutFraction >= 1) throw new Error('heldOutFraction must be in [0, 1)');
  const shuffled = shuffle(items, seededRandom(seed));
  const heldOut = items.length > 1 ? Math.round(items.length * heldOutFraction) : 0;
  return { train: shuffled.slice(0, shuffled.length - heldOut), heldOut: shuffled.slice(shuffled.length - heldOut) };
}

/** Labels in first-seen order with their example counts. */
export function labelCounts(examples: readonly Example[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of examples) for (const l of new Set(e.labels)) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}
