import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeEvent, getPublicKey, matchFilter, matchFilters, type Filter as ClientFilter } from 'nostr-tools';
import { acceptAll } from '../../relay/policy.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { now, publish, RawClient, Relay } from '../helpers/client.ts';
import { seededRandom } from '../../models/train/dataset.ts';

/**
 * Differential test of the stored read path and the live monitor: random events through the
 * real relay, random filters, and the relay's answers compared with nostr-tools' matchFilter
 * plus the NIP-01 ordering rule. Set HAMLET_TEST_SEED to replay a failure.
 */

const SEED = Number(process.env.HAMLET_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`differential.test.ts seed=${SEED} (replay: HAMLET_TEST_SEED=${SEED})`);


const rand = seededRandom(SEED);
const int = (n: number): number => Math.floor(rand() * n);
const chance = (p: number): boolean => rand() < p;
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
/** 1..max values drawn with replacement (repeated values included, as clients send them). */
const some = <T>(xs: readonly T[], max: number): T[] => Array.from({ length: 1 + int(max) }, () => pick(xs));
const hex64 = (): string => Array.from({ length: 32 }, () => int(256).toString(16).padStart(2, '0')).join('');
const secretKey = (): Uint8Array => Uint8Array.from({ length: 32 }, () => 1 + int(254));

const DEFAULT_LIMIT = 40;
const MAX_LIMIT = 100;
const N_EVENTS = 320;
const N_QUERIES = 220;
const N_LIVE = 24;

const keys = Array.from({ length: 4 }, secretKey);
const pubkeys = keys.map((sk) => getPublicKey(sk));
const strangers = [hex64(), hex64()];
const E_POOL = Array.from({ length: 5 }, hex64);
const P_POOL = [...pubkeys, ...strangers];
const T_POOL = ['nostr', 'village', 'a', 'b', 'x-y'];
const D_POOL = ['', 'one', 'two'];
const REGULAR = [1, 7, 1111];
const REPLACEABLE = [0, 10002];
const ADDRESSABLE = [30023];
const KIND_POOL = [...REGULAR, ...REPLACEABLE, ...ADDRESSABLE];
const BASE = now() - 100_000;
const SPAN = 30;

const isReplaceable = (k: number): boolean => k === 0 || k === 3 || (k >= 10000 && k < 20000);
const isAddressable = (k: number): boolean => k >= 30000 && k < 40000;

function randomEvent(i: number): NostrEvent {
  const author = int(keys.length);
  const r = rand();
  const kind = r < 0.76 ? pick(REGULAR) : r < 0.88 ? pick(REPLACEABLE) : pick(ADDRESSABLE);
  const tags: string[][] = [];
  if (isAddressable(kind) && !chance(0.15)) tags.push(['d', pick(D_POOL)]);
  for (let n = int(5); n > 0; n--) {
    const t = int(6);
    if (t === 0) tags.push(['e', pick(E_POOL), ...(chance(0.3) ? ['wss://relay.example', 'reply'] : [])]);
    else if (t === 1) tags.push(['p', pick(P_POOL)]);
    else if (t === 2) tags.push(['t', pick(T_POOL)]);
    // A value in element [2] must not match a tag filter.
    else if (t === 3) tags.push(['t', 'zz', pick(T_POOL)]);
    else if (t === 4) tags.push(['T', pick(T_POOL)]);
    else tags.push(['d', pick(D_POOL)]);
  }
  // A few events at the very start of time, for bounds around 0.
  const created_at = chance(0.03) ? int(2) : BASE + int(SPAN);
  const e = finalizeEvent({ kind, created_at, tags, content: `event ${i} of seed ${SEED}` }, keys[author]!);
  return JSON.parse(JSON.stringify(e)) as NostrEvent;
}

/** NIP-01 order: newest first, equal created_at by lowest id. */
const newestFirst = (a: NostrEvent, b: NostrEvent): number => b.created_at - a.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What must be stored: every regular event; per replaceable/addressable slot the newest, tie → lowest id. */
function referenceStore(events: NostrEvent[]): NostrEvent[] {
  const regular: NostrEvent[] = [];
  const slots = new Map<string, NostrEvent>();
  for (const e of events) {
    if (!isReplaceable(e.kind) && !isAddressable(e.kind)) {
      regular.push(e);
      continue;
    }
    const d = isAddressable(e.kind) ? (e.tags.find((t) => t[0] === 'd')?.[1] ?? '') : '';
    const slot = `${e.kind}:${e.pubkey}:${d}`;
    const cur = slots.get(slot);
    if (!cur || newestFirst(e, cur) < 0) slots.set(slot, e);
  }
  return [...regular, ...slots.values()].sort(newestFirst);
}

function randomFilter(allIds: string[]): ClientFilter {
  const f: ClientFilter = {};
  const empty = chance(0.03);
  if (chance(0.12)) f.ids = empty ? [] : some([...allIds, hex64()], 4);
  if (chance(0.4)) f.authors = empty ? [] : some([...pubkeys, strangers[0]!], 3);
  if (chance(0.4)) f.kinds = some([...KIND_POOL, 9999, ...(chance(0.05) ? [70000] : [])], 3);
  if (chance(0.25)) f['#e'] = some(E_POOL, 3);
  if (chance(0.25)) f['#p'] = some(P_POOL, 3);
  if (chance(0.25)) f['#t'] = some([...T_POOL, 'zz'], 3);
  if (chance(0.1)) f['#T'] = some(T_POOL, 2);
  if (chance(0.12)) f['#d'] = some(D_POOL, 2);
  // nostr-tools reads `until: 0` as no bound, so the bounds near 0 are -1 and 1.
  if (chance(0.3)) f.since = chance(0.1) ? pick([-1, 1, 2]) : BASE - 2 + int(SPAN + 4);
  if (chance(0.3)) f.until = chance(0.1) ? pick([-1, 1, 2]) : BASE - 2 + int(SPAN + 4);
  if (chance(0.8)) f.limit = pick([0, 1, 2, 3, 5, 8, 13, 37, MAX_LIMIT, 150, 5000]);
  return f;
}

/** The NIP-01 answer to a REQ: each filter's newest `limit`, merged without duplicates, newest first. */
function expectedAnswer(stored: NostrEvent[], filters: ClientFilter[]): string[] {
  const out = new Map<string, NostrEvent>();
  for (const f of filters) {
    const limit = Math.min(f.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
    for (const e of stored.filter((e) => matchFilter(f, e as never)).sort(newestFirst).slice(0, limit)) out.set(e.id, e);
  }
  return [...out.values()].sort(newestFirst).map((e) => e.id);
}

describe(`differential: relay answers vs nostr-tools matchFilters (seed ${SEED})`, () => {
  let relay: TestRelay;
  let reader: RawClient;
  let live: RawClient;
  let writer: Relay;
  const events = Array.from({ length: N_EVENTS }, (_, i) => randomEvent(i));
  const stored = referenceStore(events);
  const accepted: NostrEvent[] = [];
  const liveFilters = new Map<string, ClientFilter[]>();
  const delivered = new Map<string, string[]>();

  beforeAll(async () => {
    relay = await startTestRelay({ limits: { defaultLimit: DEFAULT_LIMIT, maxLimit: MAX_LIMIT }, log: { level: process.env.HAMLET_TEST_LOG ?? 'silent' } }, { policies: async () => acceptAll });
    reader = await RawClient.open(relay.url);
    live = await RawClient.open(relay.url);
    writer = await Relay.connect(relay.url);

    // Live subscriptions open before anything is published: they must see every accepted event they match.
    for (let i = 0; i < N_LIVE; i++) {
      const filters = Array.from({ length: 1 + int(2) }, () => randomFilter(events.map((e) => e.id)));
      const subId = `live-${i}`;
      liveFilters.set(subId, filters);
      delivered.set(subId, []);
      expect((await live.req(subId, ...filters)).closed).toBeUndefined();
    }

    const results = await Promise.all(events.map((e) => publish(writer, e)));
    results.forEach((r, i) => {
      const e = events[i]!;
      if (!isReplaceable(e.kind) && !isAddressable(e.kind)) expect(r, `regular event ${i} (seed ${SEED})`).toEqual({ ok: true, message: '' });
      else if (!r.ok) expect(r.message, `seed ${SEED}`).toMatch(/^duplicate: /);
      if (r.ok) accepted.push(e);
    });

    // Everything broadcast to `live` was queued before the writer saw its OK; a round trip on `live` flushes it.
    live.send(['REQ', 'sentinel', { limit: 0 }]);
    for (let n = 0; n < 100_000; n++) {
      const f = await live.next();
      if (f[0] === 'EOSE' && f[1] === 'sentinel') break;
      expect(f[0], JSON.stringify(f).slice(0, 200)).toBe('EVENT');
      delivered.get(f[1] as string)!.push((f[2] as NostrEvent).id);
    }
  }, 60_000);

  afterAll(async () => {
    reader?.close();
    live?.close();
    writer?.close();
    await relay?.destroy();
  });

  it('stores exactly the reference set (regular events, newest version per replaceable slot)', async () => {
    const got: string[] = [];
    for (const author of pubkeys) {
      for (const kind of KIND_POOL) {
        const { events: evs, closed } = await reader.req('dump', { authors: [author], kinds: [kind], limit: MAX_LIMIT });
        expect(closed).toBeUndefined();
        expect(evs.length).toBeLessThan(MAX_LIMIT);
        got.push(...evs.map((e) => e.id));
      }
    }
    expect(got.sort(), `seed ${SEED}`).toEqual(stored.map((e) => e.id).sort());
    // Every winner of a slot was acknowledged.
    const acceptedIds = new Set(accepted.map((e) => e.id));
    for (const e of stored) expect(acceptedIds.has(e.id), `seed ${SEED}: stored ${e.id} was refused`).toBe(true);
  });

  it('answers random REQs with the same set, order and limits as matchFilters + NIP-01 ordering', async () => {
    const allIds = events.map((e) => e.id);
    let nonEmpty = 0;
    let limited = 0;
    for (let q = 0; q < N_QUERIES; q++) {
      const filters = Array.from({ length: chance(0.6) ? 1 : 2 + int(2) }, () => randomFilter(allIds));
      const want = expectedAnswer(stored, filters);
      const { events: got, closed } = await reader.req(`q${q}`, ...filters);
      expect(closed, `seed ${SEED} query ${q} ${JSON.stringify(filters)}`).toBeUndefined();
      expect(got.map((e) => e.id), `seed ${SEED} query ${q} ${JSON.stringify(filters)}`).toEqual(want);
      // Stored bytes are the event as published.
      for (const e of got) expect(e).toEqual(events.find((x) => x.id === e.id));
      reader.send(['CLOSE', `q${q}`]);
      if (want.length > 0) nonEmpty++;
      if (filters.some((f) => stored.filter((e) => matchFilter(f, e as never)).length > Math.min(f.limit ?? DEFAULT_LIMIT, MAX_LIMIT))) limited++;
    }
    // The generator must exercise the interesting cases, not only empty answers.
    expect(nonEmpty).toBeGreaterThan(N_QUERIES / 3);
    expect(limited).toBeGreaterThan(N_QUERIES / 10);
  });

  it('counts random filter sets (COUNT, limit ignored) like matchFilters over the stored set', async () => {
    const allIds = events.map((e) => e.id);
    for (let q = 0; q < 60; q++) {
      const filters = Array.from({ length: 1 + int(3) }, () => randomFilter(allIds));
      const want = stored.filter((e) => matchFilters(filters, e as never)).length;
      reader.send(['COUNT', `c${q}`, ...filters]);
      const f = await reader.next((f) => f[1] === `c${q}`);
      expect(f.slice(0, 2), `seed ${SEED} ${JSON.stringify(f)}`).toEqual(['COUNT', `c${q}`]);
      expect((f[2] as { count: number }).count, `seed ${SEED} count ${q} ${JSON.stringify(filters)}`).toBe(want);
    }
  });

  it('delivers each accepted event live, once, to exactly the subscriptions whose filters match (limit ignored)', () => {
    for (const [subId, filters] of liveFilters) {
      const want = accepted.filter((e) => matchFilters(filters, e as never)).map((e) => e.id);
      const got = delivered.get(subId)!;
      expect(new Set(got).size, `seed ${SEED} ${subId}: delivered twice`).toBe(got.length);
      expect([...got].sort(), `seed ${SEED} ${subId} ${JSON.stringify(filters)}`).toEqual(want.sort());
    }
  });
});
