import { closeAll, measureFanout, openClients, subscribeAll } from '../loadgen.ts';
import { openLeanClients } from '../leanClient.ts';
import { benchKey, loadSigner, signToJson } from '../util/sign.ts';
import { percentile } from '../util/stats.ts';
import { randomBytes } from 'node:crypto';
import { BENCH_NO_POLICIES, startTarget } from '../util/target.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';

/**
 * Live fan-out: 100 live subscriptions on 100 connections, then 1,000 and 10,000 spread over
 * 1,000 connections, all matching one author; events are published one at a time and every
 * copy's publish → delivery time is a sample, after 3 untimed warm-up events. Decoy
 * subscriptions (other authors) on the same connections keep the matcher honest.
 * Subscribers are real WebSocket connections read straight from their sockets (leanClient.ts);
 * the publisher is a `ws` client.
 */
export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const setups = [{ subs: 100, connections: 100, perClient: 1 }, { subs: 1000, connections: 1000, perClient: 1 }, { subs: 10_000, connections: 1000, perClient: 10 }];
  const eventsPerSetup = opts.quick ? 15 : 100;
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  const signer = loadSigner();
  for (const { connections, ...setup } of setups) {
    const target = await startTarget(opts, { overrides: { policies: BENCH_NO_POLICIES } });
    try {
      const label = `fanout-${randomBytes(6).toString('hex')}`;
      const author = benchKey(label, 0);
      const now = Math.floor(Date.now() / 1000);
      const events = Array.from({ length: eventsPerSetup }, (_, i) =>
        signToJson(signer, author, { kind: 1, created_at: now + Math.floor(i / 10), tags: [['t', 'fanout']], content: `fan-out ${i}` }));
      // Delivered to every subscription like the others but not timed: the first broadcasts of a
      // fresh relay compile the delivery path (JIT), which is start-up, not fan-out.
      const warmUp = Array.from({ length: 3 }, (_, i) =>
        signToJson(signer, author, { kind: 1, created_at: now, tags: [['t', 'fanout']], content: `fan-out warm-up ${i}` }));
      opts.log(`fanout: opening ${connections} connections, ${setup.subs} subscriptions`);
      // Lean subscribers (see leanClient.ts): with 1,000 `ws` clients the load generator needed
      // more CPU per event than the relay, and its own lag was part of the figure.
      const subscribers = await openLeanClients(target.url, connections);
      const [publisher] = await openClients(target.url, 1);
      // Decoys first: one subscription per connection that never matches.
      const decoy = benchKey(label, 1).pubkey;
      const d = await subscribeAll(subscribers, 1, { authors: [decoy], kinds: [1] });
      // Ids "f0".. differ from the decoy's "live0" (a re-used id would replace it).
      const s = await subscribeAll(subscribers, setup.perClient, { authors: [author.pubkey], kinds: [1], since: now - 5 }, 30_000, 'f');
      if (d.closed.length || s.closed.length) notes.push(`s${setup.subs}: ${d.closed.length + s.closed.length} subscriptions CLOSED (${[...d.closed, ...s.closed][0]})`);
      opts.log(`fanout: publishing ${events.length} events to ${setup.subs} subscriptions`);
      await measureFanout(publisher!, subscribers, warmUp, s.eose, { perEventTimeoutMs: 2_000, timeLimitMs: 10_000 });
      const r = await measureFanout(publisher!, subscribers, events, s.eose, { perEventTimeoutMs: 2_000, timeLimitMs: opts.quick ? 10_000 : 60_000 });
      closeAll([...subscribers, publisher!]);
      const k = `fanout.s${setup.subs}`;
      metrics[`${k}.p50_ms`] = percentile(r.latencyMs, 50); units[`${k}.p50_ms`] = 'ms';
      metrics[`${k}.p99_ms`] = percentile(r.latencyMs, 99); units[`${k}.p99_ms`] = 'ms';
      metrics[`${k}.delivered_ratio`] = r.expected ? r.delivered / r.expected : 0;
      metrics[`${k}.subscriptions`] = s.eose;
    } finally {
      await target.close();
    }
  }
  return { metrics, units, notes };
}
