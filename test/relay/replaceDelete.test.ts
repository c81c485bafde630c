import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeEvent, getPublicKey } from 'nostr-tools';
import { acceptAll } from '../../relay/policy.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { now, RawClient } from '../helpers/client.ts';
import { seededRandom } from '../../models/train/dataset.ts';

/**
 * Random sequences of replaceable (0, 3, 10002) and addressable (30023) versions, regular notes,
 * same-second ties and NIP-09 deletions by `e` and `a`, replayed against a tiny model of what a
 * relay must store, written here from the spec. Set HAMLET_TEST_SEED to replay a failure.
 */

const SEED = Number(process.env.HAMLET_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`replaceDelete.test.ts seed=${SEED} (replay: HAMLET_TEST_SEED=${SEED})`);

const rand = seededRandom(SEED);
const int = (n: number): number => Math.floor(rand() * n);
const chance = (p: number): boolean => rand() < p;
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const secretKey = (): Uint8Array => Uint8Array.from({ length: 32 }, () => 1 + int(254));

const sign = (sk: Uint8Array, kind: number, created_at: number, tags: string[][], content: string): NostrEvent =>
  JSON.parse(JSON.stringify(finalizeEvent({ kind, created_at, tags, content }, sk))) as NostrEvent;

// ---------------------------------------------------------------------------------------------
// The reference model (NIP-01 replaceable/addressable rules, NIP-09 deletions), kept naive.

const isReplaceable = (k: number): boolean => k === 0 || k === 3 || (k >= 10000 && k < 20000);
const isAddressable = (k: number): boolean => k >= 30000 && k < 40000;

function slotOf(e: NostrEvent): string | undefined {
  if (isReplaceable(e.kind)) return `${e.kind}:${e.pubkey}:`;
  if (isAddressable(e.kind)) return `${e.kind}:${e.pubkey}:${e.tags.find((t) => t[0] === 'd')?.[1] ?? ''}`;
  return undefined;
}

/** a wins over b: newer, or on a tie the lower id. */
const wins = (a: NostrEvent, b: NostrEvent): boolean => a.created_at > b.created_at || (a.created_at === b.created_at && a.id < b.id);

class Model {
  readonly stored = new Map<string, NostrEvent>();
  /** id → pubkeys that asked for its deletion (only its own author's request counts) */
  private readonly deletedIds = new Map<string, Set<string>>();
  /** slot → newest created_at covered by an `a` deletion */
  private readonly deletedSlots = new Map<string, number>();

  /** What OK must say: accepted, and whether it was already stored (a duplicate). */
  publish(e: NostrEvent): { ok: boolean; duplicate: boolean } {
    if (this.stored.has(e.id)) return { ok: true, duplicate: true };
    if (this.deletedIds.get(e.id)?.has(e.pubkey)) return { ok: false, duplicate: false };
    const slot = slotOf(e);
    if (slot !== undefined) {
      if ((this.deletedSlots.get(slot) ?? -1) >= e.created_at) return { ok: false, duplicate: false };
      const current = [...this.stored.values()].find((x) => slotOf(x) === slot);
      if (current && wins(current, e)) return { ok: false, duplicate: false };
      if (current) this.stored.delete(current.id);
    }
    if (e.kind === 5) {
      for (const [name, value] of e.tags) {
        if (name === 'e' && value) {
          const target = this.stored.get(value);
          if (target && target.pubkey !== e.pubkey) return { ok: false, duplicate: false };
        }
        if (name === 'a' && value && value.split(':')[1] !== e.pubkey) return { ok: false, duplicate: false };
      }
      for (const [name, value] of e.tags) {
        if (name === 'e' && value) {
          const target = this.stored.get(value);
          // A deletion of a deletion has no effect.
          if (target?.kind === 5) continue;
          this.stored.delete(value);
          this.deletedIds.set(value, (this.deletedIds.get(value) ?? new Set()).add(e.pubkey));
        }
        if (name === 'a' && value) {
          for (const x of [...this.stored.values()]) if (slotOf(x) === value && x.created_at <= e.created_at) this.stored.delete(x.id);
          this.deletedSlots.set(value, Math.max(this.deletedSlots.get(value) ?? -1, e.created_at));
        }
      }
    }
    this.stored.set(e.id, e);
    return { ok: true, duplicate: false };
  }
}

// ---------------------------------------------------------------------------------------------

const T0 = now() - 50_000;
const D_VALUES = ['', 'alpha', 'beta'];

interface Sequence {
  authors: { sk: Uint8Array; pubkey: string }[];
  steps: NostrEvent[];
}

/** One random sequence: a pool of versions and notes, deletions aimed at them, replays of both. */
function randomSequence(n: number): Sequence {
  const authors = Array.from({ length: 2 }, () => {
    const sk = secretKey();
    return { sk, pubkey: getPublicKey(sk) };
  });
  const pool: NostrEvent[] = [];
  const slots: string[] = [];
  let c = 0;
  const version = (): NostrEvent => {
    const a = authors[chance(0.8) ? 0 : 1]!;
    const r = rand();
    const ts = T0 + int(6);
    const content = `seq ${n} item ${c++}`;
    if (r < 0.15) return sign(a.sk, 1, ts, [], content);
    if (r < 0.5) {
      const kind = pick([0, 3, 10002]);
      return sign(a.sk, kind, ts, [], content);
    }
    const d = pick(D_VALUES);
    // Missing d and ["d", ""] are the same slot.
    const tags = d === '' && chance(0.5) ? [] : [['d', d]];
    return sign(a.sk, 30023, ts, tags, content);
  };
  for (let i = 0; i < 10; i++) pool.push(version());
  for (const a of authors) {
    for (const k of [0, 3, 10002]) slots.push(`${k}:${a.pubkey}:`);
    for (const d of D_VALUES) slots.push(`30023:${a.pubkey}:${d}`);
  }
  const deletion = (): NostrEvent => {
    const a = authors[chance(0.85) ? 0 : 1]!;
    const tags: string[][] = [];
    for (let k = 1 + int(2); k > 0; k--) {
      if (chance(0.55) && pool.length > 0) tags.push(['e', pick(pool).id]);
      else {
        // Mostly the author's own slots; sometimes someone else's (must be refused).
        const own = slots.filter((s) => s.split(':')[1] === a.pubkey);
        tags.push(['a', chance(0.85) ? pick(own) : pick(slots)]);
      }
    }
    return sign(a.sk, 5, T0 + int(6), tags, `deletion ${c++}`);
  };
  const steps: NostrEvent[] = [];
  for (let i = 0; i < 30; i++) {
    const r = rand();
    if (r < 0.25) {
      const del = deletion();
      pool.push(del);
      steps.push(del);
    } else if (r < 0.4) {
      const fresh = version();
      pool.push(fresh);
      steps.push(fresh);
    } else steps.push(pick(pool)); // re-publication (a duplicate, a refused older version, a deleted one)
  }
  return { authors, steps };
}

const newestFirst = (a: NostrEvent, b: NostrEvent): number => b.created_at - a.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe(`replaceable/addressable/deletion sequences vs a reference model (seed ${SEED})`, () => {
  let relay: TestRelay;
  let c: RawClient;

  beforeAll(async () => {
    relay = await startTestRelay({}, { policies: async () => acceptAll });
    c = await RawClient.open(relay.url);
  });
  afterAll(async () => {
    c?.close();
    await relay?.destroy();
  });

  const storedOf = async (authors: string[]): Promise<NostrEvent[]> => {
    const { events, closed } = await c.req('stored', { authors, limit: 5000 });
    expect(closed).toBeUndefined();
    // Stay a one-shot query: no live deliveries to 'stored' later.
    c.send(['CLOSE', 'stored']);
    return events;
  };

  it('answers every step as the model does and stores exactly what the model stores', async () => {
    let refused = 0;
    let deletions = 0;
    for (let n = 0; n < 12; n++) {
      const seq = randomSequence(n);
      const model = new Model();
      const log: string[] = [];
      for (const [i, e] of seq.steps.entries()) {
        const want = model.publish(e);
        const [ok, message] = await c.publish(e);
        log.push(`${i}: ${e.pubkey === seq.authors[0]!.pubkey ? 'A' : 'B'} kind ${e.kind} at +${e.created_at - T0} ${e.id.slice(0, 8)} tags ${JSON.stringify(e.tags.map((t) => [t[0], t[1]?.slice(0, 8)]))} → ${ok} ${message}`);
        const where = `seed ${SEED}, sequence ${n}, step ${i}\n${log.join('\n')}`;
        expect(ok, where).toBe(want.ok);
        if (ok) expect(message.startsWith('duplicate:'), where).toBe(want.duplicate);
        else {
          expect(message, where).toMatch(/^[a-z-]+: /);
          refused++;
        }
        if (e.kind === 5 && ok && !want.duplicate) deletions++;
        const got = await storedOf(seq.authors.map((a) => a.pubkey));
        expect(got.map((x) => x.id), where).toEqual([...model.stored.values()].sort(newestFirst).map((x) => x.id));
      }
    }
    // The generator reaches the interesting branches.
    expect(refused).toBeGreaterThan(20);
    expect(deletions).toBeGreaterThan(20);
  }, 60_000);

  it('still agrees with the model when the relay restarts in the middle of sequences (slots and tombstones persist)', async () => {
    for (let n = 100; n < 103; n++) {
      const seq = randomSequence(n);
      const model = new Model();
      for (const [i, e] of seq.steps.entries()) {
        if (i === 15) {
          c.close();
          const dataDir = relay.dataDir;
          await relay.close();
          relay = await startTestRelay({ storage: { dataDir } }, { policies: async () => acceptAll });
          c = await RawClient.open(relay.url);
        }
        const want = model.publish(e);
        const [ok, message] = await c.publish(e);
        const where = `seed ${SEED}, sequence ${n}, step ${i}: kind ${e.kind} ${e.id.slice(0, 8)} → ${ok} ${message}`;
        expect(ok, where).toBe(want.ok);
        if (ok) expect(message.startsWith('duplicate:'), where).toBe(want.duplicate);
      }
      const got = await storedOf(seq.authors.map((a) => a.pubkey));
      expect(got.map((x) => x.id), `seed ${SEED}, sequence ${n}`).toEqual([...model.stored.values()].sort(newestFirst).map((x) => x.id));
    }
  }, 60_000);

  describe('fixed cases from the checklist', () => {
    const author = () => {
      const sk = secretKey();
      return { sk, pubkey: getPublicKey(sk) };
    };

    it('replaceable tie: the lowest id is kept whichever arrives first', async () => {
      for (const order of ['low-first', 'high-first']) {
        const a = author();
        const [x, y] = [sign(a.sk, 0, T0, [], 'x'), sign(a.sk, 0, T0, [], 'y')];
        const [low, high] = x.id < y.id ? [x, y] : [y, x];
        const [first, second] = order === 'low-first' ? [low, high] : [high, low];
        expect((await c.publish(first))[0]).toBe(true);
        expect((await c.publish(second))[0]).toBe(order === 'high-first');
        expect((await storedOf([a.pubkey])).map((e) => e.id)).toEqual([low.id]);
      }
    });

    it('an `a` deletion removes versions up to its created_at, refuses older re-publication, accepts newer', async () => {
      const a = author();
      const other = author();
      const v1 = sign(a.sk, 30023, T0 + 1, [['d', 'post']], 'v1');
      const v2 = sign(a.sk, 30023, T0 + 3, [['d', 'post']], 'v2');
      const sibling = sign(a.sk, 30023, T0 + 1, [['d', 'other']], 'sibling');
      const foreign = sign(other.sk, 30023, T0 + 1, [['d', 'post']], 'foreign');
      for (const e of [v1, sibling, foreign]) expect((await c.publish(e))[0]).toBe(true);
      const del = sign(a.sk, 5, T0 + 2, [['a', `30023:${a.pubkey}:post`]], '');
      expect((await c.publish(del))[0]).toBe(true);
      expect((await storedOf([a.pubkey, other.pubkey])).map((e) => e.id).sort()).toEqual([sibling.id, foreign.id, del.id].sort());
      const [ok, msg] = await c.publish(v1);
      expect(ok).toBe(false);
      expect(msg).toMatch(/^[a-z-]+: /);
      const atDeletion = sign(a.sk, 30023, T0 + 2, [['d', 'post']], 'same second as the deletion');
      expect((await c.publish(atDeletion))[0]).toBe(false);
      expect((await c.publish(v2))[0]).toBe(true);
      expect((await storedOf([a.pubkey])).map((e) => e.id)).toContain(v2.id);
    });

    it('an `e` deletion refuses re-publication; a deletion of a deletion does nothing; another author cannot delete', async () => {
      const a = author();
      const b = author();
      const note = sign(a.sk, 1, T0, [], 'note');
      expect((await c.publish(note))[0]).toBe(true);
      const theft = sign(b.sk, 5, T0 + 1, [['e', note.id]], '');
      expect((await c.publish(theft))[0]).toBe(false);
      const del = sign(a.sk, 5, T0 + 1, [['e', note.id]], '');
      expect((await c.publish(del))[0]).toBe(true);
      const [ok, msg] = await c.publish(note);
      expect([ok, msg.split(':')[0]]).toEqual([false, 'blocked']);
      const undo = sign(a.sk, 5, T0 + 2, [['e', del.id]], '');
      expect((await c.publish(undo))[0]).toBe(true);
      expect((await storedOf([a.pubkey])).map((e) => e.id).sort()).toEqual([del.id, undo.id].sort());
      expect((await c.publish(del))).toEqual([true, expect.stringMatching(/^duplicate: /)]);
    });

    it("another key's deletion request for the same id does not undo the author's tombstone", async () => {
      const a = author();
      const b = author();
      const note = sign(a.sk, 1, T0, [], 'note');
      expect((await c.publish(note))[0]).toBe(true);
      expect((await c.publish(sign(a.sk, 5, T0 + 1, [['e', note.id]], '')))[0]).toBe(true);
      // The note is gone, so the relay no longer knows its author: b's request is accepted...
      expect((await c.publish(sign(b.sk, 5, T0 + 2, [['e', note.id]], '')))[0]).toBe(true);
      // ...but the author's deletion still stands.
      expect((await c.publish(note))[0]).toBe(false);
      expect((await storedOf([a.pubkey])).map((e) => e.kind)).toEqual([5]);
    });
  });
});
