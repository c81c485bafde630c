import { normalise, type QVector } from './vectors.ts';

/** How much each kind of evidence says about what a person cares for. */
export const INTEREST_WEIGHT = { post: 1, reaction: 1, reply: 1, repost: 2, zap: 2, bookmark: 2 } as const;
export type InterestSource = keyof typeof INTEREST_WEIGHT;

interface Profile {
  sum: Float32Array;
  weight: number;
  /** Event ids already counted, so a vector arriving late or a repeated list counts once. */
  counted: Set<string>;
  hashtags: Map<string, number>;
  normalised?: Float32Array;
}

/**
 * Each person's interests: the weighted sum of the embeddings of what they posted, liked,
 * reposted, replied to, zapped and bookmarked, plus the hashtags of those posts. Kept
 * incrementally (a contribution is added once, when both the act and the post's vector are known).
 */
export class Interests {
  private readonly profiles = new Map<string, Profile>();

  add(person: string, eventId: string, vector: QVector, hashtags: readonly string[], source: InterestSource): void {
    let p = this.profiles.get(person);
    if (!p) this.profiles.set(person, (p = { sum: new Float32Array(vector.dims), weight: 0, counted: new Set(), hashtags: new Map() }));
    if (p.counted.has(eventId) || p.sum.length !== vector.dims) return;
    p.counted.add(eventId);
    const w = INTEREST_WEIGHT[source];
    const k = w * vector.scale;
    const { q, idx } = vector;
    if (idx) for (let j = 0; j < q.length; j++) p.sum[idx[j]!]! += k * q[j]!;
    else for (let i = 0; i < q.length; i++) p.sum[i]! += k * q[i]!;
    p.weight += w;
    for (const t of hashtags) p.hashtags.set(t, (p.hashtags.get(t) ?? 0) + w);
    p.normalised = undefined;
  }

  /** The unit-length interest vector, or undefined when nothing is known yet. */
  vector(person: string): Float32Array | undefined {
    const p = this.profiles.get(person);
    if (!p || p.weight === 0) return undefined;
    return (p.normalised ??= normalise(p.sum));
  }

  /** Hashtags by weight, strongest first. */
  topHashtags(person: string, n = 5): string[] {
    const p = this.profiles.get(person);
    if (!p) return [];
    return [...p.hashtags].sort((a, b) => b[1] - a[1]).slice(0, n).map(([t]) => t);
  }

  evidence(person: string): number {
    return this.profiles.get(person)?.weight ?? 0;
  }
}
