import { describe, expect, it } from 'vitest';
import { runBroadcast, runPipeline } from '../../policies/pipeline.ts';
import type { Policy } from '../../policies/policy.ts';
import { conn, readInput, signed, step, writeInput } from './helpers.ts';

const reject = (reason: string): Policy => ({ write: () => ({ action: 'reject', reason }) });
const accept: Policy = { write: () => ({ action: 'accept' }) };

describe('pipeline', () => {
  it('runs steps in order and the first non-accept wins', async () => {
    const v = await runPipeline([step(accept, 'a'), step(reject('blocked: first'), 'b'), step(reject('blocked: second'), 'c')], 'write', writeInput(signed()));
    expect(v).toEqual({ decision: { action: 'reject', reason: 'blocked: first' }, by: 'b' });
  });

  it('stays synchronous while every step answers synchronously', () => {
    const v = runPipeline([step(accept), step(reject('blocked: no'))], 'write', writeInput(signed()));
    expect(v).not.toBeInstanceOf(Promise);
  });

  it('accumulates labels and lets a later step still reject', async () => {
    const label = (value: string): Policy => ({ write: () => ({ action: 'label', labels: [{ namespace: 'n', value }], rule: 'spam' }) });
    const labelled = await runPipeline([step(label('x'), 'l1'), step(label('y'), 'l2')], 'write', writeInput(signed()));
    expect(labelled.decision).toEqual({ action: 'label', labels: [{ namespace: 'n', value: 'x' }, { namespace: 'n', value: 'y' }], rule: 'spam' });
    expect(labelled.by).toBe('l1');
    const rejected = await runPipeline([step(label('x')), step(reject('blocked: after all'), 'r')], 'write', writeInput(signed()));
    expect(rejected.decision.action).toBe('reject');
  });

  it('adds a NIP-01 prefix to a bare reason', async () => {
    const v = await runPipeline([step(reject('go away'))], 'write', writeInput(signed()));
    expect(v.decision).toEqual({ action: 'reject', reason: 'blocked: go away' });
  });

  it('hands rewritten filters to later read steps without touching the caller', async () => {
    const seen: unknown[] = [];
    const cap: Policy = { read: ({ filters }) => ({ action: 'rewrite', filters: filters.map((f) => ({ ...f, limit: 5 })) }) };
    const spy: Policy = { read: ({ filters }) => (seen.push(filters), { action: 'accept' }) };
    const input = readInput([{ kinds: [1], limit: 100 }]);
    const v = await runPipeline([step(cap, 'cap'), step(spy)], 'read', input);
    expect(v.decision).toEqual({ action: 'rewrite', filters: [{ kinds: [1], limit: 5 }] });
    expect(seen).toEqual([[{ kinds: [1], limit: 5 }]]);
    expect(input.filters).toEqual([{ kinds: [1], limit: 100 }]);
  });

  it('refuses a rewrite outside the read stage as garbage', async () => {
    const bad: Policy = { write: () => ({ action: 'rewrite', filters: [] }) as never };
    const v = await runPipeline([step(bad, 'bad', { onError: 'reject' })], 'write', writeInput(signed()));
    expect(v.decision).toEqual({ action: 'reject', reason: 'error: policy bad is failing' });
    expect(v.failed).toMatch(/garbage/);
  });

  it.each([
    ['throws', { write: () => { throw new Error('boom'); } }, /threw: boom/],
    ['rejects its promise', { write: async () => { throw new Error('late boom'); } }, /threw: late boom/],
    ['returns garbage', { write: () => 42 as never }, /garbage/],
    ['returns an unknown action', { write: () => ({ action: 'maybe' }) as never }, /unknown action/],
    ['never answers', { write: () => new Promise<never>(() => undefined) }, /no answer within 30 ms/],
  ] as Array<[string, Policy, RegExp]>)('applies onError when a policy %s', async (_what, policy, why) => {
    const open = await runPipeline([step(policy, 'p', { timeoutMs: 30 }), step(reject('blocked: next step ran'), 'next')], 'write', writeInput(signed()));
    expect(open.decision).toEqual({ action: 'reject', reason: 'blocked: next step ran' });
    const closed = await runPipeline([step(policy, 'p', { timeoutMs: 30, onError: 'reject' })], 'write', writeInput(signed()));
    expect(closed).toMatchObject({ decision: { action: 'reject', reason: 'error: policy p is failing' }, by: 'p' });
    expect(closed.failed).toMatch(why);
  });

  it('ignores stages a policy does not implement', () => {
    expect(runPipeline([step({ read: () => ({ action: 'reject', reason: 'blocked: x' }) })], 'write', writeInput(signed()))).toEqual({ decision: { action: 'accept' } });
  });
});

describe('broadcast', () => {
  const input = { event: signed(), recipient: conn(), subId: 's' };
  it('vetoes when any step says false', () => {
    expect(runBroadcast([step({ broadcast: () => true }), step({ broadcast: () => false })], input)).toBe(false);
    expect(runBroadcast([step({ broadcast: () => true }), step({ write: () => ({ action: 'accept' }) })], input)).toBe(true);
  });
  it('applies onError to a throwing or non-boolean step', () => {
    const boom = { broadcast: (): boolean => { throw new Error('x'); } };
    expect(runBroadcast([step(boom)], input)).toBe(true);
    expect(runBroadcast([step(boom, 'p', { onError: 'reject' })], input)).toBe(false);
    expect(runBroadcast([step({ broadcast: () => 'yes' as never }, 'p', { onError: 'reject' })], input)).toBe(false);
  });
});
