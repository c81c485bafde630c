/**
 * Communities of the follow graph by label propagation (Raghavan et al. 2007), over follows
 * taken as weighted undirected ties among the given people. Deterministic: people are visited in sorted
 * order and a tie between labels goes to the smallest, so anyone can recompute a jury's draw.
 * Returns each person's community label (a member's pubkey).
 */
export function communitiesOf(people: readonly string[], following: (pubkey: string) => ReadonlySet<string>, rounds = 20): Map<string, string> {
  const inside = new Set(people);
  // A tie weighs 2 when the follow is mutual, 1 when one-way: a hub who follows everyone
  // (a village founder) does not pull every circle into one.
  const ties = new Map<string, Map<string, number>>();
  for (const p of inside) ties.set(p, new Map());
  for (const p of inside) {
    for (const f of following(p)) {
      if (!inside.has(f) || f === p) continue;
      ties.get(p)!.set(f, (ties.get(p)!.get(f) ?? 0) + 1);
      ties.get(f)!.set(p, (ties.get(f)!.get(p) ?? 0) + 1);
    }
  }
  const label = new Map<string, string>([...inside].map((p) => [p, p]));
  const order = [...inside].sort();
  for (let r = 0; r < rounds; r++) {
    let changed = false;
    for (const p of order) {
      const counts = new Map<string, number>();
      for (const [n, w] of ties.get(p)!) counts.set(label.get(n)!, (counts.get(label.get(n)!) ?? 0) + w);
      if (counts.size === 0) continue;
      let best = label.get(p)!;
      let bestCount = counts.get(best) ?? 0;
      for (const [l, n] of counts) if (n > bestCount || (n === bestCount && l < best)) [best, bestCount] = [l, n];
      if (best !== label.get(p)) {
        label.set(p, best);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return label;
}
