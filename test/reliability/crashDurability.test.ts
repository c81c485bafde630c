import { afterEach, describe, expect, it } from 'vitest';
import { killChildren } from './support/child.ts';
import { crashTrials } from './support/crashTrials.ts';

/** kill -9 in the middle of concurrent publishing: nothing acknowledged is ever lost. */

afterEach(killChildren);

describe('crash durability', () => {
  it('every event that got OK true survives kill -9 and a restart on the same data directory', async () => {
    const seed = Number(process.env.HAMLET_CRASH_SEED ?? Date.now() % 1_000_000);
    const report = await crashTrials({ trials: 5, clients: 4, seed, maxDelayMs: 700 });
    expect(report.failedStarts, `seed ${seed}`).toBe(0);
    expect(report.lost, `seed ${seed}: acknowledged but lost`).toEqual([]);
    // The trials must actually have raced writes against the kill.
    expect(report.acked).toBeGreaterThan(0);
  }, 60_000);
});
