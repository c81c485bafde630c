import { describe, expect, it } from 'vitest';
import { JobScheduler } from '../../dvms/runtime/scheduler.ts';

describe('DVM job turns (dvms/runtime/scheduler.ts)', () => {
  it('one customer with many jobs delays another by a turn, not by all of them', async () => {
    const s = new JobScheduler({ concurrency: 1, perMinute: 100, maxWaiting: 100 });
    const order: string[] = [];
    const job = (name: string) => () => new Promise<void>((r) => setTimeout(() => (order.push(name), r()), 5));
    for (let i = 0; i < 5; i++) s.submit('greedy', false, job(`g${i}`));
    s.submit('modest', false, job('m0'));
    await new Promise((r) => setTimeout(r, 100));
    // g0 was running; the greedy customer was first in line for one more turn; then the modest one
    expect(order.slice(0, 3)).toEqual(['g0', 'g1', 'm0']);
    expect(order).toHaveLength(6);
  });

  it('refuses past maxWaiting, and remote customers past perMinute; home customers are not counted', () => {
    const s = new JobScheduler({ concurrency: 1, perMinute: 2, maxWaiting: 3 });
    const never = () => new Promise<void>(() => {});
    expect(s.submit('a', true, never, 0).ok).toBe(true);
    expect(s.submit('a', true, never, 1).ok).toBe(true);
    expect(s.submit('a', true, never, 2)).toEqual({ ok: false, reason: expect.stringMatching(/^rate-limited: at most 2 requests a minute/) });
    expect(s.submit('a', true, never, 60_001).ok).toBe(true); // a minute later
    expect(s.submit('b', false, never).ok).toBe(true);
    expect(s.submit('c', false, never)).toEqual({ ok: false, reason: expect.stringMatching(/busy/) });
    expect(s.waitingJobs).toBe(3);
  });
});
