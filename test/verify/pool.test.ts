import { afterAll, describe, expect, it } from 'vitest';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { VerifyPool } from '../../relay/verify/pool.ts';
import { loadVerifier } from '../../relay/verify/select.ts';
import { serialise } from '../../relay/nostr/canonical.ts';
import { BAD_ID, BAD_SIG, VALID } from '../../relay/verify/batch.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

// The pool packs events into binary batches on the main thread and verifies them on real
// worker threads; every answer must belong to its own event, whatever the batching did.
describe('verifier pool (binary batches on worker threads)', () => {
  const pool = new VerifyPool('auto', 2);
  afterAll(() => pool.close());
  const check = (e: NostrEvent) => pool.check(e, serialise(e).hashInput);
  const sign = (content: string, i = 0): NostrEvent =>
    finalizeEvent({ kind: 1, created_at: 1_700_000_000 + i, tags: [['t', `x${i}`]], content }, generateSecretKey()) as NostrEvent;

  it('answers each event of a large mixed burst with its own code', async () => {
    const events: NostrEvent[] = [];
    const expected: number[] = [];
    for (let i = 0; i < 400; i++) {
      const e = sign(`burst ${i} ✓ ünïcödé 🎉`, i);
      if (i % 7 === 3) {
        events.push({ ...e, content: e.content + '!' });
        expected.push(BAD_ID);
      } else if (i % 7 === 5) {
        events.push({ ...e, sig: e.sig.slice(0, 10) + (e.sig[10] === 'a' ? 'b' : 'a') + e.sig.slice(11) });
        expected.push(BAD_SIG);
      } else {
        events.push(e);
        expected.push(VALID);
      }
    }
    // All submitted in one turn: more than one batch (at most 128 per task) on both threads.
    expect(await Promise.all(events.map(check))).toEqual(expected);
  });

  it('grows its buffer for events larger than the initial 64 KiB', async () => {
    const big = sign('x'.repeat(100_000) + ' 日本語'.repeat(20_000));
    const small = sign('small after big', 1);
    expect(await Promise.all([check(small), check(big), check({ ...big, content: big.content + 'y' }), check(small)])).toEqual([VALID, VALID, BAD_ID, VALID]);
  });

  it('never sends a field that is not hex of the right length (it could reuse an earlier item\'s bytes)', async () => {
    const e = sign('valid twin');
    // One at a time: each is written where the valid twin's bytes were left in the buffer.
    const results: number[] = [];
    for (const variant of [e, { ...e, id: 'zz' + e.id.slice(2) }, { ...e, pubkey: e.pubkey.slice(0, 62) }, { ...e, sig: e.sig.slice(0, 126) + 'gg' }, { ...e, id: e.id + '00' }]) {
      results.push(await check(e));
      results.push(await check(variant));
    }
    expect(results).toEqual([VALID, VALID, VALID, BAD_ID, VALID, BAD_ID, VALID, BAD_ID, VALID, BAD_ID]);
  });
});

describe('verifier pool with a verifier of its own thread (quiet relay)', () => {
  it('answers lone events and pairs on the calling thread, larger bursts on the workers, each with its own code', async () => {
    const pool = new VerifyPool('auto', 2, await loadVerifier('auto'));
    try {
      const check = (e: NostrEvent) => pool.check(e, serialise(e).hashInput);
      const e = finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags: [], content: 'alone' }, generateSecretKey()) as NostrEvent;
      const badId = { ...e, content: 'altered' };
      const badSig = { ...e, sig: e.sig.slice(0, 10) + (e.sig[10] === 'a' ? 'b' : 'a') + e.sig.slice(11) };
      // one at a time, then a pair (both inline), then a burst of twelve (a worker task)
      expect(await check(e)).toBe(VALID);
      expect(await check(badId)).toBe(BAD_ID);
      expect(await check(badSig)).toBe(BAD_SIG);
      expect(await Promise.all([check(badSig), check(e)])).toEqual([BAD_SIG, VALID]);
      const burst = Array.from({ length: 12 }, (_, i) => [e, badId, badSig][i % 3]!);
      expect(await Promise.all(burst.map(check))).toEqual(burst.map((_, i) => [VALID, BAD_ID, BAD_SIG][i % 3]));
    } finally {
      await pool.close();
    }
  });
});
