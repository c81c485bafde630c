import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../../models/train/dataset.ts';
import { closeAll, ingest, openClients, type Client } from '../loadgen.ts';
import { processCpuMs } from '../util/cpuTime.ts';
import { benchKey, idOf, loadSigner, signToJson, type BenchKey, type Signer } from '../util/sign.ts';
import { sleep } from '../util/stats.ts';
import { BENCH_NO_POLICIES, startTarget, type Target } from '../util/target.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/**
 * Growth (issue 16): does the relay's memory stay flat while posts keep coming, with the DVMs
 * (feeds' signals) and the village labeler on? First enough posts to fill the DVMs' in-memory
 * indexes to their caps (scaled down here, CAPS, so that a bounded run gets past them; the
 * defaults are 50,000 posts / 64 MB), then small posts (a sentence, a hashtag, every tenth
 * liked), then big ones (~99 KB of text each), in rounds; after each round the relay is left
 * to finish (labels, embeddings: until its CPU is idle), then it collects garbage and reports
 * its memory (test/bench/util/memoryProbe.mjs). Reported: resident anonymous memory (RssAnon:
 * the heaps, malloc and buffers of every thread, not LMDB's file pages) and the main thread's
 * V8 heap after GC, at the start and end of each phase, and their slope per 1,000 posts (least
 * squares over the rounds). RssAnon moves by tens of MB with the worker threads' own heaps: the
 * heap slope is the figure to read.
 */

const LABEL = `growth-${Date.now().toString(36)}`;
const AUTHORS = 200;
const WORDS = (
  'village garden tomato market bridge council music choir bread oven winter rain harvest bicycle trail chess ' +
  'library school river forest festival neighbour lantern meadow orchard cider apple honey bees kitchen soup'
).split(' ');

/** The DVMs' caps for this run: small enough that the fill phase reaches them. */
export const CAPS = {
  maxPosts: 2000,
  maxPostsMb: 4,
  maxEngagements: 2000,
  maxEngagementsMb: 2,
  maxProfiles: 100,
  maxProfilesMb: 1,
  maxLabelled: 2000,
  maxLabelledMb: 2,
};

interface Sample {
  posts: number;
  rssAnon: number;
  heapUsed: number;
  heapTotal: number;
}

/** Text of about `chars` characters: sentences of village words, some capitalised, a few unique tokens. */
function text(random: () => number, chars: number, salt: string): string {
  const parts: string[] = [];
  let n = 0;
  for (let s = 0; n < chars; s++) {
    const len = 6 + Math.floor(random() * 12);
    const words = Array.from({ length: len }, (_, i) => {
      const w = random() < 0.05 ? `${salt}x${s}w${i}` : WORDS[Math.floor(random() * WORDS.length)]!;
      return i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w;
    });
    const sentence = `${words.join(' ')}.`;
    parts.push(sentence);
    n += sentence.length + 1;
  }
  return parts.join(' ').slice(0, chars);
}

class Corpus {
  private readonly random = seededRandom(16);
  private readonly signer: Signer = loadSigner();
  private readonly keys: BenchKey[] = Array.from({ length: AUTHORS }, (_, i) => benchKey(LABEL, i));
  private count = 0;
  private readonly recent: string[] = [];

  /** Small posts (with a like for every tenth) or big posts, signed now. */
  next(n: number, big: boolean): { events: string[]; posts: number } {
    const now = Math.floor(Date.now() / 1000);
    const events: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = this.count++;
      const key = this.keys[k % AUTHORS]!;
      // one of 50 common hashtags, and now and then one nobody used before
      const tags = [['t', `topic${Math.floor(this.random() ** 3 * 50)}`]];
      if (this.random() < 0.1) tags.push(['t', `once${k}`]);
      // the post's number in it: no two posts are one event
      const content = big ? `${k}: ${text(this.random, 98_990, `b${k}`)}` : `${k}: ${text(this.random, 40 + Math.floor(this.random() * 200), `s${k}`)} #${tags[0]![1]}`;
      const json = signToJson(this.signer, key, { kind: 1, created_at: now - (n - i), tags, content });
      events.push(json);
      this.recent.push(idOf(json));
      if (this.recent.length > 1000) this.recent.shift();
      if (!big && k % 10 === 0) {
        const target = this.recent[Math.floor(this.random() * this.recent.length)]!;
        // a nonce: the same like twice would be one id, whose second OK the load generator never counts
        events.push(signToJson(this.signer, this.keys[(k + 7) % AUTHORS]!, { kind: 7, created_at: now - (n - i), tags: [['e', target], ['nonce', String(k)]], content: '+' }));
      }
    }
    return { events, posts: n };
  }
}

/** Waits until the relay's CPU use stays under 5% for two readings a second apart (or `maxMs`). */
async function settle(pid: number, maxMs: number): Promise<void> {
  const end = Date.now() + maxMs;
  let quiet = 0;
  let last = processCpuMs(pid) ?? 0;
  while (Date.now() < end && quiet < 2) {
    await sleep(1000);
    const cpu = processCpuMs(pid) ?? 0;
    quiet = cpu - last < 50 ? quiet + 1 : 0;
    last = cpu;
  }
}

/** Asks the relay's probe for its memory after GC. */
async function probe(pid: number): Promise<Omit<Sample, 'posts'>> {
  const file = join(tmpdir(), `hamlet-memprobe-${pid}.json`);
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { seq: number }).seq : 0;
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    if (!existsSync(file)) continue;
    const m = JSON.parse(readFileSync(file, 'utf8')) as Omit<Sample, 'posts'> & { seq: number; gc: boolean };
    if (m.seq > before) {
      if (!m.gc) throw new Error('the relay runs without --expose-gc');
      return { rssAnon: m.rssAnon, heapUsed: m.heapUsed, heapTotal: m.heapTotal };
    }
  }
  throw new Error('the relay did not answer the memory probe');
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) (num += (xs[i]! - mx) * (ys[i]! - my)), (den += (xs[i]! - mx) ** 2);
  return den === 0 ? 0 : num / den;
}

export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const set = (k: string, v: number, unit: string) => ((metrics[k] = v), (units[k] = unit));
  if (opts.url) return { metrics, notes: ['growth needs a relay the harness starts (its memory probe and GC); skipped with --url'] };

  const fill = opts.quick ? 2500 : 6000;
  const phases = opts.quick ? { small: { rounds: 3, per: 1000 }, big: { rounds: 3, per: 20 } } : { small: { rounds: 6, per: 3000 }, big: { rounds: 6, per: 50 } };
  const target: Target = await startTarget(opts, {
    overrides: {
      policies: BENCH_NO_POLICIES,
      dvms: { enabled: true, ...CAPS },
      labels: { enabled: true },
      models: { embedding: 'builtin', toxicity: 'builtin', workers: 1 },
      verify: { threads: 1 },
    },
    nodeFlags: ['--expose-gc', '--import', new URL('../util/memoryProbe.mjs', import.meta.url).pathname],
  });
  const pid = target.pid!;
  let clients: Client[] = [];
  try {
    clients = await openClients(target.url, 4);
    const corpus = new Corpus();
    const publish = async (n: number, big: boolean): Promise<number> => {
      const { events, posts } = corpus.next(n, big);
      const r = await ingest(clients, events, { inFlight: big ? 8 : 100, timeLimitMs: 300_000 });
      if (r.rejected > 0) notes.push(`${r.rejected} events refused: ${JSON.stringify(r.rejections)}`);
      await settle(pid, 120_000);
      return posts;
    };
    // fill: code paths, worker threads, the vocabulary, and the DVMs' indexes up to their caps
    opts.log(`growth: filling with ${fill} small and ${fill / 100} big posts`);
    for (let n = 0; n < fill; n += 1000) await publish(Math.min(1000, fill - n), false);
    await publish(fill / 100, true);
    for (const [phase, { rounds, per }] of Object.entries(phases)) {
      const big = phase === 'big';
      const samples: Sample[] = [{ posts: 0, ...(await probe(pid)) }];
      let posts = 0;
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        posts += await publish(per, big);
        samples.push({ posts, ...(await probe(pid)) });
        const m = samples.at(-1)!;
        const mb = (b: number) => (b / 2 ** 20).toFixed(1);
        opts.log(`growth: ${phase} ${posts} posts, RssAnon ${mb(m.rssAnon)} MiB, heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MiB (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
      const xs = samples.map((s) => s.posts / 1000);
      const size = big ? '~99 KB' : 'small';
      set(`growth.${phase}.posts`, posts, `${size} posts`);
      set(`growth.${phase}.rss_anon_start_mb`, samples[0]!.rssAnon / 2 ** 20, 'MiB');
      set(`growth.${phase}.rss_anon_end_mb`, samples.at(-1)!.rssAnon / 2 ** 20, 'MiB');
      set(`growth.${phase}.heap_start_mb`, samples[0]!.heapUsed / 2 ** 20, 'MiB (after GC)');
      set(`growth.${phase}.heap_end_mb`, samples.at(-1)!.heapUsed / 2 ** 20, 'MiB (after GC)');
      set(`growth.${phase}.rss_anon_kb_per_1k_posts`, slope(xs, samples.map((s) => s.rssAnon)) / 1024, `KiB per 1,000 ${size} posts`);
      set(`growth.${phase}.heap_kb_per_1k_posts`, slope(xs, samples.map((s) => s.heapUsed)) / 1024, `KiB per 1,000 ${size} posts (after GC)`);
    }
    notes.push(`DVMs (4 feeds) and the labeler on, built-in models in 1 worker, 1 verifier thread; caps ${JSON.stringify(CAPS)}; memory read after two full GCs of the main thread, once the relay is idle`);
  } finally {
    closeAll(clients);
    await target.close();
    rmSync(join(tmpdir(), `hamlet-memprobe-${pid}.json`), { force: true });
  }
  return { metrics, units, notes };
}
