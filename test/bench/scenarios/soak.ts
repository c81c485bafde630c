import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { finalizeEvent, generateSecretKey } from 'nostr-tools';
import { crashTrials } from '../../reliability/support/crashTrials.ts';
import { HostileGenerator } from '../../reliability/support/hostile.ts';
import { sendHostile } from '../../reliability/support/hostileRun.ts';
import { connectFrom, Inbox } from '../../reliability/support/net.ts';
import { SignPool } from '../util/signPool.ts';
import { percentile, sleep } from '../util/stats.ts';
import { BENCH_NO_POLICIES, rssOf, startTarget } from '../util/target.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';
import { seededRandom } from '../../../models/train/dataset.ts';

/**
 * Soak (issue 8): kill -9 trials (every OK true must survive), a million hostile frames (every
 * answer with a standard prefix, RSS before and after), and the latency of a well-behaved
 * client on its own address while another address floods the relay. --quick runs each briefly.
 */
export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const set = (k: string, v: number, unit: string) => ((metrics[k] = v), (units[k] = unit));

  // 1. Crash durability.
  if (opts.url) notes.push('crash trials skipped: they need a relay the harness can kill (no --url)');
  else {
    const trials = opts.quick ? 5 : 50;
    const seed = Date.now() % 1_000_000;
    opts.log(`soak: ${trials} kill -9 trials (seed ${seed})`);
    const r = await crashTrials({ trials, clients: 4, seed, maxDelayMs: 1_500, log: (l) => opts.log(`soak: ${l}`) });
    set('soak.crash.trials', r.trials, 'trials');
    set('soak.crash.events_sent', r.sent, 'events');
    set('soak.crash.acked', r.acked, 'events (OK true)');
    set('soak.crash.acked_lost', r.lost.length, 'events');
    set('soak.crash.failed_restarts', r.failedStarts, 'restarts');
    if (r.lost.length > 0) notes.push(`crash: acknowledged but lost (seed ${seed}): ${r.lost.slice(0, 5).join(', ')}`);
  }

  // 2. Hostile input.
  {
    const frames = opts.quick ? 20_000 : 1_000_000;
    const maxMessageBytes = 16_384;
    const target = await startTarget(opts, { overrides: { policies: BENCH_NO_POLICIES, limits: { maxMessageBytes } } });
    try {
      const seed = Date.now() % 1_000_000;
      const gen = new HostileGenerator(seededRandom(seed), target.owned ? maxMessageBytes : 262_144);
      await sendHostile(target.url, gen, 2_000, { window: 32 }); // warm-up before the baseline
      const before = await rssOf(target.pid);
      opts.log(`soak: ${frames} hostile frames (seed ${seed})`);
      let peak = before;
      const t0 = performance.now();
      const stats = await sendHostile(target.url, gen, frames, {
        window: 32,
        every: 50_000,
        between: async (n) => {
          peak = Math.max(peak, await rssOf(target.pid));
          opts.log(`soak: ${n} hostile frames sent`);
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      await sleep(2_000);
      const after = await rssOf(target.pid);
      // A crash shows as the relay gone (its RSS unreadable) or as reconnects.
      const alive = target.pid === undefined || Number.isFinite(after);
      set('soak.hostile.frames', stats.sent, 'frames');
      set('soak.hostile.frames_per_s', stats.sent / seconds, 'frames/s');
      set('soak.hostile.violations', stats.violations.length, 'answers without a standard prefix (or none)');
      set('soak.hostile.dropped_connections', stats.reconnects, 'connections');
      set('soak.hostile.crashes', alive ? 0 : 1, 'crashes');
      if (target.pid !== undefined) {
        set('soak.hostile.rss_before_mb', before / 2 ** 20, 'MiB');
        set('soak.hostile.rss_peak_mb', peak / 2 ** 20, 'MiB');
        set('soak.hostile.rss_after_mb', after / 2 ** 20, 'MiB');
      } else notes.push('hostile: RSS skipped (relay pid unknown; pass --pid with --url)');
      for (const v of stats.violations.slice(0, 5)) notes.push(`hostile violation (${v.family}): ${v.answer.slice(0, 160)}`);
      notes.push(`hostile answers: ${JSON.stringify(stats.answers)}`);
    } finally {
      await target.close();
    }
  }

  // 3. Floods against a neighbour's latency.
  await floodLatency(opts, set, notes);
  return { metrics, units, notes };
}

const FLOODER = '127.0.0.1';
const NEIGHBOUR = '127.0.0.2';
const limited = (perMinute: number, burst: number) => ({ use: 'rateLimit', options: { perIp: { perMinute, burst }, exemptIps: [] } });

/** The neighbour's publish (EVENT → OK) and read (REQ → EOSE) round trips, in ms. */
async function neighbourRoundTrips(url: string, ms: number, sk: Uint8Array): Promise<{ publish: number[]; read: number[]; failures: number }> {
  const ws = await connectFrom(url, NEIGHBOUR);
  if (typeof ws === 'number') throw new Error(`neighbour refused with HTTP ${ws}`);
  const c = new Inbox(ws);
  const out = { publish: [] as number[], read: [] as number[], failures: 0 };
  const end = Date.now() + ms;
  for (let i = 0; Date.now() < end; i++) {
    const e = finalizeEvent({ kind: 1, content: `neighbour ${i} ${randomBytes(4).toString('hex')}`, tags: [], created_at: Math.floor(Date.now() / 1000) }, sk);
    let t = performance.now();
    c.send(['EVENT', e]);
    const ok = await c.take((f) => f[0] === 'OK' && f[1] === e.id, 10_000).catch(() => undefined);
    if (ok?.[2] === true) out.publish.push(performance.now() - t);
    else out.failures++;
    t = performance.now();
    c.send(['REQ', `r${i}`, { ids: [e.id] }]);
    const eose = await c.take((f) => f[0] === 'EOSE' && f[1] === `r${i}`, 10_000).catch(() => undefined);
    if (eose) out.read.push(performance.now() - t);
    else out.failures++;
    c.send(['CLOSE', `r${i}`]);
    c.frames.length = 0;
    // 4 publishes a second: within the neighbour's own write limit (240 a minute).
    await sleep(250);
  }
  ws.close();
  return out;
}

async function floodLatency(opts: BenchOptions, set: (k: string, v: number, unit: string) => void, notes: string[]): Promise<void> {
  const seconds = opts.quick ? 5 : 30;
  const target = await startTarget(opts, {
    overrides: { policies: { connection: [limited(60, 30)], write: [limited(240, 120)], read: [limited(600, 200)] }, limits: { maxSubscriptions: 50 } },
  });
  if (!target.owned) notes.push('flood: --url relay keeps its own policies; rate-limit figures may be zero');
  const sk = generateSecretKey();
  const pool = new SignPool();
  const floodEvents = await pool.sign({ shape: 'feed', label: `soak-${randomBytes(4).toString('hex')}`, authors: 50, baseTime: Math.floor(Date.now() / 1000) - 600 }, 0, opts.quick ? 5_000 : 30_000);
  await pool.close();
  try {
    opts.log('soak: neighbour baseline round trips');
    const baseline = await neighbourRoundTrips(target.url, Math.min(5_000, seconds * 1000), sk);
    // The flood comes from another process, so the neighbour's timings measure the relay, not
    // a load generator busy with its own flood.
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-soak-flood-'));
    writeFileSync(join(dir, 'events.jsonl'), floodEvents.join('\n'));
    const flooder = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, HAMLET_SOAK_FLOOD_URL: target.url, HAMLET_SOAK_FLOOD_EVENTS: join(dir, 'events.jsonl') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let report = '';
    flooder.stdout!.on('data', (d: Buffer) => (report += d.toString()));
    const flooderDone = new Promise((r) => flooder.once('exit', r));
    await sleep(1_000); // the flood is under way
    opts.log(`soak: neighbour round trips under a flood for ${seconds} s`);
    const flooded = await neighbourRoundTrips(target.url, seconds * 1000, sk);
    flooder.kill('SIGTERM');
    const kill = setTimeout(() => flooder.kill('SIGKILL'), 5_000);
    await flooderDone;
    clearTimeout(kill);
    rmSync(dir, { recursive: true, force: true });
    const counts = JSON.parse(report.trim().split('\n').pop() || '{}') as Record<string, number>;
    const put = (name: string, v: number[]) => {
      set(`soak.flood.${name}_p50_ms`, percentile(v, 50), 'ms');
      set(`soak.flood.${name}_p99_ms`, percentile(v, 99), 'ms');
    };
    put('baseline_publish', baseline.publish);
    put('baseline_read', baseline.read);
    put('neighbour_publish', flooded.publish);
    put('neighbour_read', flooded.read);
    set('soak.flood.neighbour_failures', flooded.failures, 'round trips');
    set('soak.flood.flood_events_sent', counts.events ?? NaN, 'frames');
    set('soak.flood.flood_reqs_sent', counts.reqs ?? NaN, 'frames');
    set('soak.flood.rate_limited_answers', counts.rateLimited ?? NaN, 'answers');
    set('soak.flood.connections_refused', counts.connectionsRefused ?? NaN, 'connections');
    set('soak.flood.connections_admitted', counts.connectionsOpened ?? NaN, 'connections');
  } finally {
    await target.close();
  }
}

/**
 * The flooding process (this file run with HAMLET_SOAK_FLOOD_URL): 8 connections from 127.0.0.1
 * sending EVENTs and REQs as fast as the relay reads them, plus connection churn; it prints its
 * counts as a JSON line every second and on SIGTERM.
 */
async function flood(url: string, eventsFile: string): Promise<void> {
  const events = readFileSync(eventsFile, 'utf8').split('\n');
  const counts = { events: 0, reqs: 0, rateLimited: 0, connectionsRefused: 0, connectionsOpened: 0 };
  let stop = false;
  // Counts every second as well: a flooder busy with the relay's answers may be killed before it reports.
  setInterval(() => process.stdout.write(`${JSON.stringify(counts)}\n`), 1_000).unref();
  process.once('SIGTERM', () => {
    stop = true;
    process.stdout.write(`${JSON.stringify(counts)}\n`, () => process.exit(0));
  });
  let next = 0;
  const pump = (ws: WebSocket, i: number): void => {
    if (stop || ws.readyState !== WebSocket.OPEN) return;
    // Keep a megabyte queued per connection, as fast as the relay reads; a bounded burst per turn
    // (the kernel may take writes as fast as they come, and this loop must yield).
    for (let n = 0; n < 2_000 && ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 1 << 20; n++) {
      if (i % 2 === 0) {
        ws.send(`["EVENT",${events[next++ % events.length]}]`);
        counts.events++;
      } else {
        ws.send(JSON.stringify(['REQ', `f${counts.reqs % 40}`, { kinds: [1], limit: 20 }]));
        counts.reqs++;
      }
    }
    setImmediate(() => pump(ws, i));
  };
  for (let i = 0; i < 8; i++) {
    const ws = await connectFrom(url, FLOODER).catch(() => undefined);
    if (ws === undefined || typeof ws === 'number') continue;
    ws.on('message', (d: Buffer) => {
      if (d.includes('rate-limited: ')) counts.rateLimited++;
    });
    pump(ws, i);
  }
  for (let i = 0; i < 100_000 && !stop; i++) {
    const ws = await connectFrom(url, FLOODER).catch(() => -1);
    if (typeof ws === 'number') counts.connectionsRefused++;
    else {
      counts.connectionsOpened++;
      ws.terminate();
    }
    await sleep(10);
  }
}

if (process.env.HAMLET_SOAK_FLOOD_URL && process.env.HAMLET_SOAK_FLOOD_EVENTS) {
  await flood(process.env.HAMLET_SOAK_FLOOD_URL, process.env.HAMLET_SOAK_FLOOD_EVENTS);
}
