import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { configSchema } from '../../../config/schema.ts';
import { seededRandom } from '../../../models/train/dataset.ts';
import { Store } from '../../../relay/store/store.ts';
import type { RelayServices } from '../../../relay/services.ts';
import type { NostrEvent } from '../../../relay/nostr/types.ts';
import { inlineEmbedder } from '../../../models/index.ts';
import { feedDvm, makeRanker } from '../../../dvms/feeds/feedDvm.ts';
import { FeedPages } from '../../../dvms/feeds/pages.ts';
import type { Algorithm } from '../../../dvms/feeds/params.ts';
import { parseRequest } from '../../../dvms/runtime/request.ts';
import { Signals } from '../../../dvms/signals/index.ts';
import type { DvmSpec } from '../../../dvms/types.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/**
 * Feeds (kind 5300 DVMs), in process over a real LMDB store (events written by the store's
 * writer, unsigned: signing is not what is measured; the DVMs read them back through the same
 * signals loader they use in the relay):
 *
 * 1. Quality. A simulated village: members with hidden topic interests (1-2 of 8 topics), a
 *    follow graph that leans towards shared interests, posts drawn from topic vocabularies,
 *    reactions drawn from interests (and a little from follows and chance) over a week. Time is
 *    split at "now": what happened before is stored; reactions after it are held out. For each
 *    member with held-out reactions, the top 20 of a feed (own and already-engaged posts
 *    removed) is scored against them: precision@20 and NDCG@20, for-you against the
 *    chronological baseline (the following feed) and an engagement-count baseline (most
 *    reactions among the last day's posts, as today's feed DVMs count), and trending. Means
 *    over seeds.
 * 2. Latency. Feed compute time per request (parse, rank, diversify, page; result cache off,
 *    a different member each request) at 100k stored events (and 1M without --quick), p50/p99
 *    per algorithm; plus the signals' load time from LMDB.
 */

const DAY = 86_400;
const TOPICS = ['garden', 'bitcoin', 'music', 'cooking', 'football', 'astronomy', 'knitting', 'cycling'];
const COMMON = 'the a today really just my our this that with and for new good time'.split(' ');

/** 40 words per topic: the topic's own name plus made-up words that only it uses. */
const VOCAB = TOPICS.map((t, k) => [t, ...Array.from({ length: 39 }, (_, j) => `${t.slice(0, 3)}${String.fromCharCode(97 + ((j * 7 + k) % 26))}${j}x`)]);

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

interface Member {
  pubkey: string;
  interests: number[];
  follows: Set<number>;
}

function makeEvent(seed: string, pubkey: string, kind: number, createdAt: number, content: string, tags: string[][]): NostrEvent {
  return { id: hex(seed), pubkey, kind, created_at: createdAt, content, tags, sig: '0'.repeat(128) };
}

class BenchVillage {
  readonly dir = mkdtempSync(join(tmpdir(), 'hamlet-bench-feeds-'));
  readonly store = new Store({ dataDir: this.dir, mapSizeMb: 8192, batchSize: 5000, searchEnabled: false, unsearchableKinds: new Set(), vanishApplies: () => false });
  // the schema's defaults, not config/default.toml: the bench measures code, not a deployment's file
  readonly config = configSchema.parse({ storage: { dataDir: this.dir }, log: { level: 'silent' }, dvms: { resultCacheSeconds: 0 } });
  readonly services: RelayServices = {
    config: this.config,
    log: pino({ level: 'silent' }),
    env: this.store.env,
    query: (filters) => this.store.query(filters, { now: Math.floor(Date.now() / 1000) }).map((r) => r.event()),
    getById: (id) => this.store.getById(id)?.event(),
    publish: async () => ({ ok: true, message: '' }),
    onCommitted: () => () => {},
    releaseHeld: async () => false,
    removeEvent: async () => false,
    modelMayRead: () => true,
    setModelReadRule: () => undefined,
  };

  async write(events: NostrEvent[]): Promise<void> {
    const chunk = 5000;
    for (let i = 0; i < events.length; i += chunk) await Promise.all(events.slice(i, i + chunk).map((e) => this.store.store(e, JSON.stringify(e))));
  }

  async feeds(): Promise<{ signals: Signals; specs: Map<Algorithm, DvmSpec>; loadMs: number }> {
    const t0 = performance.now();
    const signals = Signals.start({ services: this.services, embedder: inlineEmbedder(), windowHours: 8 * 24, trustedLabeler: () => false });
    await signals.ready;
    const loadMs = performance.now() - t0;
    const rank = makeRanker(signals, () => undefined);
    const pages = new FeedPages(this.store.env);
    const specs = new Map<Algorithm, DvmSpec>();
    for (const algorithm of ['for-you', 'trending', 'topic', 'following'] as const) {
      specs.set(algorithm, feedDvm({ algorithm, config: this.config.dvms, rank, pages, model: () => 'builtin', takesUnaddressed: false }));
    }
    return { signals, specs, loadMs };
  }

  async close(): Promise<void> {
    await this.store.writer.drain();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let requestSeq = 0;
async function ask(services: RelayServices, spec: DvmSpec, user: string, tags: string[][]): Promise<string[]> {
  const event = makeEvent(`req${requestSeq++}${Math.random()}`, user, 5300, Math.floor(Date.now() / 1000), '', tags);
  const out = await spec.handle(parseRequest(event, { from: 'home' }), { services, relayUrl: 'ws://bench', cancelled: () => false });
  return (JSON.parse(out.content) as string[][]).map((t) => t[1]!);
}

/** The simulated village: events before the split, and each member's held-out reactions. */
function simulate(seed: number, members: number, postsPerMember: number, now: number) {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const people: Member[] = Array.from({ length: members }, (_, i) => {
    const first = Math.floor(random() * TOPICS.length);
    const interests = random() < 0.5 ? [first] : [first, (first + 1 + Math.floor(random() * (TOPICS.length - 1))) % TOPICS.length];
    return { pubkey: hex(`member${seed}:${i}`), interests, follows: new Set() };
  });
  for (const [i, m] of people.entries()) {
    while (m.follows.size < Math.min(15, members - 1)) {
      const j = Math.floor(random() * members);
      if (j === i) continue;
      const shares = people[j]!.interests.some((t) => m.interests.includes(t));
      if (shares || random() < 0.3) m.follows.add(j);
    }
  }
  const stored: NostrEvent[] = people.map((m, i) =>
    makeEvent(`follows${seed}:${i}`, m.pubkey, 3, now - 7 * DAY, '', [...m.follows].map((j) => ['p', people[j]!.pubkey])),
  );
  const heldOut = new Map<string, Set<string>>();
  const posts: { e: NostrEvent; topic: number; author: number }[] = [];
  let n = 0;
  for (const [i, m] of people.entries()) {
    for (let k = 0; k < postsPerMember; k++) {
      const topic = random() < 0.85 ? pick(m.interests) : Math.floor(random() * TOPICS.length);
      const words = Array.from({ length: 10 }, () => (random() < 0.75 ? pick(VOCAB[topic]!) : pick(COMMON)));
      const createdAt = now - Math.floor(random() * 6 * DAY);
      const tags = random() < 0.5 ? [['t', TOPICS[topic]!]] : [];
      const e = makeEvent(`post${seed}:${n++}`, m.pubkey, 1, createdAt, words.join(' '), tags);
      posts.push({ e, topic, author: i });
      stored.push(e);
    }
  }
  // each member sees a sample of posts and reacts by interest (strongly), follows (a little), chance (rarely)
  for (const [i, m] of people.entries()) {
    for (const p of posts) {
      if (p.author === i) continue;
      const interested = m.interests.includes(p.topic);
      const follows = m.follows.has(p.author);
      const chance = (interested ? 0.12 : 0.004) * (follows ? 1.6 : 1);
      if (random() >= chance) continue;
      const at = p.e.created_at + Math.floor(-Math.log(1 - random()) * 12 * 3600);
      if (at > now) {
        let s = heldOut.get(m.pubkey);
        if (!s) heldOut.set(m.pubkey, (s = new Set()));
        s.add(p.e.id);
      } else stored.push(makeEvent(`like${seed}:${n++}`, m.pubkey, 7, at, '+', [['e', p.e.id], ['p', p.e.pubkey]]));
    }
  }
  return { people, stored, heldOut };
}

function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

const METHODS = ['for-you', 'chronological', 'engagement-count', 'trending'] as const;

export async function quality(seed: number, members: number, postsPerMember: number, log: (l: string) => void) {
  const now = Math.floor(Date.now() / 1000);
  const sim = simulate(seed, members, postsPerMember, now);
  const village = new BenchVillage();
  try {
    await village.write(sim.stored);
    const { signals, specs } = await village.feeds();
    const sums = Object.fromEntries(METHODS.map((m) => [m, { p: 0, ndcg: 0 }])) as Record<(typeof METHODS)[number], { p: number; ndcg: number }>;
    let evaluated = 0;
    // what today's feed DVMs do: most reactions among the posts of the last day
    const counted = [...signals.posts.posts.values()]
      .filter((p) => p.createdAt >= now - DAY)
      .map((p) => ({ id: p.id, pubkey: p.pubkey, n: signals.engagement.count(p.id) }))
      .sort((a, b) => b.n - a.n || (a.id < b.id ? -1 : 1));
    for (const m of sim.people) {
      const relevant = sim.heldOut.get(m.pubkey);
      if (!relevant || relevant.size < 3) continue;
      evaluated++;
      const unseen = (id: string) => !signals.engagement.engagedWith(m.pubkey, id) && signals.posts.get(id)?.pubkey !== m.pubkey;
      const lists: Record<(typeof METHODS)[number], string[]> = {
        'for-you': await ask(village.services, specs.get('for-you')!, m.pubkey, [['param', 'max_results', '60']]),
        chronological: await ask(village.services, specs.get('following')!, m.pubkey, [['param', 'max_results', '60']]),
        trending: await ask(village.services, specs.get('trending')!, m.pubkey, [['param', 'max_results', '60']]),
        'engagement-count': counted.filter((c) => c.pubkey !== m.pubkey && unseen(c.id)).slice(0, 60).map((c) => c.id),
      };
      for (const method of METHODS) {
        const top = lists[method].filter(unseen).slice(0, 20);
        sums[method].p += top.filter((id) => relevant.has(id)).length / 20;
        sums[method].ndcg += ndcgAt(top, relevant, 20);
      }
    }
    signals.close();
    log(`feeds: quality seed ${seed}: ${sim.stored.length} events, ${evaluated} members evaluated`);
    return { evaluated, events: sim.stored.length, scores: Object.fromEntries(METHODS.map((m) => [m, { p: sums[m].p / evaluated, ndcg: sums[m].ndcg / evaluated }])) };
  } finally {
    await village.close();
  }
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

export async function latency(total: number, requests: number, log: (l: string) => void) {
  const now = Math.floor(Date.now() / 1000);
  const random = seededRandom(total);
  const members = Math.max(200, Math.round(total / 50));
  const pubkeys = Array.from({ length: members }, (_, i) => hex(`lat${total}:${i}`));
  const village = new BenchVillage();
  try {
    const follows = pubkeys.map((pk, i) =>
      makeEvent(`latf${i}`, pk, 3, now - 7 * DAY, '', Array.from({ length: 30 }, () => ['p', pubkeys[Math.floor(random() * members)]!])),
    );
    await village.write(follows);
    const postIds: string[] = [];
    let written = follows.length;
    const batch = 20_000;
    while (written < total) {
      const events: NostrEvent[] = [];
      for (let i = 0; i < batch && written < total; i++, written++) {
        const author = pubkeys[Math.floor(random() * members)]!;
        const at = now - Math.floor(random() * 6 * DAY);
        if (postIds.length < 50 || random() < 0.6) {
          const topic = Math.floor(random() * TOPICS.length);
          const words = Array.from({ length: 12 }, () => (random() < 0.7 ? VOCAB[topic]![Math.floor(random() * 40)]! : COMMON[Math.floor(random() * COMMON.length)]!));
          const e = makeEvent(`latp${written}`, author, 1, at, words.join(' '), random() < 0.5 ? [['t', TOPICS[topic]!]] : []);
          postIds.push(e.id);
          events.push(e);
        } else {
          const target = postIds[Math.floor(random() * postIds.length)]!;
          events.push(makeEvent(`latr${written}`, author, random() < 0.85 ? 7 : 6, at, '+', [['e', target]]));
        }
      }
      await village.write(events);
      log(`feeds: stored ${written}/${total}`);
    }
    const { signals, specs, loadMs } = await village.feeds();
    const out: Record<string, number> = { [`latency.${label(total)}.signals_load_ms`]: loadMs, [`latency.${label(total)}.posts_in_window`]: signals.posts.size };
    for (const algorithm of ['for-you', 'trending', 'topic', 'following'] as const) {
      const times: number[] = [];
      for (let r = 0; r < requests; r++) {
        const user = pubkeys[(r * 7919) % members]!;
        const tags = algorithm === 'topic' ? [['param', 'topics', TOPICS[r % TOPICS.length]!]] : [];
        const t0 = performance.now();
        await ask(village.services, specs.get(algorithm)!, user, [['param', 'max_results', '50'], ...tags]);
        times.push(performance.now() - t0);
      }
      out[`latency.${label(total)}.${algorithm}.p50_ms`] = percentile(times, 0.5);
      out[`latency.${label(total)}.${algorithm}.p99_ms`] = percentile(times, 0.99);
      log(`feeds: ${label(total)} ${algorithm} p50 ${percentile(times, 0.5).toFixed(1)} ms`);
    }
    signals.close();
    return out;
  } finally {
    await village.close();
  }
}

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const seeds = opts.quick ? [1, 2] : [1, 2, 3, 4, 5];
  const runs = [];
  for (const seed of seeds) runs.push(await quality(seed, opts.quick ? 120 : 200, opts.quick ? 10 : 12, opts.log));
  for (const method of METHODS) {
    metrics[`quality.${method}.precision@20`] = runs.reduce((s, r) => s + r.scores[method]!.p, 0) / runs.length;
    metrics[`quality.${method}.ndcg@20`] = runs.reduce((s, r) => s + r.scores[method]!.ndcg, 0) / runs.length;
  }
  metrics['quality.members_evaluated'] = runs.reduce((s, r) => s + r.evaluated, 0) / runs.length;
  notes.push(`quality: mean over seeds ${seeds.join(', ')}; ${runs[0]!.events} stored events per village; held-out = reactions after the split`);
  Object.assign(metrics, await latency(100_000, opts.quick ? 20 : 60, opts.log));
  if (!opts.quick) {
    try {
      Object.assign(metrics, await latency(1_000_000, 20, opts.log));
    } catch (err) {
      notes.push(`1M: ${(err as Error).message}`);
    }
  } else notes.push('1M stored events: only without --quick');
  for (const k of Object.keys(metrics)) if (k.endsWith('_ms')) units[k] = 'ms';
  return { metrics, units, notes };
}
