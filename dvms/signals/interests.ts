import { LRUCache } from 'lru-cache';
import { hash32 } from '../../models/builtin/hash.ts';
import type { Caps } from './budget.ts';
import { normalise, type QVector } from './vectors.ts';

/** How much each kind of evidence says about what a person cares for. */
export const INTEREST_WEIGHT = { post: 1, reaction: 1, reply: 1, repost: 2, zap: 2, bookmark: 2 } as const;
export type InterestSource = keyof typeof INTEREST_WEIGHT;

/** Event ids remembered per person, so that one event counts once (older ones may count again: harmless). */
const MAX_COUNTED = 500;
/** Hashtags kept per person: past twice this, the lightest are let go. */
const MAX_HASHTAGS = 64;

interface Profile {
  sum: Float32Array;
  weight: number;
  /** 30-bit hashes of the event ids already counted (a vector arriving late or a repeated list counts once), oldest first. */
  counted: Set<number>;
  hashtags: Map<string, number>;
  normalised?: Float32Array;
}

/** Estimated heap bytes of a profile: its two vectors (the sum and its unit-length copy), the counted ids, the hashtags. */
function profileBytes(p: Profile): number {
  let n = 400 + 2 * (160 + p.sum.byteLength) + 16 * p.counted.size;
  for (const t of p.hashtags.keys()) n += 40 + 2 * t.length;
  return n;
}

/**
 * Each person's interests: the weighted sum of the embeddings of what they posted, liked,
 * reposted, replied to, zapped and bookmarked, plus the hashtags of those posts. Kept
 * incrementally (a contribution is added once, when both the act and the post's vector are
 * known), for at most `caps` people and bytes: the profile used or changed least recently goes
 * first (a member who asks for feeds keeps theirs).
 */
export class Interests {
  private readonly profiles: LRUCache<string, Profile>;

  constructor(caps: Caps) {
    this.profiles = new LRUCache<string, Profile>({ max: caps.maxCount, maxSize: caps.maxBytes, sizeCalculation: profileBytes });
  }

  add(person: string, eventId: string, vector: QVector, hashtags: readonly string[], source: InterestSource): void {
    let p = this.profiles.get(person);
    if (!p) p = { sum: new Float32Array(vector.dims), weight: 0, counted: new Set(), hashtags: new Map() };
    const seen = hash32(eventId) >>> 2;
    if (p.counted.has(seen) || p.sum.length !== vector.dims) return;
    p.counted.add(seen);
    if (p.counted.size > MAX_COUNTED) p.counted.delete(p.counted.values().next().value!);
    const w = INTEREST_WEIGHT[source];
    const k = w * vector.scale;
    const { q, idx } = vector;
    if (idx) for (let j = 0; j < q.length; j++) p.sum[idx[j]!]! += k * q[j]!;
    else for (let i = 0; i < q.length; i++) p.sum[i]! += k * q[i]!;
    p.weight += w;
    for (const t of hashtags) p.hashtags.set(t, (p.hashtags.get(t) ?? 0) + w);
    if (p.hashtags.size > 2 * MAX_HASHTAGS) p.hashtags = new Map([...p.hashtags].sort((a, b) => b[1] - a[1]).slice(0, MAX_HASHTAGS));
    p.normalised = undefined;
    this.profiles.set(person, p); // again: its size changed
  }

  /** Forgets every profile (the embedding model changed: they are rebuilt from the posts' new vectors). */
  clear(): void {
    this.profiles.clear();
  }

  /** The unit-length interest vector, or undefined when nothing is known yet. */
  vector(person: string): Float32Array | undefined {
    const p = this.profiles.get(person);
    if (!p || p.weight === 0) return undefined;
    return (p.normalised ??= normalise(p.sum));
  }

  /** Hashtags by weight, strongest first. */
  topHashtags(person: string, n = 5): string[] {
    const p = this.profiles.peek(person);
    if (!p) return [];
    return [...p.hashtags].sort((a, b) => b[1] - a[1]).slice(0, n).map(([t]) => t);
  }

  evidence(person: string): number {
    return this.profiles.peek(person)?.weight ?? 0;
  }

  /** People with a profile, and its estimated heap bytes. */
  get size(): { people: number; bytes: number } {
    return { people: this.profiles.size, bytes: this.profiles.calculatedSize };
  }
}
