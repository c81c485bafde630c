import { describe, expect, it } from 'vitest';
import { generateSecretKey, getPublicKey } from 'nostr-tools';
import { make, signed, writeInput } from './helpers.ts';

describe('combinators', () => {
  const sk = generateSecretKey();
  const member = { use: 'pubkeys', options: { allow: [getPublicKey(sk)] } };
  const noLinks = { use: 'keywords', options: { patterns: ['https?://'] } };

  it('any: members may post links, others may not', async () => {
    const p = await make('any', { policies: [member, noLinks] });
    expect((await p.write!(writeInput(signed({ content: 'see https://x.test' }, sk)))).action).toBe('accept');
    expect((await p.write!(writeInput(signed({ content: 'plain words' })))).action).toBe('accept');
    expect(await p.write!(writeInput(signed({ content: 'see https://x.test' })))).toMatchObject({ action: 'reject', reason: expect.stringMatching(/^restricted: /) });
  });

  it('all: every child must accept', async () => {
    const p = await make('all', { policies: [member, noLinks] });
    expect((await p.write!(writeInput(signed({ content: 'plain' }, sk)))).action).toBe('accept');
    expect((await p.write!(writeInput(signed({ content: 'see https://x.test' }, sk)))).action).toBe('reject');
  });

  it('not: inverts a child', async () => {
    const p = await make('not', { policy: { use: 'kinds', options: { allow: [1] } }, reason: 'no kind 1 here', rule: 'kinds' });
    expect(await p.write!(writeInput(signed({ kind: 1 })))).toEqual({ action: 'reject', reason: 'blocked: no kind 1 here', rule: 'kinds' });
    expect((await p.write!(writeInput(signed({ kind: 7 })))).action).toBe('accept');
  });

  it('nests', async () => {
    const p = await make('not', { policy: { use: 'any', options: { policies: [member, { use: 'kinds', options: { allow: [7] } }] } }, action: 'hold', reason: 'blocked: review' });
    expect((await p.write!(writeInput(signed({ kind: 1 })))).action).toBe('accept');
    expect((await p.write!(writeInput(signed({ kind: 1 }, sk)))).action).toBe('hold');
  });
});
