import { createHash } from 'node:crypto';

/** A random sequence fixed by a seed (the appeal's id), so a draw can be checked afterwards. */
export function seededRandom(seed: string): () => number {
  let block = createHash('sha256').update(seed).digest();
  let at = 0;
  return () => {
    if (at + 4 > block.length) {
      block = createHash('sha256').update(block).digest();
      at = 0;
    }
    const v = block.readUInt32BE(at);
    at += 4;
    return v / 2 ** 32;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface Draw {
  jury: string[];
  /** Distinct communities the jurors come from. */
  communities: number;
}

/**
 * Draws `size` jurors among the eligible, across communities: communities are taken in a random
 * order and each gives one random member in turn, so no single circle of friends fills the jury
 * while another community is left out.
 */
export function drawJury(eligible: readonly string[], community: ReadonlyMap<string, string>, size: number, seed: string): Draw {
  const random = seededRandom(seed);
  const groups = new Map<string, string[]>();
  for (const p of [...eligible].sort()) {
    const c = community.get(p) ?? p;
    const g = groups.get(c);
    if (g) g.push(p);
    else groups.set(c, [p]);
  }
  const queues = shuffle([...groups.keys()].sort(), random).map((c) => shuffle(groups.get(c)!, random));
  const jury: string[] = [];
  const from = new Set<number>();
  while (jury.length < size && queues.some((q) => q.length > 0)) {
    for (const [i, q] of queues.entries()) {
      if (jury.length >= size) break;
      const p = q.shift();
      if (p === undefined) continue;
      jury.push(p);
      from.add(i);
    }
  }
  return { jury, communities: from.size };
}
