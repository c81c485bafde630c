import { describe, expect, it } from 'vitest';
import { simulateVillage } from './simulation.ts';

describe('a simulated village (test/moderation/simulation.ts; run it with node --import tsx to see the figures)', () => {
  it('hides spam on reports alone, stops trolls once their record speaks, restores what juries overturn, and trains a head', async () => {
    const r = await simulateVillage();
    // Honest reports hide spam before any moderator looks.
    expect(r.spamHiddenByReports).toBeGreaterThanOrEqual(10);
    // Three newcomer trolls weigh enough at first; after their reports are overturned, not any more.
    expect(r.trollHidesRound1).toBe(r.trollTargets);
    expect(r.trollHidesRound2).toBe(0);
    expect(r.trollWeight).toBeLessThan(0.45);
    expect(r.honestWeight).toBeGreaterThan(0.6);
    // Every wrongly upheld post was appealed and judged by a jury drawn from all three communities.
    expect(r.stats.appeals.filed).toBeGreaterThanOrEqual(r.wrongUpholds);
    expect(r.stats.appeals.pending).toBe(0);
    expect(r.stats.juries.meanCommunities).toBe(3);
    expect(r.wrongUpholds).toBeGreaterThan(0);
    expect(r.restoredOnAppeal).toBeGreaterThan(0);
    expect(r.head?.card.counts.perLabel.hide).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
